from django import template

from reformtrack.core.compiled_sql import instances
from reformtrack.core.scoping import Action, granted_paths

from ..models import Organisation
from ..selectors import top_organisations

register = template.Library()


@register.simple_tag
def my_organisations(user):
    """The organisations the user's roles were granted on (their scope's roots), read with SQL
    compiled once per set of grants (`compiled_sql`, run fresh on every page)."""
    key = ("top-organisations", tuple(granted_paths(user, Action.VIEW)))
    return instances(Organisation, key, lambda: top_organisations(user))
