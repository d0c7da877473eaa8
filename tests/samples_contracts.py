"""Permission-matrix samples of the contracts app: a manager with a signed tenure and annual
contract, and an incentive plan, in A-SUB and in B-SUB. Pay is read with `pay`, so no API
sample: the matrix's API check expects every business role to read a sample, and contributors
must not (tests/test_contracts_people.py covers the contracts API role by role)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from reformtrack.contracts.choices import Status
from reformtrack.contracts.models import AnnualContract, IncentivePlan, Member, TenureContract
from reformtrack.contracts.services import create_annual, create_tenure, save_member, save_plan
from reformtrack.core.libraries import install_library

SHIPPED = Path(__file__).parent.parent / "src/reformtrack/libraries/contractrules"
FREE = [
    {"code": "F1", "name": "重点任务", "source": "free", "weight": Decimal(100),
     "baseline": Decimal(80), "target": Decimal(100), "challenge": Decimal(110),
     "rule": "LINEAR", "is_key": True},
]  # fmt: skip


def install_rules() -> None:
    for path in sorted(SHIPPED.glob("*.yaml")):
        install_library(path.read_text(encoding="utf-8"), origin=path.name)


def manager(org, *, name="甲经理", pay=Decimal(600000), indicators=None) -> AnnualContract:
    member = save_member(
        user=None, organisation=org, name=name, post="总经理", appointed_on=dt.date(2024, 1, 1),
        selection="market", tenure_start=dt.date(2024, 1, 1), tenure_end=dt.date(2026, 12, 31),
    )  # fmt: skip
    tenure = create_tenure(
        user=None, member=member, start=dt.date(2024, 1, 1), end=dt.date(2026, 12, 31)
    )
    return create_annual(
        user=None, tenure=tenure, year=2024, pay_standard=pay, indicators=indicators or FREE
    )


def build(tree, people) -> dict:
    install_rules()
    contracts = {}
    for side, code in (("a", "A-SUB"), ("b", "B-SUB")):
        contract = manager(tree[code], name=f"{side}经理")
        contract.status = Status.APPROVED
        contract.save(update_fields=["status"])
        contracts[side] = contract
        contract.tenure.status = Status.APPROVED
        contract.tenure.save(update_fields=["status"])
    members = {side: c.tenure.member for side, c in contracts.items()}
    tenures = {side: c.tenure for side, c in contracts.items()}
    plans = {side: plan(c.organisation) for side, c in contracts.items()}
    return {
        "models": {
            Member: members, AnnualContract: contracts, TenureContract: tenures,
            IncentivePlan: plans,
        },
        "params": {
            "org_pk": {side: c.organisation.pk for side, c in contracts.items()},
            "member_pk": {side: m.pk for side, m in members.items()},
            "tenure_pk": {side: t.pk for side, t in tenures.items()},
        },
    }  # fmt: skip


def plan(org, *, paid=Decimal(1_000_000)) -> IncentivePlan:
    return save_plan(
        user=None, organisation=org, kind="excess_profit", name="超额利润分享", year=2024,
        participants=10, conditions="利润总额超过目标", base_amount=Decimal(10_000_000),
        allowed=Decimal(2_000_000), paid=paid,
    )  # fmt: skip
