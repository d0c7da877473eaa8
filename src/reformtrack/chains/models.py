"""Industrial chains (链长): links of a directed graph with their key items, suppliers and
participants, yearly resilience snapshots; the three-firsts register (首台套/首批次/首版次) with
procurements and green channels. Management benchmarks live in orgs (`orgs/benchmarks.py`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reformtrack.core.i18n import BilingualNameMixin
from reformtrack.core.models import Versioned
from reformtrack.core.scoping import ScopedQuerySet, granted_paths

from .choices import (
    FirstCategory,
    ItemKind,
    ItemStatus,
    Origin,
    ParticipantRole,
    PartnerType,
    Stage,
)

AMOUNT = {"max_digits": 22, "decimal_places": 2}
ORG = "orgs.Organisation"
CHAIN_PATH = "chain__leader__path"


class Chain(BilingualNameMixin, Versioned):
    """A chain led by an organisation of the tree (链长企业) for its supervisor; its subtree and
    the supervisor's see it, nobody else."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    leader = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="led_chains", verbose_name=_("chain leader")
    )
    supervisor = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("supervisor")
    )
    batch = models.CharField(_("batch"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "leader__path"

    class Meta:
        ordering = ["code"]
        verbose_name = _("industrial chain")
        verbose_name_plural = _("industrial chains")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Link(models.Model):
    """A link (环节) of a chain, upstream, midstream or downstream."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="links")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_path = CHAIN_PATH

    class Meta:
        ordering = ["chain", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["chain", "code"], name="chains_link_unique")]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LinkEdge(models.Model):
    """A directed edge: `source` supplies `target`."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="edges")
    source = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="incoming")

    objects = ScopedQuerySet.as_manager()
    scope_path = CHAIN_PATH

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="chains_edge_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="chains_no_loop"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


class KeyItem(Versioned):
    """A key product, technology or basic material of a link and how secure its supply is;
    weak-link work on it lives in the ledger (`tasks`)."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=12, choices=ItemKind.choices)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=15, choices=ItemStatus.choices)
    note = models.TextField(_("note"), blank=True)
    tasks = models.ManyToManyField(
        "programs.LedgerTask", blank=True, related_name="chain_items", verbose_name=_("tasks")
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "link__chain__leader__path"

    class Meta:
        ordering = ["link", "name"]
        constraints = [models.UniqueConstraint(fields=["link", "name"], name="chains_item_unique")]
        verbose_name = _("key item")
        verbose_name_plural = _("key items")

    def __str__(self) -> str:
        return self.name


class Supplier(models.Model):
    """Who supplies a key item, at home or abroad (recorded by name; never an account)."""

    item = models.ForeignKey(KeyItem, on_delete=models.CASCADE, related_name="suppliers")
    name = models.CharField(_("name"), max_length=200)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)

    objects = ScopedQuerySet.as_manager()
    scope_path = "item__link__chain__leader__path"

    class Meta:
        ordering = ["item", "origin", "name"]
        constraints = [
            models.UniqueConstraint(fields=["item", "name"], name="chains_supplier_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """An enterprise in a link: an organisation of the tree, or an outside partner recorded by
    name and type (partners are records only: no account, no access)."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        ORG, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    partner_name = models.CharField(_("partner"), max_length=200, blank=True)
    partner_type = models.CharField(_("type"), max_length=12, choices=PartnerType.choices)
    role = models.CharField(
        _("role"), max_length=10, choices=ParticipantRole.choices, default=ParticipantRole.MEMBER
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "link__chain__leader__path"

    class Meta:
        ordering = ["link", "role", "partner_name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=True) & ~Q(partner_name=""))
                | (Q(organisation__isnull=False) & Q(partner_name="")),
                name="chains_participant_one_of",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.partner_name


class ResilienceSnapshot(models.Model):
    """A chain's resilience figures as they stood for a year, so the page can say what changed."""

    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="snapshots")
    year = models.PositiveIntegerField(_("year"))
    links = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0)
    bottlenecks = models.PositiveIntegerField(default=0)
    single_source = models.PositiveIntegerField(default=0)
    foreign = models.PositiveIntegerField(default=0)
    links_two_domestic = models.PositiveIntegerField(default=0)
    share_two_domestic = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    taken_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = CHAIN_PATH

    class Meta:
        ordering = ["chain", "year"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "year"], name="chains_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.chain_id} {self.year}"


class ReferenceQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """Public register entries: every business user with any grant reads them all."""
        return self if granted_paths(user, action) else self.none()


class FirstItem(models.Model):
    """An entry of the three-firsts register with its certificate (counts as track record in
    SOE tenders under the 2023 MIIT/NDRC/SASAC opinion). Reference data: all users read it."""

    category = models.CharField(_("category"), max_length=15, choices=FirstCategory.choices)
    name = models.CharField(_("name"), max_length=200)
    supplier = models.CharField(_("supplier"), max_length=200)
    certificate_no = models.CharField(_("certificate number"), max_length=80, blank=True)
    certificate_date = models.DateField(_("certificate date"), null=True, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "supplier"], name="chains_firstitem_unique")
        ]
        verbose_name = _("three-firsts item")
        verbose_name_plural = _("three-firsts items")

    def __str__(self) -> str:
        return self.name


class Procurement(models.Model):
    """An enterprise bought a three-firsts item: tender, amount in 元, via the channel or not."""

    enterprise = models.ForeignKey(
        ORG, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    item = models.ForeignKey(FirstItem, on_delete=models.PROTECT, related_name="procurements")
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (yuan)"), **AMOUNT)
    tender_ref = models.CharField(_("tender reference"), max_length=80, blank=True)
    green_channel = models.BooleanField(_("green channel used"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope_path = "enterprise__path"

    class Meta:
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.date}"


class GreenChannel(models.Model):
    """An enterprise's three-firsts green procurement channel and when it was set up."""

    organisation = models.OneToOneField(
        ORG, on_delete=models.PROTECT, related_name="green_channel",
        verbose_name=_("organisation"),
    )  # fmt: skip
    established_on = models.DateField(_("established on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "organisation__path"

    class Meta:
        ordering = ["established_on"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.established_on}"
