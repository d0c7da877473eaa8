from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "reformtrack.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from reformtrack.core.services.audit import track

        from .models import (
            Benchmark,
            Designation,
            DesignationKind,
            Organisation,
            RoleAssignment,
        )

        track(Organisation, exclude=("path", "depth", "numchild"))
        track(Designation)
        track(DesignationKind)
        track(RoleAssignment)
        track(Benchmark)
