"""Header data on every page: the inbox count, the apps' menu entries."""

from functools import cache

from django.apps import apps
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string

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


@cache
def _nav_conditions() -> dict:
    """URL name → who sees that entry, from `AppConfig.nav_shown_to` (dotted paths of
    `(user) -> bool`); entries not named there are shown to every business user."""
    return {
        name: import_string(path)
        for config in apps.get_app_configs()
        for name, path in getattr(config, "nav_shown_to", {}).items()
    }


def nav_for(user) -> tuple[tuple[str, str], ...]:
    """The menu entries this user can open: a link to a refusal helps nobody."""
    hidden = {name for name, shown in _nav_conditions().items() if not shown(user)}
    return tuple(entry for entry in app_nav() if entry[0] not in hidden)
