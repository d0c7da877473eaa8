from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "reformtrack.kpis"
    label = "kpis"
    verbose_name = _("KPIs")
    # Main-menu entries for business users: (URL name, label).
    nav: list[tuple[str, str]] = [("kpis:home", _("KPIs"))]

    def ready(self) -> None:
        from reformtrack.core.libraries import register_kind
        from reformtrack.core.services.audit import track

        from .library import KpiSetLibrary, StatementLinesLibrary, install_kpiset, install_lines
        from .models import KpiTarget, Statement, StatementValue

        register_kind("statementlines", schema=StatementLinesLibrary, install=install_lines)
        register_kind("kpiset", schema=KpiSetLibrary, install=install_kpiset)
        for model in (Statement, StatementValue, KpiTarget):
            track(model)
