"""Bulk entry of final results from Excel (the way an outside evaluator's results arrive):
one row per enterprise, validated row by row through `record_result`, all or nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reformtrack.core.importer import Column, Importer, ImportFailed, RowError, decimal, text
from reformtrack.orgs.models import Organisation

from .models import Campaign
from .services.results import record_result

COLUMNS = (
    Column("organisation", "组织代码", "Organisation code", required=True),
    Column("name", "企业名称", "Enterprise", read_only=True),
    Column("score", "得分", "Score", parse=decimal(0, 100)),
    Column("rating", "评级", "Rating"),
    Column("note", "备注", "Note", parse=text(2000)),
    Column("source", "来源", "Source", parse=text(2000)),
)
FIELD_COLUMNS = {"score": "score", "rating": "rating", "organisation": "organisation"}


class ResultImporter(Importer):
    """Final scores and/or ratings of a campaign's enterprises, for `user` (None: operator)."""

    columns = COLUMNS
    count_keys = ("recorded",)

    def __init__(self, *, user, campaign: Campaign, progress=None):
        super().__init__(**({"progress": progress} if progress else {}))
        self.user, self.campaign = user, campaign

    def parse_organisation(self, value) -> Organisation:
        code = text()(value).strip().upper()
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            raise ValueError(_("Unknown organisation code %(code)s.") % {"code": code})
        return org

    def check(self, rows) -> None:
        seen = {}
        for row in rows:
            org = row["organisation"]
            if org is None:
                continue
            if org.pk in seen:
                self.error(row.number, "organisation", _("%(code)s appears again (row %(row)s).")
                           % {"code": org.code, "row": seen[org.pk]})  # fmt: skip
            seen.setdefault(org.pk, row.number)
            if row["score"] is None and not row["rating"]:
                self.error(row.number, "rating", _("Give a rating, a score or both."))
        # Every row through the service now, rolled back, so all problems are reported at once.
        valid = [r for r in rows if r["organisation"] is not None and not any(
            e.row == r.number for e in self.errors)]  # fmt: skip
        with transaction.atomic():
            self.errors.extend(self._record(valid))
            transaction.set_rollback(True)

    def write(self, rows) -> dict[str, int]:
        errors = self._record(rows)
        if errors:
            raise ImportFailed(errors)
        return {"recorded": len(rows)}

    def _record(self, rows) -> list[RowError]:
        errors = []
        for row in self.progress(rows, len(rows), "results"):
            try:
                record_result(user=self.user, campaign=self.campaign,
                              organisation=row["organisation"], rating=row["rating"] or "",
                              score=row["score"], note=row["note"] or "",
                              source=row["source"] or "")  # fmt: skip
            except PermissionDenied as exc:
                errors.append(RowError(row.number, self.header_of("organisation"), str(exc)))
            except ValidationError as exc:
                items = exc.message_dict.items() if hasattr(exc, "error_dict") else [
                    ("", exc.messages)]  # fmt: skip
                for key, messages in items:
                    for message in messages:
                        column = self.header_of(FIELD_COLUMNS[key]) if key in FIELD_COLUMNS else ""
                        errors.append(RowError(row.number, column, message))
        return errors
