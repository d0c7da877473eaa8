"""The tenure result, role by role: its page and API for the member (own record), the reform
office, HR, the supervisor above, a contributor and a sibling group; every read of it logged
in the pay-read log; sent for approval by the office and decided a level above, through the
API as through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from reformtrack.contracts import services
from reformtrack.contracts import tenure as tenure_services
from reformtrack.contracts.choices import Status
from reformtrack.contracts.models import AnnualContract, PayRead, TenureResult
from reformtrack.core.models import ApprovalRequest
from reformtrack.core.services import approvals

from . import samples_contracts as sc
from . import test_contracts_people as people_tests

world = people_tests.world  # the shared fixture: group A's manager linked to a user, HR, …
KEEPERS = people_tests.KEEPERS

pytestmark = pytest.mark.django_db
D = Decimal
TENURE = [
    {"code": "T1", "name": "任期利润", "weight": D(100), "baseline": D(80), "target": D(100),
     "challenge": D(120), "rule": "LINEAR", "is_key": True},
]  # fmt: skip


def _approve(obj):
    obj.status = Status.APPROVED
    obj.save(update_fields=["status"])


def finished(tenure) -> TenureResult:
    """Setup: the tenure's indicators, its three years scored and approved, the tenure scored
    (every year 100 points → A: 540000 a year, 30% of 1620000 paid out)."""
    tenure.status = Status.DRAFT
    tenure.save(update_fields=["status"])
    tenure_services.set_tenure_indicators(
        user=None, tenure=tenure, version=tenure.version, indicators=TENURE
    )
    tenure.refresh_from_db()
    _approve(tenure)
    for year in range(tenure.start.year, tenure.end.year + 1):
        contract = AnnualContract.objects.filter(tenure=tenure, year=year).first()
        if contract is None:
            contract = services.create_annual(
                user=None, tenure=tenure, year=year, pay_standard=D(600000), indicators=sc.FREE
            )
        _approve(contract)
        services.record_actuals(user=None, contract=contract, values={"F1": (D(100), "台账")})
        _approve(services.score_contract(user=None, contract=contract))
    tenure_services.record_tenure_actuals(user=None, tenure=tenure, values={"T1": (D(100), "x")})
    return tenure_services.score_tenure(user=None, tenure=tenure)


def test_tenure_page_role_by_role_and_reads_logged(world, client_for):
    result = finished(world["a"].tenure)
    url = reverse("contracts:tenure", args=[result.tenure_id])
    wrong = []
    for who, user in world["users"].items():
        response = client_for(user).get(url)
        body = response.content.decode(errors="ignore")
        if who in KEEPERS or who == "member":
            ok = response.status_code == 200 and "a经理" in body and "486,000.00 元" in body
        else:
            ok = response.status_code in (403, 404) and "a经理" not in body
        if not ok:
            wrong.append(f"{who}: {response.status_code}")
    assert not wrong, wrong
    readers = set(PayRead.objects.filter(page="tenure").values_list("reader_username", flat=True))
    assert readers == {"manager_a", "hr_a", "office_a", "sup"}
    member_page = client_for(world["users"]["hr"]).get(
        reverse("contracts:member", args=[result.tenure.member_id])
    )
    assert url in member_page.content.decode() and "486,000.00 元" in member_page.content.decode()


def test_tenure_results_endpoint_role_by_role(world, api_for):
    result = finished(world["a"].tenure)
    detail = reverse("tenureresult-detail", args=[result.pk])
    wrong = []
    for who, user in world["users"].items():
        api = api_for(user)
        ids = [row["id"] for row in api.get(reverse("tenureresult-list")).json()["results"]]
        got = api.get(detail)
        patch = api.patch(detail, {"score": "100"}, format="json").status_code
        if who in KEEPERS or who == "member":
            ok = got.status_code == 200 and result.pk in ids and patch in (403, 405)
            ok = ok and got.json()["incentive"] == "486000.00"
        else:
            ok = got.status_code == 404 and result.pk not in ids and patch in (403, 404, 405)
        if not ok:
            wrong.append(f"{who}: {got.status_code} {patch} {result.pk in ids}")
    assert not wrong, wrong
    assert PayRead.objects.filter(page="api", object_type="contracts.tenureresult").count() == 4


def test_tenure_result_through_the_api_and_the_chain(world, api_for):
    tenure = world["a"].tenure
    result = finished(tenure)
    result.status = Status.DRAFT
    office = api_for(world["users"]["reform_office"])
    submit = reverse("tenureresult-submit", args=[result.pk])
    assert office.post(submit, {}, format="json").status_code == 428  # no version named
    stale = office.post(submit, {"version": result.version + 5}, format="json")
    assert stale.status_code == 412
    hr = api_for(world["users"]["hr"]).post(submit, {"version": result.version}, format="json")
    assert hr.status_code == 403  # HR prepares, it does not send into the chain
    sibling = api_for(world["users"]["sibling"])
    assert sibling.post(submit, {"version": result.version}, format="json").status_code == 404
    sent = office.post(submit, {"version": result.version}, format="json")
    assert sent.status_code == 200 and sent.json()["status"] == "pending"
    rescore = office.post(
        reverse("tenurecontract-score", args=[tenure.pk]), {"version": tenure.version},
        format="json",
    )  # fmt: skip
    assert rescore.status_code == 400  # a waiting result is not rescored
    request = ApprovalRequest.objects.get(object_id=str(result.pk))
    with pytest.raises(Exception):  # noqa: B017 - never one's own submission
        approvals.decide(request=request, user=world["users"]["reform_office"], approve=True)
    approvals.decide(request=request, user=world["users"]["supervisor_admin"], approve=True)
    result.refresh_from_db()
    assert result.status == Status.APPROVED and result.incentive == D("486000.00")
