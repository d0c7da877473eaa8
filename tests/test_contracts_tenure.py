"""Tenure scoring: at the end of a tenure its approved annual results and its own indicators
give a score, a grade and the tenure incentive (capped by the rules), which count only once
approved through the chain (never by the person who sent it), pay encrypted at rest."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection

from reformtrack.contracts import scoring, services
from reformtrack.contracts import tenure as tenure_services
from reformtrack.contracts.choices import Status
from reformtrack.contracts.models import TenureResult
from reformtrack.contracts.rules import load_rules
from reformtrack.contracts.services import create_annual
from reformtrack.core.services import approvals
from reformtrack.core.services.versioning import StaleEdit

from .samples_contracts import FREE, install_rules, manager

pytestmark = pytest.mark.django_db
D = Decimal
TENURE = [
    {"code": "T1", "name": "任期利润总额累计", "weight": D(100), "baseline": D(80),
     "target": D(100), "challenge": D(120), "rule": "LINEAR", "is_key": True},
]  # fmt: skip


@pytest.fixture
def rules(db):
    install_rules()
    return load_rules("CONTRACT-RULES")


def _approve(obj):
    obj.status = Status.APPROVED
    obj.save(update_fields=["status"])


def finished_tenure(org, actuals=(100, 95, 90)):
    """A signed tenure 2024–2026 with its three annual results approved (scores by actuals)."""
    first = manager(org)
    tenure = first.tenure
    tenure_services.set_tenure_indicators(
        user=None, tenure=tenure, version=tenure.version, indicators=TENURE
    )
    tenure.refresh_from_db()
    _approve(tenure)
    contracts = [first] + [
        create_annual(user=None, tenure=tenure, year=year, pay_standard=D(600000), indicators=FREE)
        for year in (2025, 2026)
    ]
    for contract, actual in zip(contracts, actuals, strict=True):
        _approve(contract)
        services.record_actuals(user=None, contract=contract, values={"F1": (D(actual), "台账")})
        _approve(services.score_contract(user=None, contract=contract))
    return tenure


def test_tenure_score_weights_grades_and_cap(rules):
    lines = [scoring.Line("T1", D(100), D(80), D(100), D(120), D(110), "LINEAR", True)]
    out = scoring.score_tenure(rules, [D(100), D(95), D(90)], lines, D(1_000_000))
    # mean 95 × 0.6 + 110 × 0.4 = 101 → A, 30% of the annual pay, at the cap exactly
    assert (out.annual_score, out.indicator_score, out.score, out.grade) == (
        D("95.00"), D("110.00"), D("101.00"), "A",
    )  # fmt: skip
    assert (out.incentive, out.capped) == (D("300000.00"), False)
    bigger = rules.model_copy(deep=True)
    bigger.tenure.grades[0].incentive_share = D("0.5")  # a share above the cap is capped
    out = scoring.score_tenure(bigger, [D(100)], [], D(1_000_000))
    assert (out.score, out.incentive, out.capped) == (D("100.00"), D("300000.00"), True)
    out = scoring.score_tenure(rules, [D(60), D(70), D(65)], [], D(1_000_000))
    assert (out.grade, out.incentive) == ("E", D("0.00"))


def test_tenure_result_counts_only_through_the_chain(tree, people, rules):
    office, sup = people["reform_office"], people["supervisor_admin"]
    tenure = finished_tenure(tree["A-SUB"])
    with pytest.raises(ValidationError) as exc:  # the tenure indicator has no actual yet
        tenure_services.score_tenure(user=office, tenure=tenure)
    assert "T1" in str(exc.value)
    with pytest.raises(ValidationError) as exc:  # an entered value names its evidence
        tenure_services.record_tenure_actuals(user=office, tenure=tenure, values={"T1": (D(1), "")})
    assert "T1" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        tenure_services.record_tenure_actuals(
            user=people["contributor"], tenure=tenure, values={"T1": (D(110), "决算")}
        )
    tenure_services.record_tenure_actuals(
        user=office, tenure=tenure, values={"T1": (D(110), "任期决算报告")}, version=tenure.version
    )
    with pytest.raises(StaleEdit):
        tenure_services.record_tenure_actuals(
            user=office, tenure=tenure, values={"T1": (D(90), "x")}, version=1
        )
    result = tenure_services.score_tenure(user=office, tenure=tenure)
    # annual scores 100, 90, 80 → mean 90; T1 110 points → 90 × 0.6 + 110 × 0.4 = 98 → A
    assert (result.score, result.grade, result.status) == (D("98.00"), "A", Status.DRAFT)
    # annual pay = Σ (base 180000 + performance 300000 × coefficient 1.2 / 1.0 / 0.8)
    assert result.annual_pay == D("1440000.00")
    assert result.incentive == D("432000.00")  # grade A: 30% of it (the cap: 30%)
    with connection.cursor() as cursor:  # the payout is stored encrypted
        cursor.execute("SELECT incentive FROM contracts_tenureresult WHERE id = %s", [result.pk])
        assert "432000" not in str(cursor.fetchone()[0])
    request = tenure_services.submit_tenure_result(
        user=office, result=result, version=result.version
    )
    result.refresh_from_db()
    assert result.status == Status.PENDING
    with pytest.raises(ValidationError):  # a waiting result is not rescored
        tenure_services.score_tenure(user=office, tenure=tenure)
    with pytest.raises(PermissionDenied):  # never one's own submission
        approvals.decide(request=request, user=office, approve=True)
    approvals.decide(request=request, user=sup, approve=True)
    result.refresh_from_db()
    assert result.status == Status.APPROVED
    with pytest.raises(ValidationError):  # approved: values are not re-entered
        tenure_services.record_tenure_actuals(
            user=office, tenure=tenure, values={"T1": (D(90), "x")}
        )


def test_tenure_needs_every_year_approved(tree, people, rules):
    contract = manager(tree["A-SUB"])
    _approve(contract.tenure)
    with pytest.raises(ValidationError) as exc:
        tenure_services.score_tenure(user=people["reform_office"], tenure=contract.tenure)
    assert "2024, 2025, 2026" in str(exc.value)
    assert not TenureResult.objects.exists()


def test_score_command_prints_the_tenure_ending_that_year(tree, rules):
    tenure = finished_tenure(tree["A-SUB"])
    tenure_services.record_tenure_actuals(user=None, tenure=tenure, values={"T1": (D(100), "x")})
    tenure_services.score_tenure(user=None, tenure=tenure)
    out = io.StringIO()
    call_command("contracts", "score", "--year", "2026", "--org", "GROUP-A", "--json", stdout=out)
    [row] = json.loads(out.getvalue())["tenures"]
    assert (row["member"], row["score"], row["grade"], row["status"]) == (
        "甲经理", "94.00", "B", "draft",
    )  # fmt: skip
    assert row["incentive"] == "345600.00"
    out = io.StringIO()
    call_command("contracts", "score", "--year", "2025", "--json", stdout=out)
    assert json.loads(out.getvalue())["tenures"] == []
