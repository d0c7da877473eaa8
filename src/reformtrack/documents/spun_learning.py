"""Spun repair that learns: a cluster holding a clean and a spun copy of one story teaches
the swaps between them (every two copies aligned, the cleaner as the original; proposed,
reviewed by a person: accepted ones are used by repair); the clean library (clean Simplified
documents, the shipped clean seeds and the shipped corpus of clean official prose) trains the
n-gram model that decides each repair in context."""

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
from .text.ngram import CharModel, corpus_texts
from .text.spun_learn import DOC_THRESHOLD, Swap, align, calibrate
from .text.spun_sibling import reads_clean, restoration, restores_from

SEEDS = Path(__file__).resolve().parent / "demo_data"
LIBRARY_DOCUMENTS = 100  # latest clean documents the model reads (bounded work)
MAX_COPIES = 8  # copies of one cluster aligned pairwise (bounded work: 28 alignments at most)
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
    database (the pipeline run alone) the seeds' and corpus's model and no learned swaps."""
    try:
        stamp = _stamp()
    except Exception:  # no database here: what ships with the code
        stamp = None
    with _lock:
        if _cache.get("stamp", ...) == stamp:
            return _cache["model"], _cache["swaps"]
    texts = [*seed_texts(), *corpus_texts()]
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


def _reads_clean(document: Document, model: CharModel) -> float:
    """The n-gram model's log10 score per character of the copy's opening."""
    head = document.text[:2000]
    return model.score(head) / max(1, len(head))


def clean_sibling(*, user, document: Document) -> Document | None:
    """The copy of the document's story (that the user reads) it is restored from: a
    Simplified copy not found spun that ranks before it — the cluster's best, else the one
    reading cleaner (spun_sibling.restores_from). None where the document is that copy."""
    if not document.cluster_id or document.script != "Hans":
        return None
    best_id = document.cluster.best_id
    others = (
        Document.objects.visible_to(user, "view")
        .filter(cluster_id=document.cluster_id, script="Hans", spun=False)
        .exclude(pk=document.pk)
    )
    others = sorted(others.order_by("pk")[:MAX_COPIES], key=lambda d: (d.pk != best_id, d.pk))
    if not others:
        return None
    model, _swaps = current()
    other = others[0] if others[0].pk == best_id else max(
        others, key=lambda d: reads_clean(d.text, model)
    )  # fmt: skip
    if restores_from(document.spun, document.text, False, other.text, model,
                     other_is_best=other.pk == best_id,
                     copy_is_best=document.pk == best_id):  # fmt: skip
        return other
    return None


def shown_repairs(*, user, document: Document) -> dict | None:
    """The repairs the document page shows beside the original (read only, nothing is
    written): where its cluster holds a clean copy the user reads, each word restored as that
    copy writes it (with the table's and learned repairs), else the stored repairs of a copy
    found spun."""
    from .highlight import side_by_side
    from .text.spun import marked_segments

    sibling = clean_sibling(user=user, document=document)
    if sibling is not None:
        model, _swaps = current()
        restored = restoration(document.text, document.changes, document.spun, sibling.text,
                               model)  # fmt: skip
        if restored is not None:
            return {
                "original": document.original_text,
                "segments": marked_segments(restored.text, restored.changes),
                "count": len(restored.changes),
                "sibling": sibling,
            }
    return side_by_side(document) if document.spun else None


def _pairs(copies: list[Document], best: Document | None, model: CharModel):
    """(original, other) pairs of the cluster's copies to align. The first original is the
    cluster's best (else the copy reading most like the library); any other copy not flagged
    spun that reads at least as clean is an original too, so a story with two clean copies
    teaches from both. A spinner's synonyms make a copy read worse (0.003-0.2 log10 a
    character on the dev lists), so a spun copy is never taken as the original of another
    (two spinners' words are no swap)."""
    scores = {d.pk: _reads_clean(d, model) for d in copies}
    ranked = sorted(copies, key=lambda d: (d.spun, d != best, -scores[d.pk]))[:MAX_COPIES]
    first = ranked[0]
    if first.spun:
        return
    originals = [first, *(d for d in ranked[1:] if not d.spun and scores[d.pk] >= scores[first.pk])]
    for original in originals:
        for other in ranked:
            if other.pk != original.pk and other.text != original.text:
                if other in originals and other.pk < original.pk:
                    continue  # two originals are aligned once
                yield original, other


@transaction.atomic
def learn_from_cluster(cluster) -> list[LearnedSubstitution]:
    """Align every two Simplified copies of the cluster (the cleaner one as the original) and
    propose the swaps found to the original's owner, counted, with the documents they came
    from; an alignment already counted is not counted again. A swap found both ways within
    the cluster (目标→目的 in one pair, 目的→目标 in another: two editors' choices) is no
    spinner's and is not proposed."""
    copies = list(Document.objects.filter(cluster=cluster, script="Hans").order_by("pk"))
    if len(copies) < 2:
        return []
    model, _swaps = current()
    found: dict[tuple[int, str, str], list[tuple[int, int, int]]] = {}
    for original, other in _pairs(copies, cluster.best, model):
        if original.owner_id is None:
            continue
        for swap, count in align(original.text, other.text).items():
            key = (original.owner_id, swap.spun, swap.clean)
            found.setdefault(key, []).append((count, original.pk, other.pk))
    touched: dict[tuple[str, str], LearnedSubstitution] = {}
    for (owner_id, spun, clean), seen in sorted(found.items()):
        if (owner_id, clean, spun) in found:
            continue
        row, _created = LearnedSubstitution.objects.select_for_update().get_or_create(
            owner_id=owner_id, spun=spun, original=clean
        )
        known = set(row.learned_from)
        new = [(n, a, b) for n, a, b in seen if not {a, b} <= known]
        if new:  # a pair of copies counted once however often re-learned
            row.count += sum(n for n, _a, _b in new)
            row.learned_from = sorted(known | {pk for _n, a, b in new for pk in (a, b)})
            row.save(update_fields=["count", "learned_from"])
        touched[(spun, clean)] = row
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
