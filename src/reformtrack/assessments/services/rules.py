"""Campaign rules checked on every path (page, API, Excel, command line) because every path
goes through the services: deadlines (a later one only through an extension approved by the
level above), required evidence, and missing data that is never scored as 0."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reformtrack.core.models.approvals import ApprovalStatus
from reformtrack.core.scoping import Action, can
from reformtrack.core.services import approvals
from reformtrack.core.stored_messages import Message

from ..models import Assessment, ExtensionRequest

DEADLINE_ZONE = ZoneInfo("Asia/Shanghai")  # a deadline is the end of that day in Beijing time
EXTENSION_CHAIN = "assessment"  # decided at the supervisor's level, above the enterprise
Kind = ExtensionRequest.Kind
_AS_OF: ContextVar[dt.datetime | None] = ContextVar("campaign_rules_as_of", default=None)


@contextmanager
def as_of(now: dt.datetime | None):
    """Checks inside (e.g. the approval receiver) take `now` as the time (history replayed)."""
    token = _AS_OF.set(now)
    try:
        yield
    finally:
        _AS_OF.reset(token)


def deadline_end(day: dt.date) -> dt.datetime:
    """The first instant after the deadline day, Asia/Shanghai (aware)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=DEADLINE_ZONE)


def deadline_of(assessment: Assessment, kind: str) -> dt.date:
    """The campaign's deadline, or the latest approved extension of it for this assessment."""
    campaign = assessment.campaign
    base = campaign.self_deadline if kind == Kind.SELF else campaign.review_deadline
    approved = assessment.extensions.filter(kind=kind, status=ExtensionRequest.Status.APPROVED)
    later = max((e.new_date for e in approved), default=base)
    return max(base, later)


def check_deadline(assessment: Assessment, kind: str, now: dt.datetime | None = None) -> None:
    """Refuse a self-assessment (or review) after its deadline unless extended."""
    day = deadline_of(assessment, kind)
    if (now or _AS_OF.get() or timezone.now()) >= deadline_end(day):
        if kind == Kind.SELF:
            message = _("The self-assessment deadline (%(day)s) has passed; ask for an "
                        "extension, which the level above must approve.")  # fmt: skip
        else:
            message = _("The review deadline (%(day)s) has passed; ask for an extension, which "
                        "the level above must approve.")  # fmt: skip
        raise ValidationError({"deadline": message % {"day": day.isoformat()}})


def missing_evidence(assessment: Assessment) -> list[str]:
    """Codes of indicators whose rule set names required evidence and that have no file."""
    return [
        s.indicator.code
        for s in assessment.scores.select_related("indicator").prefetch_related("files")
        if (s.indicator.evidence_zh.strip() or s.indicator.evidence_en.strip())
        and not s.files.all()
    ]


def missing_scores(assessment: Assessment) -> list[str]:
    """Codes of indicators with no self-score (for a value indicator: no value captured)."""
    return [s.indicator.code for s in assessment.scores.select_related("indicator")
            if s.self_points is None]  # fmt: skip


def check_complete(assessment: Assessment) -> None:
    """Refuse a submission with missing scores or values, or required evidence missing."""
    missing = assessment.missing_codes
    if missing:
        raise ValidationError({"points": _("Not filled in yet (no score or no value from the "
                                           "ledger or KPIs): %(codes)s.")
                               % {"codes": "、".join(missing)}})  # fmt: skip
    no_files = missing_evidence(assessment)
    if no_files:
        raise ValidationError({"evidence": _("Required evidence is missing for %(codes)s: "
                                             "attach at least one file to each.")
                               % {"codes": "、".join(no_files)}})  # fmt: skip


@transaction.atomic
def request_extension(
    *, user, assessment: Assessment, kind: str, new_date: dt.date, reason: str
) -> ExtensionRequest:
    """Ask for a later deadline: the enterprise for its self-assessment, a reviewer for the
    review. It goes into the approval flow; the asker never decides it."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown deadline %(kind)s.") % {"kind": kind}})
    kind = Kind(kind)
    organisation = (
        assessment.organisation if kind == Kind.SELF else assessment.campaign.organisation
    )
    action = Action.REPORT if kind == Kind.SELF else Action.APPROVE
    target = assessment if kind == Kind.SELF else assessment.campaign
    if not can(user, action, target):
        raise PermissionDenied(_("You may not ask for this extension."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the deadline should move.")})
    current = deadline_of(assessment, kind)
    if new_date <= current:
        raise ValidationError({"new_date": _("The new deadline must be after %(day)s.")
                               % {"day": current.isoformat()}})  # fmt: skip
    if assessment.extensions.filter(kind=kind, status=ExtensionRequest.Status.PENDING).exists():
        raise ValidationError(_("An extension is already waiting for a decision."))
    extension = ExtensionRequest.objects.create(
        assessment=assessment, organisation=organisation, kind=kind, new_date=new_date,
        reason=reason.strip(), requested_by=user,
    )  # fmt: skip
    approvals.submit(
        target=extension, organisation=organisation, user=user, comment=reason.strip(),
        title=Message(gettext_noop("Deadline extension: %(a)s"), a=extension),
        chain=EXTENSION_CHAIN,
    )  # fmt: skip
    return extension


def on_extension_finished(extension: ExtensionRequest, outcome: str) -> None:
    """Receiver side of the approval flow: an approved extension moves the deadline."""
    if outcome == ApprovalStatus.APPROVED:
        extension.status = ExtensionRequest.Status.APPROVED
    elif outcome == ApprovalStatus.RETURNED:
        extension.status = ExtensionRequest.Status.RETURNED
    else:
        return
    extension.decided_at = timezone.now()
    extension.save(update_fields=["status", "decided_at"])
