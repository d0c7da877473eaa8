"""Management benchmarks (管理标杆, seed 004): enterprises, projects and models a supervisor names
in a year, with the management areas they excel in. A named organisation also holds the matching
designation (管理标杆企业 / 项目 / 模式), so designation filters find it; the record says which."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reformtrack.core.scoping import Action, granted_paths, scope_q

ORG = "orgs.Organisation"


class BenchmarkKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Benchmark enterprise")
    PROJECT = "project", _("Benchmark project")
    MODEL = "model", _("Benchmark model")


# The designation an organisation holds for each kind of benchmark (orgs 0002 and 0003).
DESIGNATION_OF = {
    BenchmarkKind.ENTERPRISE: "MGMT_BENCHMARK",
    BenchmarkKind.PROJECT: "MGMT_BENCHMARK_PROJECT",
    BenchmarkKind.MODEL: "MGMT_BENCHMARK_MODEL",
}


class ManagementArea(models.TextChoices):
    """The eight areas of the benchmarking action (对标世界一流管理提升行动)."""

    STRATEGY = "strategy", _("Strategy management")
    ORGANISATION = "organisation", _("Organisation management")
    OPERATIONS = "operations", _("Operations management")
    FINANCE = "finance", _("Financial management")
    TECHNOLOGY = "technology", _("Technology management")
    RISK = "risk", _("Risk management")
    HR = "hr", _("Human resources management")
    IT = "it", _("IT management")


class BenchmarkQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = Action.VIEW):
        """A supervisor's list is published to its whole tree: anyone granted at, above or below
        the naming supervisor sees it, and so does the benchmark organisation's subtree. Every
        other action needs the grant on the naming supervisor."""
        if action != Action.VIEW:
            return self.filter(scope_q(self.model, user, action))
        from .models import Organisation  # orgs.models imports this module at its end

        query = Q(pk__in=[])
        step = Organisation.steplen
        for path in granted_paths(user, action):
            above = [path[:i] for i in range(step, len(path) + 1, step)]
            query |= Q(supervisor__path__prefix=path) | Q(organisation__path__prefix=path)
            query |= Q(supervisor__path__in=above)
        return self.filter(query)


class Benchmark(models.Model):
    """A benchmark enterprise, project or model named by a supervisor in a year."""

    kind = models.CharField(_("kind"), max_length=12, choices=BenchmarkKind.choices)
    organisation = models.ForeignKey(
        ORG, on_delete=models.PROTECT, null=True, blank=True, related_name="benchmarks",
        verbose_name=_("organisation"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    areas = models.JSONField(_("management areas"), default=list, blank=True)
    supervisor = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("named by")
    )
    year = models.PositiveIntegerField(_("year"))
    named_on = models.DateField(_("named on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    designation = models.ForeignKey(
        "orgs.Designation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("designation"),
    )  # fmt: skip

    objects = BenchmarkQuerySet.as_manager()
    scope_path = "supervisor__path"  # writes: the supervisor that names it

    class Meta:
        ordering = ["-year", "kind", "name"]
        verbose_name = _("management benchmark")
        verbose_name_plural = _("management benchmarks")
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "year", "kind", "name"], name="orgs_benchmark_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def audit_snapshot(self) -> dict:
        return {
            "kind": self.kind, "name": self.name, "areas": list(self.areas), "year": self.year,
            "named_on": self.named_on, "source": self.source,
            "organisation": self.organisation.code if self.organisation_id else None,
            "supervisor": self.supervisor.code,
        }  # fmt: skip
