"""Header data on every page: the inbox count and the administrator menus."""

from django.utils.functional import SimpleLazyObject

from .selectors.inbox import inbox_count


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"inbox_count": SimpleLazyObject(lambda: inbox_count(user))}
