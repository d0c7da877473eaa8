"""Writes of the documents app: ingest files (idempotent by checksum; `ingestion.py` keeps their
items and places them in clusters of copies); review an item; promote an accepted rating into an
assessment, a figure into a statement, a target into a task."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from reformtrack.core.scoping import can, granted_paths

from .ingestion import Ingested, ingest, ingest_many  # noqa: F401  (the ingestion path)
from .models import Extraction, ItemKind, Review


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
