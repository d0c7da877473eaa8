"""Statements in Excel: one row per organisation, year, period and basis, one column per
statement line (headers in Chinese or English). Every row is checked first; any error refuses
the whole file. Writing goes through `record_statement`, as the form and the API do."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from reformtrack.core.importer import (
    Column,
    Importer,
    ImportFailed,
    Row,
    RowError,
    decimal,
    no_progress,
    text,
)
from reformtrack.core.scoping import Action, can
from reformtrack.orgs.models import Organisation

from .choices import Basis
from .models import StatementLine
from .plausibility import statement_warnings
from .services.statements import check_statement, line_specs, record_statement
from .units import UNITS, period_months

BASIS_LABELS = {"合并": Basis.CONSOLIDATED, "单体": Basis.SINGLE, "本部": Basis.SINGLE}
FIXED = (
    Column("organisation", "单位代码", "Organisation code", required=True, parse=text(40)),
    Column("year", "年度", "Year", required=True, parse=decimal(1990, 2100, places=0)),
    Column("period", "期间", "Period", required=True, parse=text(3)),
    Column("basis", "报表口径", "Basis", required=True, parse=text(15)),
    Column("unit", "金额单位", "Unit", required=True, parse=text(4)),
)


def amount(value) -> str:
    """A statement cell as typed: digits kept (no rounding before the unit is applied), a
    percentage refused — a ratio in a money column is a column mix-up."""
    raw = text(60)(value).replace(",", "").replace("，", "")
    if raw.endswith(("%", "％")):
        raise ValueError(_("%(value)s is a percentage, not an amount.") % {"value": raw})
    return raw


def columns() -> tuple[Column, ...]:
    lines = tuple(
        Column(line.code, line.name_zh, line.name_en, parse=amount)
        for line in StatementLine.objects.all()
    )
    return FIXED + lines


class StatementImporter(Importer):
    count_keys = ("statements",)

    def __init__(self, *, user, progress=no_progress):
        super().__init__(progress=progress)
        self.user = user
        self.columns = columns()
        self.line_codes = [c.key for c in self.columns[len(FIXED) :]]
        self.specs = line_specs()
        self._orgs: dict[str, Organisation | None] = {}
        self.warnings: list[str] = []  # allowed but doubtful figures, by row (plausibility.py)

    def parse_organisation(self, value) -> Organisation:
        code = text()(value).upper()
        if code not in self._orgs:
            self._orgs[code] = Organisation.objects.filter(code=code).first()
        org = self._orgs[code]
        if org is None:
            raise ValueError(_("Unknown organisation code %(code)s.") % {"code": code})
        if self.user is not None and not can(self.user, Action.CHANGE, org):
            raise ValueError(_("You may not enter statements for %(code)s.") % {"code": code})
        return org

    def parse_period(self, value) -> str:
        period = text()(value).upper()
        period_months(period)  # ValueError with the message
        return period

    def parse_basis(self, value) -> str:
        raw = text()(value)
        basis = BASIS_LABELS.get(raw, raw.casefold())
        if basis not in Basis.values:
            raise ValueError(_("Unknown basis %(value)s; use 合并 or 单体.") % {"value": raw})
        return basis

    def parse_unit(self, value) -> str:
        unit = text()(value)
        if unit not in UNITS:
            raise ValueError(
                _("Unknown unit %(unit)s; use one of %(units)s.")
                % {"unit": unit, "units": "、".join(UNITS)}
            )
        return unit

    def check(self, rows: list[Row]) -> None:
        seen = {}
        for row in rows:
            self._check_lines(row)
            key = (row["organisation"], row["year"], row["period"], row["basis"])
            if None in key:
                continue
            if key in seen:
                self.error(
                    row.number, "organisation",
                    _("Same organisation, year, period and basis as row %(row)s.")
                    % {"row": seen[key]},
                )  # fmt: skip
            seen.setdefault(key, row.number)

    def _check_lines(self, row: Row) -> None:
        """The service's own rules on each line, so every row's problems are listed at once."""
        lines = {c: row[c] for c in self.line_codes if row[c] is not None}
        if not lines:
            self.error(row.number, "", _("The row has no statement line values."))
            return
        year = int(row["year"]) if row["year"] is not None else 2000
        try:
            check_statement(year, row["period"] or "Y", row["basis"] or "consolidated",
                            row["unit"] or "元", lines, self.specs)  # fmt: skip
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.error(row.number, field, message)

    def write(self, rows: list[Row]) -> dict[str, int]:
        count = 0
        for row in self.progress(rows, len(rows), "statements"):
            lines = {c: row[c] for c in self.line_codes if row[c] is not None}
            try:
                statement = record_statement(
                    user=self.user, organisation=row["organisation"], year=int(row["year"]),
                    period=row["period"], basis=row["basis"], lines=lines, unit=row["unit"],
                    source=_("Excel import"),
                )  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                raise ImportFailed([RowError(row.number, "", "; ".join(_messages(exc)))]) from exc
            self.warnings += [
                _("Row %(row)s: %(warning)s") % {"row": row.number, "warning": warning}
                for warning in statement_warnings(statement, row["unit"])
            ]
            count += 1
        return {"statements": count}


def _messages(exc) -> list[str]:
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
        return [f"{k}: {'; '.join(v)}" for k, v in exc.message_dict.items()]
    return [str(exc)]


def template_xlsx(language: str = "zh") -> bytes:
    """A blank statement template with one example row (illustrative figures)."""
    from reformtrack.core.exporters import xlsx_bytes

    cols = columns()
    header = [c.header(language) for c in cols]
    example = ["GROUP-CODE", 2025, "Y", "合并", "亿元"] + [""] * (len(cols) - len(FIXED))
    return xlsx_bytes(_("Statements"), header, [example])
