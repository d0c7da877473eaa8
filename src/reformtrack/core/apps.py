from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "reformtrack.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (login/logout audit receivers)
        from .models import Library, User
        from .services.audit import track

        track(User, exclude=("password", "last_login", "password_changed_at"))
        track(Library, exclude=("content",))
