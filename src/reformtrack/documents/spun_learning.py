"""Spun repair that learns: a cluster holding a clean and a spun copy of one story teaches
the swaps between them (proposed, reviewed by a person: accepted ones are used by repair);
the clean library (clean Simplified documents and the shipped clean seeds) trains the n-gram
model that decides each repair in context."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reformtrack.core.scoping import can

from .models import Document
from .spun_models import LearnedSubstitution, SwapStatus
from .text.ngram import CharModel
from .text.spun_learn import DOC_THRESHOLD, Swap, align, calibrate

SEEDS = Path(__file__).resolve().parent / "demo_data"
LIBRARY_DOCUMENTS = 100  # latest clean documents the model reads (bounded work)
REBUILD_EVERY = 50  # new documents before the model is rebuilt (not on every ingested file)
_lock = threading.Lock()
_cache: dict = {}


@cache
def seed_texts() -> tuple[str, ...]:
    """The shipped clean seeds in Simplified Chinese (the spun copy 003 left out)."""
    from .text.convert import to_simplified
    from .text.detect import detect
    from .text.normalise import normalise

    texts = []
    for path in sorted(SEEDS.glob("*.txt")):
        text, _repairs = normalise(path.read_text(encoding="utf-8"))
        if not path.name.startswith("003_") and detect(text)[1] in ("Hans", "Hant"):
            texts.append(to_simplified(text))
    return tuple(texts)


def _clean_library():
    """Clean Simplified documents: not flagged spun, and the best copy of their cluster (a
    spun copy the table missed is never the model of clean prose beside its clean copy)."""
    return Document.objects.filter(script="Hans", spun=False).filter(
        Q(cluster__isnull=True) | Q(cluster__best=F("pk"))
    )


def _stamp() -> tuple:
    clean = _clean_library().aggregate(last=Max("pk"))
    swaps = LearnedSubstitution.objects.filter(status=SwapStatus.ACCEPTED)
    return (
        (clean["last"] or 0) // REBUILD_EVERY,
        swaps.aggregate(last=Max("decided_at"))["last"],
        swaps.count(),
    )


def current() -> tuple[CharModel, list[Swap]]:
    """(model of the clean library, accepted swaps), rebuilt when either changed. Outside a
    database (the pipeline run alone) the seeds' model and no learned swaps."""
    try:
        stamp = _stamp()
    except Exception:  # no database here: what ships with the code
        stamp = None
    with _lock:
        if _cache.get("stamp", ...) == stamp:
            return _cache["model"], _cache["swaps"]
    texts = list(seed_texts())
    swaps: list[Swap] = []
    if stamp is not None:
        latest = _clean_library().order_by("-pk")
        texts += list(latest.values_list("text", flat=True)[:LIBRARY_DOCUMENTS])
        accepted = LearnedSubstitution.objects.filter(status=SwapStatus.ACCEPTED)
        swaps = sorted({Swap(s, o) for s, o in accepted.values_list("spun", "original")},
                       key=lambda s: (s.spun, s.clean))  # fmt: skip
    model = CharModel(texts)
    threshold = calibrate(texts, swaps, model) if swaps else DOC_THRESHOLD
    with _lock:
        _cache.update(stamp=stamp, model=model, swaps=swaps, threshold=threshold)
    return model, swaps


def threshold() -> float:
    """The document threshold calibrated on the clean library with the accepted swaps (log10):
    above the score of every clean library text, so clean text is left alone."""
    current()
    with _lock:
        return _cache.get("threshold", DOC_THRESHOLD)


def _clean_copy(copies: list[Document], best: Document | None, model: CharModel):
    """The clean copy: the cluster's best if it is clean, else the copy reading most like the
    clean library."""
    clean = [d for d in copies if not d.spun]
    if best is not None and best in clean:
        return best
    if not clean:
        return None
    return max(clean, key=lambda d: model.score(d.text[:2000]) / max(1, len(d.text[:2000])))


@transaction.atomic
def learn_from_cluster(cluster) -> list[LearnedSubstitution]:
    """Align the cluster's clean Simplified copy with each other Simplified copy and propose
    the swaps found (counted, with the documents they came from) to the clean copy's owner."""
    copies = list(Document.objects.filter(cluster=cluster, script="Hans").order_by("pk"))
    if len(copies) < 2:
        return []
    model, _swaps = current()
    clean = _clean_copy(copies, cluster.best, model)
    if clean is None or clean.owner_id is None:
        return []
    touched: dict[tuple[str, str], LearnedSubstitution] = {}
    for other in copies:
        if other.pk == clean.pk or other.text == clean.text:
            continue
        for swap, count in align(clean.text, other.text).items():
            row, _created = LearnedSubstitution.objects.select_for_update().get_or_create(
                owner_id=clean.owner_id, spun=swap.spun, original=swap.clean
            )
            sources = sorted({*row.learned_from, clean.pk, other.pk})
            if sources != row.learned_from:  # a pair counted once however often re-learned
                row.count += count
                row.learned_from = sources
                row.save(update_fields=["count", "learned_from"])
            touched[(swap.spun, swap.clean)] = row
    return list(touched.values())


def decide(*, user, substitution: LearnedSubstitution, status: str, version: int):
    """Accept or reject a proposed swap; a stale version (someone decided meanwhile) is
    refused."""
    if status not in (SwapStatus.ACCEPTED, SwapStatus.REJECTED):
        raise ValidationError({"status": _("Choose accept or reject.")})
    if not can(user, "change", substitution):
        raise PermissionDenied(_("You may not review this substitution."))
    with transaction.atomic():
        updated = LearnedSubstitution.objects.filter(pk=substitution.pk, version=version).update(
            version=version + 1
        )
        if not updated:
            raise ValidationError(
                _("Someone else decided this substitution meanwhile; reload the page.")
            )
        row = LearnedSubstitution.objects.select_for_update().get(pk=substitution.pk)
        row.status, row.decided_by, row.decided_at = status, user, timezone.now()
        row.save(update_fields=["status", "decided_by", "decided_at"])
    return row


def learn_from_documents(documents) -> int:
    """After an ingest batch (a command or task, never a request): learn from the clusters of
    `documents` that hold two Simplified copies or more. The number of proposals touched."""
    from .models import Cluster

    ids = {d.cluster_id for d in documents if d is not None and d.cluster_id}
    return sum(len(learn_from_cluster(c)) for c in Cluster.objects.filter(pk__in=ids))
