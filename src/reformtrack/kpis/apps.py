from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "reformtrack.kpis"
    label = "kpis"
    verbose_name = _("KPIs")
    # Main-menu entries for business users: (URL name, label).
    nav: list[tuple[str, str]] = []
