"""Actual values of annual contracts in Excel: the export is the import's template with the
current values (one row per indicator, with the contract's version); the import checks every
row first and refuses the whole file on any error, naming each bad row and column, then writes
through `services.record_actuals` (the page's and the API's path), one call per contract."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from reformtrack.core.exporters import xlsx_bytes
from reformtrack.core.importer import (
    Column,
    Importer,
    ImportFailed,
    Row,
    RowError,
    decimal,
    text,
)
from reformtrack.core.scoping import can
from reformtrack.orgs.models import Organisation
from reformtrack.orgs.roles import PAY

from .choices import Status
from .models import AnnualContract, AnnualResult, ContractIndicator
from .services import record_actuals


def _int(value) -> int:
    try:
        return int(text()(value))
    except ValueError:
        raise ValueError(_("%(value)s is not a whole number.") % {"value": value}) from None


COLUMNS = (
    Column("organisation", "单位代码", "Organisation code", required=True, parse=text(40)),
    Column("name", "姓名", "Name", required=True, parse=text(100)),
    Column("post", "职务", "Post", required=True, parse=text(100)),
    Column("year", "年度", "Year", required=True, parse=_int),
    Column("code", "指标代码", "Indicator code", required=True, parse=text(40)),
    Column("indicator", "指标名称", "Indicator", read_only=True),
    Column("target", "目标值", "Target", read_only=True),
    Column("actual", "实际值", "Actual", parse=decimal(places=4)),
    Column("evidence", "佐证材料", "Evidence", parse=text(300)),
    Column("version", "版本", "Version", required=True, parse=_int),
)


class ActualsImporter(Importer):
    columns = COLUMNS
    count_keys = ("contracts", "values")

    def __init__(self, *, user, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._orgs: dict[str, Organisation | None] = {}
        self.contracts: dict[int, AnnualContract] = {}

    def parse_organisation(self, value) -> Organisation:
        code = text()(value).upper()
        if code not in self._orgs:
            self._orgs[code] = Organisation.objects.filter(code=code).first()
        org = self._orgs[code]
        # An organisation out of the user's scope reads as unknown: never say what exists.
        if org is None or (self.user is not None and not can(self.user, PAY, org)):
            raise ValueError(_("Unknown organisation code %(code)s.") % {"code": code})
        return org

    def _contract(self, row: Row) -> AnnualContract | None:
        contract = (
            AnnualContract.objects.select_related("tenure__member__organisation")
            .filter(
                tenure__member__organisation=row["organisation"],
                tenure__member__name=row["name"],
                tenure__member__post=row["post"],
                year=row["year"],
            )
            .first()
        )
        if contract is None:
            self.error(row.number, "year", _("No annual contract of this manager for this year."))
        return contract

    def check(self, rows: list[Row]) -> None:
        seen: dict[tuple, int] = {}
        versions: dict[int, int] = {}
        for row in rows:
            if None in (row["organisation"], row["name"], row["post"], row["year"], row["code"]):
                continue
            contract = self._contract(row)
            if contract is None:
                continue
            indicator = ContractIndicator.objects.filter(
                contract=contract, code=row["code"]
            ).first()
            if indicator is None:
                self.error(
                    row.number, "code",
                    _("No indicator %(code)s in this contract.") % {"code": row["code"]},
                )  # fmt: skip
                continue
            if row["actual"] == indicator.actual and (row["evidence"] or "") == indicator.evidence:
                continue  # unchanged (an exported row as it is): nothing to write or refuse
            self.contracts[row.number] = contract
            if row["actual"] is not None and not row["evidence"]:
                self.error(
                    row.number, "evidence",
                    _("Name the evidence of the value entered for %(code)s.")
                    % {"code": row["code"]},
                )  # fmt: skip
            if contract.status != Status.APPROVED:
                self.error(
                    row.number, "year", _("Actual values are entered once the contract is signed.")
                )
            result = AnnualResult.objects.filter(contract=contract).first()
            if result is not None and result.status not in (Status.DRAFT, Status.RETURNED):
                self.error(
                    row.number, "actual",
                    _("The year's result is approved or waiting for approval."),
                )  # fmt: skip
            if row["version"] is not None and row["version"] != contract.version:
                self.error(
                    row.number, "version",
                    _("The contract was changed since (version %(current)s, not %(read)s): "
                      "export it again.") % {"current": contract.version, "read": row["version"]},
                )  # fmt: skip
            versions.setdefault(contract.pk, row["version"])
            key = (contract.pk, row["code"])
            if key in seen:
                self.error(
                    row.number, "code",
                    _("The same indicator as row %(row)s.") % {"row": seen[key]},
                )  # fmt: skip
            seen.setdefault(key, row.number)

    def write(self, rows: list[Row]) -> dict[str, int]:
        grouped: dict[int, tuple[AnnualContract, int, dict, int]] = {}
        for row in rows:
            contract = self.contracts.get(row.number)
            if contract is None:
                continue
            entry = grouped.setdefault(contract.pk, (contract, row["version"], {}, row.number))
            entry[2][row["code"]] = (row["actual"], row["evidence"] or "")
        values = 0
        for contract, version, items, first_row in grouped.values():
            try:
                record_actuals(user=self.user, contract=contract, values=items, version=version)
            except (ValidationError, PermissionDenied) as exc:
                messages = (
                    [f"{k}: {'; '.join(v)}" for k, v in exc.message_dict.items()]
                    if hasattr(exc, "message_dict")
                    else [str(exc)]
                )
                raise ImportFailed([RowError(first_row, "", "; ".join(messages))]) from exc
            values += len(items)
        return {"contracts": len(grouped), "values": values}


def actuals_xlsx(contracts, language: str = "zh") -> bytes:
    """The import's template with every indicator of the contracts and its current value."""
    header = [c.header(language) for c in COLUMNS]
    rows = (
        [
            c.tenure.member.organisation.code,
            c.tenure.member.name,
            c.tenure.member.post,
            c.year,
            i.code,
            i.name,
            i.target,
            i.actual,
            i.evidence,
            c.version,
        ]  # fmt: skip
        for c in contracts.prefetch_related("indicators")
        for i in c.indicators.all()
    )
    return xlsx_bytes(_("Actual values"), header, rows)
