"""Header data on every page: the inbox count, the apps' menu entries."""

from django.apps import apps
from django.utils.functional import SimpleLazyObject

from .selectors.inbox import inbox_count


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "inbox_count": SimpleLazyObject(lambda: inbox_count(user)),
        "app_nav": app_nav(),
    }


def app_nav() -> list[tuple[str, str]]:
    """(URL name, label) of every business menu entry an app declares as `AppConfig.nav`."""
    return [entry for config in apps.get_app_configs() for entry in getattr(config, "nav", [])]
