"""Header data on every page: the inbox count, the apps' menu entries."""

from functools import cache

from django.apps import apps
from django.utils.functional import SimpleLazyObject

from .selectors.header import header_counts


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "inbox_count": SimpleLazyObject(lambda: header_counts(user).inbox),
        "app_nav": app_nav(),
    }


@cache
def app_nav() -> tuple[tuple[str, str], ...]:
    """(URL name, label) of every business menu entry an app declares as `AppConfig.nav`
    (fixed once the apps are loaded; the labels are lazy, translated when shown)."""
    return tuple(e for config in apps.get_app_configs() for e in getattr(config, "nav", []))
