from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    SUPERVISOR = "supervisor", _("Supervisor")
    GROUP = "group", _("Group")
    SUBSIDIARY = "subsidiary", _("Subsidiary")


class Role(models.TextChoices):
    SUPERVISOR_ADMIN = "supervisor_admin", _("Supervisor administrator")
    REFORM_OFFICE = "reform_office", _("Reform office")
    CONTRIBUTOR = "contributor", _("Contributor")
    HR = "hr", _("Human resources")
    VIEWER = "viewer", _("Viewer")
