from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "reformtrack.assessments"
    label = "assessments"
    verbose_name = _("Assessments")
    # Main-menu entries for business users: (URL name, label).
    nav: list[tuple[str, str]] = []
