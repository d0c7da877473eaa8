"""The organisation tree (materialised path), designations with validity, roles on subtrees."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from reformtrack.core.i18n import BilingualNameMixin, bilingual
from reformtrack.core.scoping import ScopedQuerySet, ScopedQuerySetMixin

from .choices import OrgKind, Role
from .uscc import validate_uscc

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_.-]*$", _("Use capital letters, digits, '-', '_' or '.'.")
)


class OrganisationQuerySet(ScopedQuerySetMixin, MP_NodeQuerySet):
    pass


class OrganisationManager(MP_NodeManager):
    def get_queryset(self):
        return OrganisationQuerySet(self.model, using=self._db).order_by("path")

    def visible_to(self, user, action: str = "view"):
        return self.get_queryset().visible_to(user, action)


class Organisation(BilingualNameMixin, MP_Node):
    """A supervisor, a group or a subsidiary. `parent` mirrors the path for cheap joins."""

    steplen = 5
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_uscc],
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name_zh = models.CharField(_("short name (Chinese)"), max_length=60, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=OrgKind.choices)
    level = models.PositiveSmallIntegerField(
        _("level"), default=0, help_text=_("0 supervisor, 1 group, 2 and more subsidiaries")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parent"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationManager()
    scope_path = "path"

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "level"])]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:organisation", kwargs={"pk": self.pk})

    short_name = bilingual("short_name")

    def audit_snapshot(self) -> dict:
        return {
            "code": self.code,
            "uscc": self.uscc,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "short_name_zh": self.short_name_zh,
            "short_name_en": self.short_name_en,
            "kind": self.kind,
            "level": self.level,
            "parent": self.parent.code if self.parent_id else None,
            "is_active": self.is_active,
            "closed_on": self.closed_on,
        }


class DesignationKind(BilingualNameMixin, models.Model):
    """A kind of designation (双百企业, 科改示范企业, 链长企业 …); new kinds are data."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    requires_chain = models.BooleanField(_("names an industrial chain"), default=False)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("designation kind")
        verbose_name_plural = _("designation kinds")

    def __str__(self) -> str:
        return self.name


class DesignationQuerySet(ScopedQuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class Designation(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="designations",
        verbose_name=_("organisation"),
    )
    kind = models.ForeignKey(
        DesignationKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    chain = models.CharField(_("industrial chain"), max_length=100, blank=True)
    batch = models.CharField(_("batch"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = DesignationQuerySet.as_manager()
    scope_path = "organisation__path"

    class Meta:
        ordering = ["organisation__path", "kind__sort_order", "valid_from"]
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="designation_valid_period",
                violation_error_message=_("A designation cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.kind}"

    def get_absolute_url(self) -> str:
        return self.organisation.get_absolute_url()

    def is_current(self, on=None) -> bool:
        day = on or timezone.localdate()
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class RoleAssignment(models.Model):
    """A business role of a user on one organisation, covering its whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        ordering = ["user__username", "organisation__path"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_role_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


from .benchmarks import Benchmark  # noqa: E402, F401  (management benchmarks, orgs/benchmarks.py)
