"""The roster of managers in Excel: one row per manager (organisation code, name, post,
appointment date, selection, tenure start and end, in post). Every row is checked first; any
error refuses the whole file, naming the row and column. Writing goes through `save_member`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from reformtrack.core.importer import Column, Importer, ImportFailed, Row, RowError, date, text
from reformtrack.core.scoping import can
from reformtrack.orgs.models import Organisation
from reformtrack.orgs.roles import PAY

from .choices import LeaveReason, Selection
from .models import Member
from .services import save_member

SELECTION_LABELS = {
    "任命": Selection.APPOINTED, "委任": Selection.APPOINTED,
    "市场化选聘": Selection.MARKET, "职业经理人": Selection.PROFESSIONAL,
}  # fmt: skip
YES = {"是", "在任", "yes", "y", "true", "1"}
NO = {"否", "离任", "no", "n", "false", "0"}
COLUMNS = (
    Column("organisation", "单位代码", "Organisation code", required=True, parse=text(40)),
    Column("name", "姓名", "Name", required=True, parse=text(100)),
    Column("post", "职务", "Post", required=True, parse=text(100)),
    Column("appointed_on", "任职日期", "Appointment date", required=True, parse=date),
    Column("selection", "选任方式", "Selection", required=True, parse=text(20)),
    Column("tenure_start", "任期开始", "Tenure start", required=True, parse=date),
    Column("tenure_end", "任期结束", "Tenure end", required=True, parse=date),
    Column("is_active", "是否在任", "In post", parse=text(10)),
    Column("left_on", "离任日期", "Left on", parse=date),
    Column("leave_reason", "离任原因", "Why left", parse=text(40)),
    Column("leave_note", "离任说明", "Note on leaving", parse=text(300)),
)
# Leave reasons as written in the sheet (Chinese labels of the export, or the codes).
LEAVE_LABELS = {
    "降职": LeaveReason.DEMOTED, "降职或调整": LeaveReason.DEMOTED,
    "触发退出条件": LeaveReason.EXIT_TRIGGER, "考核免职": LeaveReason.ASSESSMENT,
    "辞职": LeaveReason.RESIGNED, "退休": LeaveReason.RETIRED, "调任": LeaveReason.TRANSFERRED,
}  # fmt: skip
LEAVE_TEXT = {
    LeaveReason.DEMOTED: "降职", LeaveReason.EXIT_TRIGGER: "触发退出条件",
    LeaveReason.ASSESSMENT: "考核免职", LeaveReason.RESIGNED: "辞职",
    LeaveReason.RETIRED: "退休", LeaveReason.TRANSFERRED: "调任",
}  # fmt: skip


class RosterImporter(Importer):
    columns = COLUMNS
    count_keys = ("created", "updated")

    def __init__(self, *, user, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._orgs: dict[str, Organisation | None] = {}

    def parse_organisation(self, value) -> Organisation:
        code = text()(value).upper()
        if code not in self._orgs:
            self._orgs[code] = Organisation.objects.filter(code=code).first()
        org = self._orgs[code]
        # An organisation out of the user's scope reads as unknown: never say what exists.
        if org is None or (self.user is not None and not can(self.user, PAY, org)):
            raise ValueError(_("Unknown organisation code %(code)s.") % {"code": code})
        return org

    def parse_selection(self, value) -> str:
        raw = text()(value)
        found = SELECTION_LABELS.get(raw, raw.casefold())
        if found not in Selection.values:
            raise ValueError(
                _("Unknown selection %(value)s; use one of %(choices)s.")
                % {"value": raw, "choices": "任命、市场化选聘、职业经理人"}
            )
        return found

    def parse_leave_reason(self, value) -> str:
        raw = text()(value)
        found = LEAVE_LABELS.get(raw, raw.casefold())
        if found not in LeaveReason.values:
            raise ValueError(
                _("Unknown reason %(value)s; use one of %(choices)s.")
                % {"value": raw, "choices": "、".join(LEAVE_LABELS)}
            )
        return found

    def parse_is_active(self, value) -> bool:
        raw = text()(value).casefold()
        if raw in YES:
            return True
        if raw in NO:
            return False
        raise ValueError(_("Write %(yes)s or %(no)s.") % {"yes": "是", "no": "否"})

    def check(self, rows: list[Row]) -> None:
        seen: dict[tuple, int] = {}
        for row in rows:
            start, end = row["tenure_start"], row["tenure_end"]
            if start and end and end <= start:
                self.error(row.number, "tenure_end", _("The tenure ends after it starts."))
            if row["is_active"] is False and not (row["left_on"] and row["leave_reason"]):
                self.error(
                    row.number, "left_on", _("A manager out of post names the date and why.")
                )
            key = (row["organisation"], row["name"], row["post"])
            if None in key:
                continue
            if key in seen:
                self.error(
                    row.number, "name",
                    _("Same organisation, name and post as row %(row)s.") % {"row": seen[key]},
                )  # fmt: skip
            seen.setdefault(key, row.number)

    def write(self, rows: list[Row]) -> dict[str, int]:
        counts = {"created": 0, "updated": 0}
        for row in rows:
            org = row["organisation"]
            member = Member.objects.filter(
                organisation=org, name=row["name"], post=row["post"]
            ).first()
            try:
                save_member(
                    user=self.user, organisation=org, name=row["name"], post=row["post"],
                    appointed_on=row["appointed_on"], selection=row["selection"],
                    tenure_start=row["tenure_start"], tenure_end=row["tenure_end"],
                    is_active=True if row["is_active"] is None else row["is_active"],
                    left_on=row["left_on"], leave_reason=row["leave_reason"] or "",
                    leave_note=row["leave_note"] or "", member=member,
                )  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                messages = (
                    [f"{k}: {'; '.join(v)}" for k, v in exc.message_dict.items()]
                    if hasattr(exc, "message_dict")
                    else [str(exc)]
                )
                raise ImportFailed([RowError(row.number, "", "; ".join(messages))]) from exc
            counts["updated" if member else "created"] += 1
        return counts
