"""Evidence files of ledger tasks: checked and stored by core's file service, a second file of
the same title kept as a new version."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from reformtrack.core.scoping import Action
from reformtrack.core.services.files import check_file, store_upload

from ..choices import ReportState
from ..models import Evidence, EvidenceVersion, LedgerTask
from .tasks import require


@transaction.atomic
def add_evidence(*, user, task: LedgerTask, upload, title: str = "", report=None):
    """Attach a file; the same title again is a new version of that evidence. With `report`,
    the file is filed with that draft or returned report of the task."""
    require(user, Action.REPORT, task)
    if report is not None and (
        report.task_id != task.pk or report.state not in (ReportState.DRAFT, ReportState.RETURNED)
    ):
        raise ValidationError(_("Evidence can be added only to a draft or returned report."))
    check_file(upload)  # before the evidence row is made
    title = (title or PurePath(upload.name).stem).strip()[:200]
    evidence, _created = Evidence.objects.get_or_create(
        task=task, title=title, defaults={"report": report}
    )
    number = (evidence.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return store_upload(EvidenceVersion(evidence=evidence), upload, user=user, number=number)
