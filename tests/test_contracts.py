"""Contracts: scoring follows the rules library, contracts and results count only through the
approval chain, stale edits are refused, the roster round-trips through Excel all-or-nothing,
and `contracts score --json` prints each manager's score, grade, coefficient and exit flag."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from reformtrack.contracts import scoring, services
from reformtrack.contracts.choices import Status
from reformtrack.contracts.exporters import roster_xlsx
from reformtrack.contracts.importers import RosterImporter
from reformtrack.contracts.models import AnnualContract, Member
from reformtrack.contracts.rules import load_rules
from reformtrack.core.services import approvals
from reformtrack.core.services.versioning import StaleEdit

from .samples_contracts import install_rules, manager

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def rules(db):
    install_rules()
    return load_rules("CONTRACT-RULES")


def line(actual, *, rule="LINEAR", weight=100, baseline=80, target=100, challenge=110, key=True,
         code="X"):  # fmt: skip
    return scoring.Line(
        code=code, weight=D(weight), baseline=D(baseline), target=D(target),
        challenge=None if challenge is None else D(challenge),
        actual=None if actual is None else D(actual), rule=rule, is_key=key,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("actual", "points"),
    [
        (100, "100.00"),  # at the target: the full weight
        (80, "60.00"),  # at the baseline: the floor (0.6)
        (90, "80.00"),  # linear between
        (105, "110.00"),  # half way to the challenge: half the bonus
        (130, "120.00"),  # past the challenge: capped at 1.2
        (79, "0.00"),  # below the baseline: zero
    ],
)
def test_linear_rule(rules, actual, points):
    assert scoring.score(rules, [line(actual)]).points["X"] == D(points)


def test_penalty_and_lower_is_better(rules):
    assert scoring.score(rules, [line(70, rule="LINEAR_PENALTY")]).points["X"] == D("-50.00")
    lower = line(55, rule="LINEAR_LOWER", baseline=70, target=60, challenge=50)
    assert scoring.score(rules, [lower]).points["X"] == D("110.00")


def test_grades_coefficients_and_exits(rules):
    good = scoring.score(rules, [line(93)])
    assert (good.score, good.grade, good.coefficient, good.exits) == (D("86.00"), "B", D("1.0"), [])
    weak = scoring.score(rules, [line(69)])  # below baseline: 0 points, 69% of the key target
    assert weak.grade == "E" and weak.coefficient == 0
    assert [e["code"] for e in weak.exits] == ["LOW_SCORE", "LOWEST_GRADE", "KEY_TARGETS"]


def test_a_failed_veto_gives_the_lowest_grade(rules):
    outcome = scoring.score(
        rules,
        [line(100), line(0, rule="VETO", weight=0, baseline=0, target=1, challenge=None, code="V")],
    )
    assert outcome.score == D("100.00") and outcome.grade == "E" and outcome.vetoed == ["V"]


def test_pay_split_is_decimal_by_rules(rules):
    pay = scoring.pay(rules, D("600000"), D("1.2"))
    assert pay == {"base": D("180000.00"), "performance": D("360000.00"),
                   "tenure": D("144000.00"), "total": D("684000.00")}  # fmt: skip


def test_indicator_weights_and_rules_are_checked(tree, rules):
    bad = [{"code": "F1", "name": "x", "source": "free", "weight": D(90), "target": D(1),
            "rule": "NOPE"}]  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        manager(tree["A-SUB"], indicators=bad)
    text = " ".join(exc.value.messages)
    assert "NOPE" in text and "100" in text
    assert not AnnualContract.objects.exists()  # nothing half-written


def test_contract_and_result_count_only_through_the_chain(tree, people, rules):
    office, sup = people["reform_office"], people["supervisor_admin"]
    contract = manager(tree["A-SUB"])
    with pytest.raises(PermissionDenied):
        services.submit_contract(user=people["contributor"], contract=contract)
    with pytest.raises(PermissionDenied):
        services.submit_contract(user=people["outsider"], contract=contract)
    request = services.submit_contract(user=office, contract=contract, version=contract.version)
    contract.refresh_from_db()
    assert contract.status == Status.PENDING
    with pytest.raises(ValidationError):  # not signed yet: no actual values
        services.record_actuals(user=office, contract=contract, values={"F1": (D(95), "台账")})
    with pytest.raises(PermissionDenied):  # never one's own submission
        approvals.decide(request=request, user=office, approve=True)
    approvals.decide(request=request, user=sup, approve=True)
    contract.refresh_from_db()
    assert contract.status == Status.APPROVED

    with pytest.raises(ValidationError) as exc:  # an entered value names its evidence
        services.record_actuals(user=office, contract=contract, values={"F1": (D(95), "")})
    assert "F1" in exc.value.message_dict
    services.record_actuals(
        user=office, contract=contract, values={"F1": (D(95), "台账第3行")},
        version=contract.version,
    )  # fmt: skip
    with pytest.raises(StaleEdit):
        services.record_actuals(
            user=office, contract=contract, values={"F1": (D(96), "x")}, version=1
        )
    result = services.score_contract(user=office, contract=contract)
    assert (result.score, result.grade, result.status) == (D("90.00"), "B", Status.DRAFT)
    assert result.performance_pay == D("300000.00")  # 600000 × 0.5 × 1.0
    request = services.submit_result(user=office, result=result, version=result.version)
    approvals.decide(request=request, user=sup, approve=True)
    result.refresh_from_db()
    assert result.status == Status.APPROVED
    with pytest.raises(ValidationError):  # an approved year is not rescored
        services.score_contract(user=office, contract=contract)


def test_score_command_json(tree, rules):
    contract = manager(tree["A-SUB"])
    contract.status = Status.APPROVED
    contract.save()
    services.record_actuals(user=None, contract=contract, values={"F1": (D(60), "台账")})
    services.score_contract(user=None, contract=contract)
    out = io.StringIO()
    call_command("contracts", "score", "--year", "2024", "--org", "GROUP-A", "--json", stdout=out)
    data = json.loads(out.getvalue())
    [row] = data["members"]
    assert (row["member"], row["score"], row["grade"], row["coefficient"], row["exit"]) == (
        "甲经理", "0.00", "E", "0.0000", True,
    )  # fmt: skip
    assert {e["code"] for e in row["exit_reasons"]} == {"LOW_SCORE", "LOWEST_GRADE", "KEY_TARGETS"}
    out = io.StringIO()
    call_command("contracts", "score", "--year", "2024", "--org", "GROUP-B", "--json", stdout=out)
    assert json.loads(out.getvalue())["members"] == []


def _sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(
        ["单位代码", "姓名", "职务", "任职日期", "选任方式", "任期开始", "任期结束", "是否在任"]
    )
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_roster_import_is_all_or_nothing_and_round_trips(tree, people):
    office = people["reform_office"]
    good = ["A-SUB", "张三", "总经理", "2024-01-01", "市场化选聘", "2024-01-01", "2026-12-31", "是"]
    bad = ["B-SUB", "李四", "副总经理", "2024-01-01", "选举", "2024-01-01", "2023-12-31", "是"]
    result = RosterImporter(user=office).run(_sheet([good, bad]))
    errors = {(e.row, e.column) for e in result.errors}
    # B-SUB is another group's: unknown to this user; the selection and the dates are wrong
    assert errors == {(3, "单位代码"), (3, "选任方式"), (3, "任期结束")}
    assert not Member.objects.exists()
    result = RosterImporter(user=office).run(_sheet([good]))
    assert result.ok and result.counts == {"created": 1, "updated": 0}
    exported = roster_xlsx(Member.objects.all())
    rows = list(load_workbook(io.BytesIO(exported)).active.values)
    assert rows[1][:3] == ("A-SUB", "张三", "总经理")
    again = RosterImporter(user=office).run(exported)
    assert again.ok and again.counts == {"created": 0, "updated": 1}
    member = Member.objects.get()
    assert member.selection == "market" and member.tenure_end == dt.date(2026, 12, 31)


def test_incentive_plans_are_held_to_their_caps(tree, people, rules):
    office = people["reform_office"]
    fields = {"kind": "excess_profit", "name": "超额利润分享", "year": 2024, "participants": 20,
              "base_amount": D("1000000.00"), "allowed": D("400000.00")}  # fmt: skip
    with pytest.raises(ValidationError) as exc:  # 30% of the excess profit at most
        services.save_plan(user=office, organisation=tree["A-SUB"], paid=D("300000.01"), **fields)
    assert "300,000.00 元" in exc.value.message_dict["paid"][0]
    plan = services.save_plan(user=office, organisation=tree["A-SUB"], paid=D("300000"), **fields)
    assert services.plan_check(plan)["within_cap"]
    with pytest.raises(PermissionDenied):
        services.save_plan(
            user=people["contributor"], organisation=tree["A-SUB"], paid=D(1), **fields
        )
    fields["allowed"] = D("100")
    with pytest.raises(ValidationError):  # more than its conditions allowed
        services.save_plan(
            user=office, organisation=tree["A-SUB"], plan=plan, version=plan.version,
            paid=D("200"), **fields,
        )  # fmt: skip
