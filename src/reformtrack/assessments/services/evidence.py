"""Evidence files of a self-assessed indicator: checked by the ledger's file checks, stored
with a SHA-256, a second upload of the same title kept as a new version."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from reformtrack.core.scoping import Action
from reformtrack.core.services.files import store_upload

from ..models import EvidenceFile, Score
from .campaigns import SELF_EDITABLE
from .common import require


@transaction.atomic
def add_score_evidence(*, user, score: Score, upload, title: str = "") -> EvidenceFile:
    """Attach `upload` to `score` while its assessment is editable by the enterprise."""
    assessment = score.assessment
    require(user, Action.REPORT, assessment)
    if assessment.status not in SELF_EDITABLE:
        raise ValidationError(_("Evidence can be added only while the self-assessment is open."))
    title = (title or PurePath(upload.name).stem).strip()[:200]
    latest = EvidenceFile.objects.filter(score=score, title=title).aggregate(n=Max("number"))
    stored = EvidenceFile(score=score, title=title)
    return store_upload(stored, upload, user=user, number=(latest["n"] or 0) + 1)
