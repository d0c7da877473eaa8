from django import template

from ..selectors import top_organisations

register = template.Library()


@register.simple_tag
def my_organisations(user):
    """The organisations the user's roles were granted on (their scope's roots)."""
    return list(top_organisations(user))
