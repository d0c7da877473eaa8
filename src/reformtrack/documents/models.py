"""Documents (policies and news) with their repaired text, clusters of copies, and the items
extracted from them (entities and facts) with span, method and a reviewer's decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reformtrack.core.scoping import Action, ScopedQuerySetMixin, granted_paths, scope_q

from .storage import private_storage

STEPLEN = 5  # orgs.Organisation.steplen: one level of the materialised path


def paths_above(user, action: str) -> list[str]:
    """Paths of the organisations strictly above each subtree the user holds `action` on."""
    return sorted(
        {p[:i] for p in granted_paths(user, action) for i in range(STEPLEN, len(p), STEPLEN)}
    )


class ReferenceQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """Internal bookkeeping (clusters): read only through the documents they hold."""
        return self if granted_paths(user, "view") else self.none()


class DocumentQuerySet(ScopedQuerySetMixin, models.QuerySet):
    def visible_to(self, user, action: str = Action.VIEW):
        """The owner's subtree and the supervisors above it act on a document (the scoping
        layer); a supervisor's own documents (public policies, news) are also read by every
        organisation under it. An enterprise's uploads stay out of its sibling groups."""
        query = scope_q(self.model, user, action)
        if action == Action.VIEW:
            query |= models.Q(owner__kind="supervisor", owner__path__in=paths_above(user, action))
        return self.filter(query)

    def shared_with(self, organisation):
        """What every organisation under `organisation` reads: its own documents and those of
        the supervisors above it (what a brief it owns may quote to all its readers)."""
        if organisation is None:
            return self.none()
        above = [organisation.path[:i] for i in range(STEPLEN, len(organisation.path), STEPLEN)]
        return self.filter(
            models.Q(owner=organisation) | models.Q(owner__kind="supervisor", owner__path__in=above)
        )


class ExtractionQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = Action.VIEW):
        """Items of the documents the user reads, for a user holding `action` somewhere (the
        services check the organisation an item is about)."""
        if not granted_paths(user, action):
            return self.none()
        return self.filter(document__in=Document.objects.visible_to(user, Action.VIEW))


LANGUAGE_NAMES = {
    "zh-Hans": _("Simplified Chinese"),
    "zh-Hant": _("Traditional Chinese"),
    "en": _("English"),
    "he": _("Hebrew"),
    "und": _("undetermined"),
}


class Part(models.TextChoices):
    POLICY = "policy", _("policy")
    NEWS = "news", _("news")


class Cluster(models.Model):
    """Copies of one story (same language, spun, or other languages)."""

    best = models.ForeignKey(
        "Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self) -> str:
        return f"#{self.pk}"


class Document(models.Model):
    """One ingested file (or one entry of a digest), owned by the organisation it was
    ingested for: the uploader's, or the supervisor's for public policies and news."""

    scope_path = "owner__path"

    checksum = models.CharField(_("checksum"), max_length=64, db_index=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", storage=private_storage)
    filename = models.CharField(_("file name"), max_length=255)
    original_text = models.TextField(_("original text"))
    text = models.TextField(_("text"), help_text=_("normalised and, if spun, repaired"))
    search_text = models.TextField(_("search text"), editable=False)
    tokens = models.TextField(_("search tokens"), editable=False)
    language = models.CharField(_("language"), max_length=12, db_index=True)
    script = models.CharField(_("script"), max_length=8, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True, db_index=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True, db_index=True)
    # Not stated in the text: inferred (from the executive quoted, or the most named group).
    source_inferred = models.BooleanField(_("source inferred"), default=False)
    source_basis = models.CharField(_("source inferred from"), max_length=20, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    authority = models.CharField(_("issuing authority"), max_length=200, blank=True)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    links = models.JSONField(_("official links"), default=list, blank=True)
    # The page the file was fetched from (its URL): shown as a link, its date read when the
    # text states none. Given at upload; a digest's entries have none of their own.
    address = models.URLField(_("page address"), max_length=2000, blank=True)
    spun = models.BooleanField(_("spun"), default=False)
    spun_confidence = models.FloatField(_("spun confidence"), default=0.0)
    changes = models.JSONField(_("repairs of spun text"), default=list, blank=True)
    repairs = models.JSONField(_("normalisation repairs"), default=dict, blank=True)
    minhash = models.JSONField(default=list, editable=False)
    keys = models.JSONField(default=list, editable=False)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="entries",
        verbose_name=_("digest"),
    )  # fmt: skip
    part = models.CharField(_("part"), max_length=8, choices=Part.choices, blank=True)
    analysis = models.TextField(_("analysis"), blank=True)
    cluster = models.ForeignKey(
        Cluster,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        verbose_name=_("cluster"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Null only for what the operator ingested before any organisation existed: seen by nobody.
    owner = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("owner"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [  # one copy of a file per owner: another group's copy is its own
            models.UniqueConstraint(fields=["owner", "checksum"], name="document_owner_checksum")
        ]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title or self.filename

    def get_absolute_url(self) -> str:
        return reverse("documents:document", args=[self.pk])

    @property
    def language_name(self) -> str:
        """简体中文 / 繁体中文 / 英文 / 希伯来文 rather than the stored code."""
        return str(LANGUAGE_NAMES.get(self.language, self.language))


class Signature(models.Model):
    """Index rows for finding copies without comparing every pair: MinHash bands ("b<n>:<hash>",
    copies in one script) and language-free figures ("k:<key>", copies in other languages)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="signatures")
    value = models.CharField(max_length=80, db_index=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return self.value


class ItemKind(models.TextChoices):
    ORGANISATION = "organisation", _("organisation")
    PROGRAMME = "programme", _("programme")
    PERSON = "person", _("person")
    RATING = "rating", _("rating")
    PERCENT = "percent", _("percentage")
    COUNT = "count", _("count")
    MONEY = "money", _("money")
    TARGET = "target", _("target")
    MULTIPLE = "multiple", _("multiple")


class Review(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Extraction(models.Model):
    """An entity or fact found in a document: the span in `Document.text` and the method."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices, db_index=True)
    text = models.CharField(_("text"), max_length=500)
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    method = models.CharField(_("method"), max_length=40)
    value = models.JSONField(_("value"), default=dict)
    org_code = models.CharField(_("organisation code"), max_length=40, blank=True, db_index=True)
    programme_code = models.CharField(_("programme code"), max_length=40, blank=True)
    review = models.CharField(
        _("review"), max_length=10, choices=Review.choices, default=Review.PROPOSED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    promoted_to = models.CharField(_("promoted to"), max_length=200, blank=True)

    objects = ExtractionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "start", "kind"]
        verbose_name = _("extracted item")
        verbose_name_plural = _("extracted items")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text}"


class BriefLanguage(models.TextChoices):
    SIMPLIFIED = "zh-Hans", _("Simplified Chinese")
    TRADITIONAL = "zh-Hant", _("Traditional Chinese")
    ENGLISH = "en", _("English")


class BriefStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class BriefQuerySet(ScopedQuerySetMixin, models.QuerySet):
    def visible_to(self, user, action: str = Action.VIEW):
        """The owner's office (and the supervisors above it) edit and publish a brief (the
        scoping layer); once published it is also read by every organisation under the owner."""
        query = scope_q(self.model, user, action)
        if action == Action.VIEW:
            above = paths_above(user, action)
            query |= models.Q(status=BriefStatus.PUBLISHED, owner__path__in=above)
        return self.filter(query)


class Brief(models.Model):
    """The weekly brief (layout of seeds/004): policies with analysis, news with key facts;
    edited as a draft, then published and archived (frozen). `owner` is the organisation whose
    office edits and publishes it; `organisation`, if set, narrows it to news about that one."""

    scope_path = "owner__path"

    week_start = models.DateField(_("week starting"))
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("organisation"),
    )  # fmt: skip
    owner = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("owner"),
    )  # fmt: skip
    language = models.CharField(
        _("language"), max_length=8, choices=BriefLanguage.choices, default=BriefLanguage.SIMPLIFIED
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=BriefStatus.choices, default=BriefStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    archived_html = models.TextField(_("archived copy"), blank=True, editable=False)

    objects = BriefQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start", "-id"]
        verbose_name = _("weekly brief")
        verbose_name_plural = _("weekly briefs")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:brief", args=[self.pk])


class BriefEntry(models.Model):
    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="entries")
    part = models.CharField(_("part"), max_length=8, choices=Part.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    authority = models.CharField(_("issuing authority"), max_length=200, blank=True)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    link = models.URLField(_("official link"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    analysis = models.TextField(_("analysis"), blank=True)
    key_facts = models.TextField(_("key facts"), blank=True)

    class Meta:
        ordering = ["brief", "part", "position"]
        verbose_name = _("brief entry")
        verbose_name_plural = _("brief entries")

    def __str__(self) -> str:
        return self.title


from .spun_models import LearnedSubstitution, SwapStatus  # noqa: E402, F401 (registered here)
