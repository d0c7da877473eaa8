"""Writes of the documents app: ingest a file (idempotent by checksum), keep its items, place
it in a cluster of copies; review an item; promote an accepted rating into an assessment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reformtrack.core.scoping import can, granted_paths

from . import storage
from .models import Cluster, Document, Extraction, ItemKind, Review, Signature
from .ownership import owner_for
from .pipeline import checksum, process
from .text.digest import split_digest
from .text.fingerprint import band_values, key_overlap, key_values, similarity
from .text.readers import UnreadableDocument, kind_of

SAME_TEXT = 0.5  # MinHash similarity of copies in one script (spun copies included)
SAME_FACTS = 0.6  # share of numbers and organisations of copies in other languages
DATE_WINDOW = dt.timedelta(days=10)
OFFICIAL = ("国资委", "國資委", "gov.cn", "SASAC")


def org_names() -> dict[str, list[str]]:
    from reformtrack.orgs.models import Organisation

    rows = Organisation.objects.values_list(
        "code", "name_zh", "name_en", "short_name_zh", "short_name_en"
    )
    return {code: [n for n in names if n] for code, *names in rows}


def ingest(*, user, data: bytes, filename: str, owner=None) -> tuple[Document, bool]:
    """(document, created): the same file twice is a no-op returning the first copy the user
    reads. The document belongs to `owner` (on which the user needs `report`), by default the
    user's office, or for the operator (user None) the top supervisor: public policies."""
    if user is not None and not granted_paths(user, "report"):
        raise PermissionDenied(_("Uploading documents needs a business role."))
    owner = owner_for(user, "report", owner)
    try:
        kind_of(filename)
    except UnreadableDocument as exc:
        raise ValidationError({"file": str(exc)}) from exc
    copies = Document.objects.filter(checksum=checksum(data))
    if user is None:
        existing = copies.filter(owner=owner).first()
    else:
        existing = copies.visible_to(user, "view").order_by("owner__depth", "pk").first()
    if existing is not None:
        return existing, False
    names = org_names()
    try:
        done = process(data, filename, org_names=names)
    except UnreadableDocument as exc:
        raise ValidationError({"file": str(exc)}) from exc
    if done.meta["source"] in names:  # a publisher inferred from the text: its name, not code
        done.meta["source"] = _display_name(done.meta["source"])
    written: list[str] = []  # the file exists only together with its committed row
    try:
        with transaction.atomic():
            document = _store(done, user=user, owner=owner, filename=filename, data=data,
                              written=written)  # fmt: skip
            for entry in split_digest(done.text):
                _ingest_entry(document, entry, user=user)
    except BaseException:  # an error, an interrupt or SIGTERM (see `docs ingest`): no orphan
        storage.remove(written)
        raise
    return document, True


def _display_name(code: str) -> str:
    from reformtrack.orgs.models import Organisation

    org = Organisation.objects.filter(code=code).first()
    return (org.short_name_zh or org.name_zh) if org else code


def _ingest_entry(digest: Document, entry, *, user) -> Document:
    """One policy or news item of a digest, as a document of its own (searchable, clustered)."""
    text = f"{entry.title}\n{entry.body}"
    name = f"{digest.filename}#{entry.part}-{entry.number}.txt"
    done = process(text.encode(), name, org_names=org_names(), reference_date=digest.published_on)
    done.checksum = checksum(f"{digest.checksum}#{entry.part}-{entry.number}".encode())
    done.meta["title"] = entry.title
    done.meta["source"] = digest.source
    done.meta["source_inferred"], done.meta["source_basis"] = (
        digest.source_inferred,
        digest.source_basis,
    )
    done.meta["period_start"], done.meta["period_end"] = digest.period_start, digest.period_end
    if entry.part == "news" or not done.meta["published_on"]:
        done.meta["published_on"] = None  # a news item carries no date of its own here
    return _store(done, user=user, owner=digest.owner, filename=name, data=None, parent=digest,
                  part=entry.part, analysis=entry.analysis)  # fmt: skip


def _store(done, *, user, owner, filename, data, parent=None, part="", analysis="",
           written=None) -> Document:  # fmt: skip
    meta = done.meta
    document = Document(
        checksum=done.checksum,
        filename=filename[:255],
        original_text=done.original,
        text=done.text,
        search_text=done.search_text,
        tokens=done.tokens,
        language=done.language,
        script=done.script,
        title=meta["title"][:300],
        published_on=meta["published_on"],
        period_start=meta["period_start"],
        period_end=meta["period_end"],
        source=meta["source"][:200],
        source_inferred=meta["source_inferred"],
        source_basis=meta["source_basis"],
        author=meta["author"][:200],
        authority=meta["authority"][:200],
        doc_number=meta["doc_number"][:100],
        links=meta["links"],
        spun=done.spun,
        spun_confidence=done.spun_confidence,
        changes=done.changes,
        repairs=done.repairs,
        minhash=done.minhash,
        keys=done.keys,
        uploaded_by=user,
        owner=owner,
        parent=parent,
        part=part,
        analysis=analysis,
    )
    if data is not None:
        document.file.save(filename.rsplit("/", 1)[-1], ContentFile(data), save=False)
        written.append(document.file.name)
    else:
        document.file = parent.file.name
    cluster = choose_cluster(document)
    document.save()  # one audited insert, cluster included
    Signature.objects.bulk_create(
        Signature(document=document, value=v)
        for v in band_values(document.minhash) + key_values(document.keys)
    )
    _update_best(cluster, document)
    Extraction.objects.bulk_create(
        Extraction(
            document=document,
            kind=i["kind"],
            text=i["text"][:500],
            start=i["start"],
            end=i["end"],
            method=i["method"],
            value=i["value"],
            org_code=i["value"].get("code", "")
            if i["kind"] == "organisation"
            else i["value"].get("organisation", ""),
            programme_code=i["value"].get("programme", "") if i["kind"] == "programme" else "",
        )
        for i in done.items
    )
    return document


def _is_copy(a: Document, b: Document) -> bool:
    if (
        (a.parent_id and a.parent_id == b.parent_id)
        or b.pk in (a.parent_id,)
        or (a.pk is not None and a.pk == b.parent_id)
    ):
        return False  # a digest's entries are different stories, and parts of the digest
    if a.published_on and b.published_on and abs(a.published_on - b.published_on) > DATE_WINDOW:
        return False
    same_script = a.script == b.script or {a.script, b.script} <= {"Hans", "Hant"}
    if same_script and similarity(a.minhash, b.minhash) >= SAME_TEXT:
        return True
    return key_overlap(a.keys, b.keys) >= SAME_FACTS


def _rank(d: Document):
    """Best copy first: not spun, original language (Chinese), official, earliest."""
    official = any(mark in d.source for mark in OFFICIAL)
    return (
        d.spun,
        not d.language.startswith("zh"),
        not official,
        d.published_on or dt.date.max,
        d.pk,
    )


def _candidates(document: Document):
    """Documents sharing a MinHash band, or two figures, with this one (indexed look-ups)."""
    bands = band_values(document.minhash)
    keys = key_values(document.keys)
    by_band = Signature.objects.filter(value__in=bands).values_list("document", flat=True)
    by_keys = (
        Signature.objects.filter(value__in=keys)
        .values("document")
        .annotate(shared=Count("id"))
        .filter(shared__gte=2)
        .values_list("document", flat=True)
    )
    ids = (set(by_band) | set(by_keys)) - {document.pk}  # pk is None before the first save
    candidates = Document.objects.filter(pk__in=ids)
    if document.published_on:
        candidates = candidates.filter(
            Q(published_on__isnull=True)
            | Q(
                published_on__gte=document.published_on - DATE_WINDOW,
                published_on__lte=document.published_on + DATE_WINDOW,
            )
        )
    return candidates.select_related("cluster").order_by("pk")


def choose_cluster(document: Document) -> Cluster:
    """The cluster of the first earlier copy among the candidates, else a new one; called
    before the document is saved, so its row is written once with its cluster."""
    match = next((c for c in _candidates(document) if _is_copy(document, c)), None)
    if match is not None and match.cluster_id:
        cluster = match.cluster
    else:
        cluster = Cluster.objects.create()
        if match is not None:
            match.cluster = cluster
            match.save(update_fields=["cluster"])
    document.cluster = cluster
    return cluster


def _update_best(cluster: Cluster, document: Document) -> None:
    """Best copy of the cluster: the kept best against the newcomer (the ranking is a total
    order); the whole cluster is read only when no best is kept yet."""
    if cluster.best_id:
        best = min(cluster.best, document, key=_rank)
    else:
        best = min(cluster.documents.only("spun", "language", "source", "published_on"), key=_rank)
    if cluster.best_id != best.pk:
        cluster.best = best
        cluster.save(update_fields=["best"])


def _organisation(code: str):
    from reformtrack.orgs.models import Organisation

    return Organisation.objects.filter(code=code).first()


def review(*, user, item: Extraction, accept: bool) -> Extraction:
    """A reviewer accepts or rejects an item; items about an organisation need `change` on it."""
    org = _organisation(item.org_code) if item.org_code else None
    if user is not None:
        if org is not None and not can(user, "change", org):
            raise PermissionDenied(_("You may not review facts about this organisation."))
        if org is None and not granted_paths(user, "change"):
            raise PermissionDenied(_("Reviewing needs the change action."))
    item.review = Review.ACCEPTED if accept else Review.REJECTED
    item.reviewed_by = user
    item.reviewed_at = timezone.now()
    item.save(update_fields=["review", "reviewed_by", "reviewed_at"])
    return item


def promote_rating(*, user, item: Extraction, campaign) -> object:
    """An accepted rating becomes an assessment result, linked back to its source."""
    try:
        from reformtrack.assessments.services import record_result
    except ImportError as exc:
        raise ValidationError(_("Assessments cannot take results yet.")) from exc
    if item.kind != ItemKind.RATING or item.review != Review.ACCEPTED:
        raise ValidationError(_("Only an accepted rating can be promoted."))
    org = _organisation(item.org_code)
    if org is None:
        raise ValidationError(_("Organisation %(code)s is unknown.") % {"code": item.org_code})
    source = f"document {item.document_id} [{item.start}:{item.end}] {item.document.title}"
    result = record_result(
        user=user,
        campaign=campaign,
        organisation=org,
        rating=item.value["rating"],
        note=item.text,
        source=source,
    )
    item.promoted_to = f"assessment:{campaign.pk}"
    item.save(update_fields=["promoted_to"])
    return result


def _source_of(item: Extraction) -> str:
    return f"document {item.document_id} [{item.start}:{item.end}] {item.document.title}"[:300]


def _accepted(item: Extraction, kinds: tuple[str, ...]) -> None:
    if item.kind not in kinds or item.review != Review.ACCEPTED:
        raise ValidationError(_("Only an accepted fact of this kind can be promoted."))


def promote_figure(*, user, item: Extraction, organisation, year: int, period: str, basis: str,
                   line: str) -> object:  # fmt: skip
    """An accepted money figure becomes a line of the organisation's KPI statement."""
    from reformtrack.kpis.services import record_statement

    _accepted(item, (ItemKind.MONEY,))
    if item.value.get("currency") != "CNY":
        raise ValidationError(_("Only amounts in yuan go into statements."))
    unit = item.value["unit"] if item.value["unit"] in ("元", "万元", "亿元") else "元"
    amount = item.value["amount"] if unit == item.value["unit"] else item.value["value"]
    statement = record_statement(
        user=user, organisation=organisation, year=year, period=period, basis=basis,
        lines={line: Decimal(amount)}, unit=unit, source=_source_of(item),
    )  # fmt: skip
    item.promoted_to = f"statement:{statement.pk}"
    item.save(update_fields=["promoted_to"])
    return statement


def promote_target(*, user, item: Extraction, programme, area, organisation, code: str,
                   title: str = "") -> object:  # fmt: skip
    """An accepted target with a deadline becomes a one-off task on a programme's ledger."""
    from reformtrack.programs.services.tasks import add_task

    _accepted(item, (ItemKind.TARGET,))
    deadline = dt.date.fromisoformat(item.value["deadline"])
    what = item.value.get("what") or item.text
    task = add_task(
        user=user, programme=programme, area=area, organisation=organisation, code=code,
        title=(title or what)[:200], deadline=deadline,
        measure=f"{what}\n{_('Source')}: {_source_of(item)}",
    )  # fmt: skip
    item.promoted_to = f"task:{task.pk}"
    item.save(update_fields=["promoted_to"])
    return task
