"""Evidence files of a self-assessed indicator: checked by the ledger's file checks, stored
with a SHA-256, a second upload of the same title kept as a new version."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from reformtrack.core.scoping import Action
from reformtrack.programs.services.evidence import check_file

from ..models import EvidenceFile, Score
from .campaigns import SELF_EDITABLE
from .common import require


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def add_score_evidence(*, user, score: Score, upload, title: str = "") -> EvidenceFile:
    """Attach `upload` to `score` while its assessment is editable by the enterprise."""
    assessment = score.assessment
    require(user, Action.REPORT, assessment)
    if assessment.status not in SELF_EDITABLE:
        raise ValidationError(_("Evidence can be added only while the self-assessment is open."))
    content_type = check_file(upload)
    name = PurePath(upload.name).name[:255]
    title = (title or PurePath(name).stem).strip()[:200]
    latest = EvidenceFile.objects.filter(score=score, title=title).aggregate(n=Max("number"))
    version = EvidenceFile(
        score=score, title=title, number=(latest["n"] or 0) + 1, original_name=name,
        content_type=content_type, size=upload.size, sha256=_sha256(upload), uploaded_by=user,
    )  # fmt: skip
    version.file.save(name, upload, save=False)
    version.save()
    return version
