from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

REPORT_TEMPLATES = Path(__file__).parent / "report_templates"


class AssessmentsConfig(AppConfig):
    name = "reformtrack.assessments"
    label = "assessments"
    verbose_name = _("Assessments")
    # Main-menu entries for business users: (URL name, label).
    nav = [("assessments:campaigns", _("Assessments"))]

    def ready(self) -> None:
        from reformtrack.core.libraries import register_kind
        from reformtrack.core.reports import register_docx
        from reformtrack.core.services.audit import track

        from . import receivers  # noqa: F401  (approval outcomes, ledger saves)
        from .library import RuleSetLibrary, install
        from .models import Assessment, Campaign, EvidenceFile, Rectification, Score

        register_kind("ruleset", schema=RuleSetLibrary, install=install)
        for model in (Campaign, Assessment, Score, Rectification, EvidenceFile):
            track(model)
        register_docx("assessment-report", REPORT_TEMPLATES / "assessment-report.docx")
        register_docx("campaign-summary", REPORT_TEMPLATES / "campaign-summary.docx")
