"""Programmes (loaded from libraries), their launches down the tree, the ledger (台账) of tasks,
progress reports with evidence, closed periods and the roll-up snapshots kept for them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reformtrack.core.i18n import BilingualNameMixin, bilingual, localized
from reformtrack.core.models import StoredFile, Versioned
from reformtrack.core.scoping import ScopedQuerySet, granted_paths

from .choices import (
    Direction,
    Origin,
    PlanChangeState,
    Reporting,
    ReportState,
    TargetBasis,
    TargetMeasure,
    TaskKind,
    TaskStatus,
)

# Equality columns first, then the path range, then what the aggregates read (covering).
ROLLUP_FIELDS = [
    "programme", "parent", "org_path", "area", "is_main", "status", "deadline", "weight", "percent",
]  # fmt: skip
ROLLUP_OPCLASSES = [
    "int8_ops", "int8_ops", "varchar_pattern_ops", "int8_ops", "bool_ops", "text_ops", "date_ops",
    "numeric_ops", "numeric_ops",
]  # fmt: skip
PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """Programmes are reference data: every business user with any grant reads them all."""
        return self if granted_paths(user, action) else self.none()


class Programme(BilingualNameMixin, models.Model):
    library = models.OneToOneField(
        "core.Library", on_delete=models.PROTECT, related_name="programme"
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    version = models.PositiveIntegerField(_("version"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    issuer_zh = models.CharField(_("issuer (Chinese)"), max_length=200, blank=True)
    issuer_en = models.CharField(_("issuer (English)"), max_length=200, blank=True)
    source = models.TextField(_("source"), blank=True)
    provenance = models.TextField(_("provenance"), blank=True)
    provenance_en = models.TextField(_("provenance (English)"), blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    reporting = models.CharField(_("reporting"), max_length=10, choices=Reporting.choices)
    count_only_approved = models.BooleanField(_("only approved progress counts"), default=True)
    direct_entry = models.BooleanField(
        _("launching organisation enters its own progress directly"),
        default=False,
        help_text=_(
            "Off: progress changes only through approved progress reports. On: the launching "
            "organisation's reform office may also set progress of its own tasks directly "
            "(audited as direct entry)."
        ),
    )
    overdue_marked_on = models.DateField(null=True, blank=True, editable=False)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:programme", args=[self.code])

    issuer = bilingual("issuer")

    @property
    def provenance_shown(self) -> str:
        """The provenance note in the reader's language (libraries keep the Chinese one in
        `provenance`)."""
        return localized(self.provenance, self.provenance_en)


class Area(BilingualNameMixin, models.Model):
    """A reform area (改革领域) of a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="area_code_per_programme")
        ]
        verbose_name = _("reform area")
        verbose_name_plural = _("reform areas")

    def __str__(self) -> str:
        return self.name


class TaskTemplate(models.Model):
    """A task as the programme library defines it; launching copies it into ledgers."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="templates")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="templates")
    code = models.CharField(_("code"), max_length=40)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    is_main = models.BooleanField(_("main task"), default=False)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=2, default=1)
    deadline = models.DateField(_("deadline"))
    deliverable_zh = models.CharField(_("deliverable (Chinese)"), max_length=300, blank=True)
    deliverable_en = models.CharField(_("deliverable (English)"), max_length=300, blank=True)
    evidence_zh = models.CharField(_("evidence (Chinese)"), max_length=300, blank=True)
    evidence_en = models.CharField(_("evidence (English)"), max_length=300, blank=True)
    applies_kinds = models.JSONField(default=list, blank=True)
    applies_levels = models.JSONField(default=list, blank=True)
    applies_designations = models.JSONField(default=list, blank=True)
    indicator_unit = models.CharField(_("unit"), max_length=20, blank=True)
    indicator_target = models.DecimalField(
        _("target value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    indicator_direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, blank=True
    )
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["programme", "area__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="template_code_per_programme"
            )
        ]
        verbose_name = _("programme task")
        verbose_name_plural = _("programme tasks")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    title = bilingual("title")
    deliverable = bilingual("deliverable")


class TargetStep(models.Model):
    """One point of a target trajectory: e.g. ≥ 70% of main tasks done by 2021-12-31."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    measure = models.CharField(_("tasks counted"), max_length=10, choices=TargetMeasure.choices)
    basis = models.CharField(_("basis"), max_length=10, choices=TargetBasis.choices)
    due = models.DateField(_("due"))
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2, validators=PERCENT)
    label_zh = models.CharField(max_length=100, blank=True)
    label_en = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["programme", "measure", "basis", "due"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.get_measure_display()} ≥ {self.percent}% @ {self.due}"

    label = bilingual("label")


class Launch(models.Model):
    """A programme launched to an organisation: its ledger holds the tasks of that subtree."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="launches")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="launches"
    )
    designation = models.CharField(_("by designation"), max_length=40, blank=True)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    launched_at = models.DateTimeField(_("launched"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "organisation__path"

    class Meta:
        ordering = ["programme", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "organisation"], name="one_launch_per_org")
        ]
        verbose_name = _("launch")
        verbose_name_plural = _("launches")

    def __str__(self) -> str:
        return f"{self.programme.code} → {self.organisation.code}"


class LedgerTask(Versioned):
    """One row of a ledger (台账): what, who, by when, how far; counted in roll-ups.

    `org_path` copies the responsible organisation's tree path so subtree roll-ups read one
    indexed table; orgs' `organisation_moved` signal keeps it current.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tasks")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="tasks")
    template = models.ForeignKey(
        TaskTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="measures"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="ledger_tasks"
    )
    org_path = models.CharField(max_length=255, editable=False)
    code = models.CharField(_("task code"), max_length=60)
    title = models.CharField(_("task"), max_length=300)
    measure = models.TextField(_("measure"), blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    owner = models.CharField(_("responsible person"), max_length=100, blank=True)
    deadline = models.DateField(_("deadline"))
    deliverable = models.CharField(_("deliverable"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    is_main = models.BooleanField(_("main task"), default=False)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=2, default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    percent = models.DecimalField(
        _("percent complete"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    progress = models.TextField(_("progress"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    indicator_unit = models.CharField(_("unit"), max_length=20, blank=True)
    indicator_target = models.DecimalField(
        _("target value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    indicator_actual = models.DecimalField(
        _("actual value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    indicator_direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "org_path"

    class Meta:
        ordering = ["programme", "area__position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="task_code_per_programme")
        ]
        indexes = [
            # Covering index of the roll-up: one range scan per programme and subtree.
            # PostgreSQL needs the pattern opclass for `LIKE 'prefix%'`; SQLite ignores opclasses.
            models.Index(
                fields=ROLLUP_FIELDS,
                opclasses=ROLLUP_OPCLASSES,
                include=["id"],  # PostgreSQL index-only scans; SQLite's rowid is always there
                name="ledger_rollup",
            ),
            models.Index(fields=["status", "deadline"], name="ledger_due"),
            # The overdue list: per status, the oldest rows first, the subtree filtered in the
            # index (one short ordered scan per status, merged; no sort of the subtree's rows).
            models.Index(
                fields=["programme", "parent", "status", "deadline", "code", "org_path"],
                include=["id"],
                name="ledger_overdue",
            ),
        ]
        verbose_name = _("ledger task")
        verbose_name_plural = _("ledger tasks")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        if self.organisation_id and not self.org_path:
            self.org_path = self.organisation.path
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("programs:task", args=[self.pk])

    def audit_snapshot(self) -> dict:
        return {
            f.attname: getattr(self, f.attname)
            for f in self._meta.concrete_fields
            if f.name not in {"updated_at", "org_path"}
        }


class ReportingPeriod(models.Model):
    """A month or quarter of a programme; closing it keeps the roll-up as it stood."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="periods")
    period_end = models.DateField(_("period end"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["programme", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "period_end"], name="one_period_per_end")
        ]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")

    def __str__(self) -> str:
        return f"{self.programme.code} {self.period_end:%Y-%m}"


class ProgressReport(Versioned):
    """A period's report on one task; counts once approved (or at once, per programme)."""

    task = models.ForeignKey(LedgerTask, on_delete=models.CASCADE, related_name="reports")
    period_end = models.DateField(_("period"))
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices)
    percent = models.DecimalField(
        _("percent complete"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    narrative = models.TextField(_("progress"), blank=True)
    indicator_actual = models.DecimalField(
        _("actual value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "task__org_path"

    class Meta:
        ordering = ["-period_end", "task__code"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period_end"], name="one_report_per_period")
        ]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.task.code} {self.period_end:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("programs:report", args=[self.pk])


class PlanChangeRequest(models.Model):
    """An enterprise asks whoever launched the programme to change a task's plan (deadline,
    weight, main-task flag, responsible person…); applied in the requester's name once the
    approval chain, which ends at the launching organisation's level, approves it."""

    task = models.ForeignKey(LedgerTask, on_delete=models.CASCADE, related_name="plan_changes")
    changes = models.JSONField(_("requested changes"), default=dict)
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=20, choices=PlanChangeState.choices, default=PlanChangeState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    task_version = models.PositiveIntegerField(_("task version when asked"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "task__org_path"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("plan change request")
        verbose_name_plural = _("plan change requests")

    def __str__(self) -> str:
        return f"{self.task.code}: {', '.join(sorted(self.changes))}"

    def get_absolute_url(self) -> str:
        return reverse("programs:plan-change", args=[self.pk])


class Evidence(models.Model):
    """A piece of evidence (佐证材料) of a task; each upload is a new version, none is lost."""

    task = models.ForeignKey(LedgerTask, on_delete=models.CASCADE, related_name="evidence")
    report = models.ForeignKey(
        ProgressReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "task__org_path"

    class Meta:
        ordering = ["task", "title"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> EvidenceVersion | None:
        return self.versions.order_by("-number").first()


class EvidenceVersion(StoredFile):
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="versions")
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")

    objects = ScopedQuerySet.as_manager()
    scope_path = "evidence__task__org_path"

    class Meta:
        ordering = ["evidence", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "number"], name="evidence_version_number")
        ]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def get_absolute_url(self) -> str:
        return reverse("programs:evidence-download", args=[self.pk])


class RollupSnapshot(models.Model):
    """A subtree's roll-up at the close of a period, so trends are read, not recomputed."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="snapshots")
    period_end = models.DateField(_("period end"))
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="rollup_snapshots"
    )
    org_path = models.CharField(max_length=255)
    tasks = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    main_tasks = models.PositiveIntegerField(default=0)
    main_done = models.PositiveIntegerField(default=0)
    weight = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    weight_done = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    progress = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    overdue = models.PositiveIntegerField(default=0)
    taken_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "org_path"

    class Meta:
        ordering = ["programme", "period_end", "org_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period_end", "organisation"], name="one_snapshot_per_period"
            )
        ]
        indexes = [
            models.Index(
                fields=["programme", "org_path", "period_end"],
                opclasses=["int8_ops", "varchar_pattern_ops", "date_ops"],
                name="snapshot_subtree",
            )
        ]
        verbose_name = _("roll-up snapshot")
        verbose_name_plural = _("roll-up snapshots")

    def __str__(self) -> str:
        return f"{self.programme_id} {self.org_path} {self.period_end}"


class KeptCounts(models.Model):
    """Stored counts of a programme's top-level tasks by organisation and a key (an area, a
    programme task): an organisation's own (`subtree` off) or its whole subtree's (`subtree`
    on), kept current by services/tallies.py on every ledger write. A concrete table adds its
    key and its figures and names its constraint and index (`own_and_subtree`)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    org_path = models.CharField(max_length=255)
    depth = models.PositiveSmallIntegerField()
    subtree = models.BooleanField(default=False)
    done = models.IntegerField(default=0)

    objects = ScopedQuerySet.as_manager()
    scope_path = "org_path"

    class Meta:
        abstract = True

    @staticmethod
    def own_and_subtree(key: str, unique: str, index: str) -> tuple[list, list]:
        """A concrete table's Meta constraints and indexes: one row per (programme, subtree,
        organisation, key), and the index of the subtree rows by depth and path, which the
        roll-ups read and a task update adds to (`tallies._above`)."""
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "subtree", "organisation", key], name=unique
            )
        ]
        indexes = [
            models.Index(
                fields=["programme", "subtree", "depth", "org_path"],
                opclasses=["int8_ops", "bool_ops", "int2_ops", "varchar_pattern_ops"],
                name=index,
            )
        ]
        return constraints, indexes


class LedgerTally(KeptCounts):
    """Counts of one programme area's top-level tasks, an organisation's own or its subtree's.

    A roll-up reads the subtree rows of the root and of its children (a handful of rows), never
    the tasks. Overdue counts tasks whose status is overdue: open tasks past their deadline are
    marked so once a day.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tallies")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    tasks = models.IntegerField(default=0)
    main_tasks = models.IntegerField(default=0)
    main_done = models.IntegerField(default=0)
    weight = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    weight_done = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    progress_sum = models.DecimalField(max_digits=18, decimal_places=4, default=0)
    overdue = models.IntegerField(default=0)

    class Meta:
        constraints, indexes = KeptCounts.own_and_subtree(
            "area", "one_tally_per_org_area", "tally_subtree"
        )

    def __str__(self) -> str:
        return f"{self.programme_id} {self.org_path} {self.area_id}"


class CoverageTally(KeptCounts):
    """Coverage counts of one programme task (template): the applicable organisations' coverage
    rows and those done, an organisation's own or its subtree's.

    Kept with `LedgerTally` in the same statements; coverage rates read the root's subtree rows
    (a few per programme task), never the tasks.
    """

    template = models.ForeignKey(TaskTemplate, on_delete=models.CASCADE, related_name="+")
    applicable = models.IntegerField(default=0)

    class Meta:
        constraints, indexes = KeptCounts.own_and_subtree(
            "template", "one_coverage_per_org_template", "coverage_subtree"
        )

    def __str__(self) -> str:
        return f"{self.programme_id} {self.org_path} {self.template_id}"
