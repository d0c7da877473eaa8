"""Gaps of an assessment become rectification tasks in the ledger (one per indicator, linked
both ways); a gap closes when its task is done (an approved progress report finishes it)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reformtrack.core.libraries import install_library
from reformtrack.core.scoping import Action
from reformtrack.programs.choices import TaskStatus
from reformtrack.programs.models import Area, Programme
from reformtrack.programs.services.tasks import add_task

from ..models import Assessment, Rectification
from ..selectors import gaps
from .common import require

PROGRAMME_CODE = "RECT"
AREA_CODE = "GAPS"


def rectification_programme() -> tuple[Programme, Area]:
    """The shipped programme that holds rectification tasks (loaded on first use)."""
    programme = Programme.objects.filter(code=PROGRAMME_CODE).first()
    if programme is None:
        path = settings.REFORMTRACK_LIBRARY_DIR / "programmes" / "rectification.yaml"
        install_library(path.read_text(encoding="utf-8"), origin=path.name)
        programme = Programme.objects.get(code=PROGRAMME_CODE)
    return programme, Area.objects.get(programme=programme, code=AREA_CODE)


@transaction.atomic
def rectify(
    *, user, assessment: Assessment, indicator_codes: list[str] | None = None,
    owner: str = "", department: str = "", deadline: dt.date | None = None,
) -> list[Rectification]:  # fmt: skip
    """Turn the chosen gaps (all gaps if none are named) into ledger tasks of the enterprise."""
    require(user, Action.CHANGE, assessment)
    found = {g.score.indicator.code: g for g in gaps(assessment)}
    codes = indicator_codes if indicator_codes else list(found)
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError({"indicators": _("Not a gap of this assessment: %(codes)s.")
                               % {"codes": ", ".join(unknown)}})  # fmt: skip
    programme, area = rectification_programme()
    deadline = deadline or min(dt.date(assessment.campaign.year, 12, 31), programme.period_end)
    if deadline < timezone.localdate() and deadline.year < assessment.campaign.year:
        raise ValidationError({"deadline": _("The deadline lies in the past.")})
    made = []
    for code in codes:
        gap = found[code]
        if gap.rectification is not None:
            continue
        indicator = gap.score.indicator
        task = add_task(
            user=user, programme=programme, area=area, organisation=assessment.organisation,
            code=f"RECT-{assessment.campaign.code}-{assessment.organisation.code}-{indicator.code}",
            title=_("Rectify: %(title)s (%(lost)s points lost)")
            % {"title": indicator.title_zh, "lost": gap.lost},
            deadline=deadline, owner=owner, department=department,
            deliverable=indicator.evidence_zh[:300],
        )  # fmt: skip
        made.append(Rectification.objects.create(
            assessment=assessment, indicator=indicator, task=task, points_lost=gap.lost
        ))  # fmt: skip
    return made


def task_changed(task) -> None:
    """Called on every ledger save: a done task closes its gap; reopened, the gap reopens."""
    link = Rectification.objects.filter(task=task).first()
    if link is None:
        return
    done = task.status == TaskStatus.DONE
    if done and link.closed_at is None:
        link.closed_at = timezone.now()
        link.save(update_fields=["closed_at"])
    elif not done and link.closed_at is not None:
        link.closed_at = None
        link.save(update_fields=["closed_at"])
