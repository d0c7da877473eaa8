"""Evidence files: type and size checked, stored with a checksum, replaced files kept."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from reformtrack.core.scoping import Action

from ..choices import ReportState
from ..models import Evidence, EvidenceVersion, LedgerTask
from .tasks import require

# Extension → (content type, accepted leading bytes). Office files are ZIP (OOXML) or OLE2.
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ACCEPTED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    ".doc": ("application/msword", (OLE,)),
    ".xls": ("application/vnd.ms-excel", (OLE,)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


def check_file(upload) -> str:
    """The content type of an acceptable upload; ValidationError naming what is wrong."""
    limit = settings.REFORMTRACK_EVIDENCE_MAX_BYTES
    name = PurePath(upload.name).name
    suffix = PurePath(name).suffix.lower()
    if suffix not in ACCEPTED:
        raise ValidationError(
            {
                "file": _("%(name)s: only PDF, Word, Excel, PNG and JPEG files are accepted.")
                % {"name": name}
            }
        )
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("%(name)s is %(size)s MB; the limit is %(limit)s MB.")
                % {"name": name, "size": round(upload.size / 2**20, 1), "limit": limit // 2**20}
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": _("%(name)s is empty.") % {"name": name}})
    content_type, magics = ACCEPTED[suffix]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in magics):
        raise ValidationError(
            {
                "file": _("%(name)s is not the %(suffix)s file its name says.")
                % {"name": name, "suffix": suffix}
            }
        )
    return content_type


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def add_evidence(*, user, task: LedgerTask, upload, title: str = "", report=None):
    """Attach a file; the same title again is a new version of that evidence. With `report`,
    the file is filed with that draft or returned report of the task."""
    require(user, Action.REPORT, task)
    if report is not None and (
        report.task_id != task.pk or report.state not in (ReportState.DRAFT, ReportState.RETURNED)
    ):
        raise ValidationError(_("Evidence can be added only to a draft or returned report."))
    content_type = check_file(upload)
    title = (title or PurePath(upload.name).stem).strip()[:200]
    evidence, _created = Evidence.objects.get_or_create(
        task=task, title=title, defaults={"report": report}
    )
    number = (evidence.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = EvidenceVersion(
        evidence=evidence,
        number=number,
        original_name=PurePath(upload.name).name[:255],
        content_type=content_type,
        size=upload.size,
        sha256=_sha256(upload),
        uploaded_by=user,
    )
    version.file.save(version.original_name, upload, save=False)
    version.save()
    return version
