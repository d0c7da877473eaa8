from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "reformtrack.programs"
    label = "programs"
    verbose_name = _("Programmes and ledgers")

    def ready(self) -> None:
        from reformtrack.core.approvals_display import register
        from reformtrack.core.libraries import register_kind
        from reformtrack.core.services.audit import track

        from . import receivers  # noqa: F401  (tree moves, approval outcomes)
        from .approval_display import report_display
        from .library import ProgrammeLibrary, install
        from .models import (
            Evidence,
            EvidenceVersion,
            Launch,
            LedgerTask,
            PlanChangeRequest,
            ProgressReport,
        )
        from .plan_change_display import plan_change_display

        register_kind("programme", schema=ProgrammeLibrary, install=install)
        register(ProgressReport, report_display)
        register(PlanChangeRequest, plan_change_display)
        for model in (
            Launch, LedgerTask, ProgressReport, Evidence, EvidenceVersion, PlanChangeRequest,
        ):  # fmt: skip
            track(model)
