from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "reformtrack.documents"
    label = "documents"
    verbose_name = _("Policies and news")
    # Main-menu entries for business users: (URL name, label).
    nav: list[tuple[str, str]] = []
