"""`{% may "change" obj as allowed %}`: show an action only to whom the scoping layer allows it,
so no page offers a button that leads to a 403."""

from django import template

from ..scoping import can, granted_paths

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, action: str, obj=None) -> bool:
    """Without an object: whether the user may do `action` anywhere (a page-wide button)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_administrator:
        return False
    if obj is None:
        return bool(granted_paths(user, action))
    return can(user, action, obj)
