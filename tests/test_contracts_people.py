"""People and pay, role by role: every contracts page and endpoint for the member (their own
record only), the reform office, HR, the supervisor above, a contributor and a sibling group;
editing with versions on pages and the API; a score or pay figure changing only through its
approval (page, API, Excel); the pay-read log kept apart from the audit trail."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reformtrack.contracts import services
from reformtrack.contracts.choices import Status
from reformtrack.contracts.models import AnnualResult, PayRead, Workforce
from reformtrack.core.models import ApprovalRequest, AuditRecord
from reformtrack.core.services import approvals
from reformtrack.orgs.roles import PAY, ROLE_ACTIONS

from . import samples_contracts as sc

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree, people, make_user):
    """Group A's manager (signed contract, a plan) linked to a user; a second manager in A-SUB;
    group B's manager; HR on group A."""
    found = sc.build(tree, people)
    a = found["models"][sc.AnnualContract]["a"]
    b = found["models"][sc.AnnualContract]["b"]
    other = sc.manager(tree["A-SUB"], name="乙经理", pay=Decimal(777777))
    member_user = make_user("manager_a")
    member = a.tenure.member
    services.save_member(
        user=None, organisation=member.organisation, name=member.name, post=member.post,
        appointed_on=member.appointed_on, selection=member.selection,
        tenure_start=member.tenure_start, tenure_end=member.tenure_end, account=member_user,
        member=member,
    )  # fmt: skip
    users = {
        "member": member_user,
        "hr": make_user("hr_a", role="hr", org=tree["GROUP-A"]),
        "reform_office": people["reform_office"],
        "supervisor_admin": people["supervisor_admin"],
        "contributor": people["contributor"],
        "sibling": people["outsider"],
    }
    return {"a": a, "b": b, "other": other, "users": users,
            "plan": found["models"][sc.IncentivePlan]["a"], "tree": tree}  # fmt: skip


def _pages(w):
    a, plan = w["a"], w["plan"]
    org, member, tenure = a.organisation.pk, a.tenure.member_id, a.tenure_id
    own = {
        "contracts:home": [], "contracts:exits": [], "contracts:reads": [],
        "contracts:export": [], "contracts:member": [member], "contracts:annual": [a.pk],
        "contracts:word": [a.pk], "contracts:tenure": [tenure],
    }  # fmt: skip
    keepers = {
        "contracts:import": [], "contracts:member-edit": [member],
        "contracts:actuals-import": [], "contracts:actuals-export": [],
        "contracts:member-new": [org], "contracts:tenure-new": [member],
        "contracts:tenure-edit": [tenure], "contracts:annual-new": [tenure],
        "contracts:annual-edit": [a.pk], "contracts:figures": [org],
        "contracts:figures-export": [org], "contracts:plan-new": [org],
        "contracts:plan-edit": [plan.pk],
    }  # fmt: skip
    return own, keepers


KEEPERS = ("reform_office", "hr", "supervisor_admin")


def test_every_contracts_page_role_by_role(world, client_for):
    own, keepers = _pages(world)
    from tests.test_permissions import PAGES

    named = {name for name, _entry in PAGES if name.startswith("contracts:")}
    assert named == set(own) | set(keepers) | {"contracts:tenure-submit"}
    wrong = []
    for who, user in world["users"].items():
        client = client_for(user)
        for pages, member_may in ((own, True), (keepers, False)):
            for name, args in pages.items():
                response = client.get(reverse(name, args=args))
                status = response.status_code
                if who in KEEPERS or (who == "member" and member_may):
                    ok = status == 200
                elif who == "sibling":
                    ok = status == 404 or (not args and status == 200)
                else:
                    ok = status in (403, 404)
                body = response.content.decode(errors="ignore")
                if who not in KEEPERS + ("member",) and "a经理" in body:
                    ok = False
                if not ok:
                    wrong.append(f"{who} {name}: {status}")
    assert not wrong, wrong


def test_member_reads_only_their_own_record(world, client_for):
    client = client_for(world["users"]["member"])
    home = client.get(reverse("contracts:home")).content.decode()
    assert "a经理" in home and "乙经理" not in home
    other = world["other"]
    assert client.get(reverse("contracts:annual", args=[other.pk])).status_code == 404
    assert client.get(reverse("contracts:member", args=[other.tenure.member_id])).status_code == 404
    page = client.get(reverse("contracts:annual", args=[world["a"].pk])).content.decode()
    assert "600,000.00 元" in page and 'name="actual-F1"' not in page  # read, not edited
    response = client.post(
        reverse("contracts:annual", args=[world["a"].pk]), {"action": "score", "version": 1}
    )
    assert response.status_code == 403


def test_hr_reads_pay_but_approves_nothing_and_writes_no_other_business_data(world, api_for):
    assert ROLE_ACTIONS["hr"] == {"view", PAY}
    hr = world["users"]["hr"]
    data = api_for(hr).get(reverse("annualcontract-detail", args=[world["a"].pk])).json()
    assert data["pay_standard"] == "600000.00"
    tenure = services.create_tenure(
        user=hr, member=world["other"].tenure.member, start=dt.date(2027, 1, 1),
        end=dt.date(2029, 12, 31),
    )  # fmt: skip
    # HR prepares; sending for signing is the office's (`report`), deciding the level above's
    with pytest.raises(PermissionDenied):
        services.submit_contract(user=hr, contract=tenure, version=tenure.version)
    tenure.refresh_from_db()
    assert tenure.status == Status.DRAFT
    office = world["users"]["reform_office"]
    request = services.submit_contract(user=office, contract=tenure, version=tenure.version)
    assert not approvals.may_decide(hr, request)
    assert approvals.may_decide(
        world["users"]["supervisor_admin"], request
    ) or approvals.may_decide(world["users"]["reform_office"], request)


API = ("contractmember", "tenurecontract", "annualcontract", "annualresult", "incentiveplan",
       "workforce")  # fmt: skip


def test_every_contracts_endpoint_role_by_role(world, api_for):
    a = world["a"]
    services.save_workforce(
        user=None, organisation=a.organisation, year=2024, headcount=100, market_exits=5,
        hires=10, open_hires=9,
    )  # fmt: skip
    samples = {
        "contractmember": a.tenure.member, "tenurecontract": a.tenure, "annualcontract": a,
        "incentiveplan": world["plan"], "workforce": Workforce.objects.get(),
    }  # fmt: skip
    wrong = []
    for who, user in world["users"].items():
        api = api_for(user)
        for basename in API:
            listed = api.get(reverse(f"{basename}-list"))
            ids = (
                [row["id"] for row in listed.json()["results"]] if listed.status_code == 200 else []
            )
            obj = samples.get(basename)
            if obj is None:
                continue
            detail = api.get(reverse(f"{basename}-detail", args=[obj.pk])).status_code
            patch = api.patch(reverse(f"{basename}-detail", args=[obj.pk]), {}, format="json")
            own = who == "member" and basename in ("contractmember", "tenurecontract",
                                                   "annualcontract")  # fmt: skip
            if who in KEEPERS:
                ok = detail == 200 and obj.pk in ids and patch.status_code in (400, 405, 428)
            elif own:
                ok = detail == 200 and obj.pk in ids and patch.status_code in (403, 404, 405)
            else:
                ok = detail == 404 and obj.pk not in ids and patch.status_code in (403, 404, 405)
            if not ok:
                wrong.append(f"{who} {basename}: {detail} {patch.status_code} {obj.pk in ids}")
    assert not wrong, wrong


INDICATORS = [
    {"code": "F1", "name": "重点任务", "source": "free", "weight": "100", "baseline": "80",
     "target": "100", "challenge": "110", "rule": "LINEAR", "is_key": True},
]  # fmt: skip


def test_api_round_trip_of_a_contract_to_its_approved_result(world, api_for, client_for):
    office, sup = api_for(world["users"]["reform_office"]), world["users"]["supervisor_admin"]
    member = world["other"].tenure.member
    tenure = office.post(
        reverse("tenurecontract-list"),
        {"member": member.pk, "start": "2027-01-01", "end": "2029-12-31"}, format="json",
    )  # fmt: skip
    assert tenure.status_code == 201, tenure.json()
    tid = tenure.json()["id"]
    body = {"tenure": tid, "year": 2027, "pay_standard": "500000", "indicators": INDICATORS}
    created = office.post(reverse("annualcontract-list"), body, format="json")
    assert created.status_code == 201, created.json()
    url = reverse("annualcontract-detail", args=[created.json()["id"]])
    assert office.patch(url, body, format="json").status_code == 428
    stale = office.patch(url, body, format="json", HTTP_IF_MATCH='"9"')
    assert stale.status_code == 412
    changed = office.patch(url, body | {"pay_standard": "520000"}, format="json",
                           HTTP_IF_MATCH=created["ETag"])  # fmt: skip
    assert changed.status_code == 200 and changed.json()["pay_standard"] == "520000.00"
    # signed only through the chain
    for what, pk in (("tenurecontract", tid), ("annualcontract", created.json()["id"])):
        detail = office.get(reverse(f"{what}-detail", args=[pk]))
        sent = office.post(reverse(f"{what}-submit", args=[pk]), {}, format="json",
                           HTTP_IF_MATCH=detail["ETag"])  # fmt: skip
        assert sent.status_code == 200 and sent.json()["status"] == Status.PENDING
        _approve_all(sup, sent.json()["id"], what)
    detail = office.get(url)
    assert detail.json()["status"] == Status.APPROVED
    missing = office.post(reverse("annualcontract-actuals", args=[detail.json()["id"]]),
                          {"values": {"F1": {"actual": "95", "evidence": ""}}}, format="json",
                          HTTP_IF_MATCH=detail["ETag"])  # fmt: skip
    assert missing.status_code == 400 and "F1" in missing.json()
    entered = office.post(reverse("annualcontract-actuals", args=[detail.json()["id"]]),
                          {"values": {"F1": {"actual": "95", "evidence": "年报"}}}, format="json",
                          HTTP_IF_MATCH=detail["ETag"])  # fmt: skip
    assert entered.status_code == 200
    scored = office.post(reverse("annualcontract-score", args=[detail.json()["id"]]), {},
                         format="json", HTTP_IF_MATCH=entered["ETag"])  # fmt: skip
    assert scored.status_code == 200 and scored.json()["status"] == Status.DRAFT
    result_url = reverse("annualresult-detail", args=[scored.json()["id"]])
    assert office.patch(result_url, {"score": "100"}, format="json").status_code == 405
    read = office.get(result_url)
    office.post(reverse("annualresult-submit", args=[scored.json()["id"]]), {}, format="json",
                HTTP_IF_MATCH=read["ETag"])  # fmt: skip
    _approve_all(sup, scored.json()["id"], "annualresult")
    result = AnnualResult.objects.get(pk=scored.json()["id"])
    assert result.status == Status.APPROVED
    pay = result.total_pay
    # an approved result is not rescored or re-entered: not by the API, the page or Excel
    again = office.post(reverse("annualcontract-actuals", args=[detail.json()["id"]]),
                        {"values": {"F1": {"actual": "50", "evidence": "x"}}}, format="json",
                        HTTP_IF_MATCH=office.get(url)["ETag"])  # fmt: skip
    assert again.status_code == 400
    page = client_for(world["users"]["reform_office"])
    contract_pk = detail.json()["id"]
    for action in ("actuals", "score"):
        response = page.post(
            reverse("contracts:annual", args=[contract_pk]),
            {"action": action, "version": office.get(url).json()["version"],
             "actual-F1": "10", "evidence-F1": "x"}, follow=True,
        )  # fmt: skip
        assert "该年度考核结果已批准或正在审批。" in response.content.decode()
    result.refresh_from_db()
    assert result.total_pay == pay and str(result.score) == scored.json()["score"]
    assert result.status == Status.APPROVED


def _approve_all(user, target_pk, what):
    """The supervisor (and office) decide each level of the chain, as the approvals page does."""
    from django.contrib.contenttypes.models import ContentType

    model = {"tenurecontract": sc.TenureContract, "annualcontract": sc.AnnualContract,
             "annualresult": AnnualResult}[what]  # fmt: skip
    request = ApprovalRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=str(target_pk)
    ).latest("pk")
    for _ in range(5):
        request.refresh_from_db()
        if request.status != "pending":
            break
        decider = next(u for u in approvals.deciders(request) if approvals.may_decide(u, request))
        approvals.decide(user=decider, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == "approved", request.status


def test_page_edit_carries_the_version_and_a_stale_save_is_refused(world, client_for):
    client = client_for(world["users"]["hr"])
    contract = sc.manager(world["tree"]["A-SUB2"], name="丙经理")
    url = reverse("contracts:annual-edit", args=[contract.pk])
    post = {"pay_standard": "610000", "version": contract.version, "ind-0-code": "F1",
            "ind-0-name": "重点任务", "ind-0-source": "free", "ind-0-weight": "100",
            "ind-0-baseline": "80", "ind-0-target": "100", "ind-0-rule": "LINEAR"}  # fmt: skip
    assert client.post(url, post).status_code == 302
    contract.refresh_from_db()
    assert contract.pay_standard == Decimal("610000.00") and contract.version == 2
    stale = client.post(url, post | {"pay_standard": "1"})
    assert (
        stale.status_code == 200
        and "nothing was saved" in stale.content.decode().lower()
        or ("没有保存" in stale.content.decode() or "未保存" in stale.content.decode())
    )
    contract.refresh_from_db()
    assert contract.pay_standard == Decimal("610000.00")
    bad = client.post(url, post | {"version": 2, "ind-0-weight": "60"})
    assert bad.status_code == 200 and "60" in bad.content.decode()
    contract.refresh_from_db()
    assert contract.version == 2


def test_roster_import_never_changes_a_result(world, client_for):
    contract = world["a"]
    services.record_actuals(user=None, contract=contract, values={"F1": (Decimal(90), "年报")})
    result = services.score_contract(user=None, contract=contract)
    before = (result.score, result.total_pay, result.version)
    from reformtrack.contracts.exporters import roster_xlsx

    data = roster_xlsx(sc.Member.objects.filter(pk=contract.tenure.member_id))
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world["users"]["reform_office"])
    response = client.post(
        reverse("contracts:import"), {"file": SimpleUploadedFile("r.xlsx", data)}
    )
    assert response.status_code == 200 and "import-result" in response.content.decode()
    result.refresh_from_db()
    assert (result.score, result.total_pay, result.version) == before


def test_pay_reads_are_logged_apart_and_append_only(world, client_for):
    client = client_for(world["users"]["supervisor_admin"])
    audit = AuditRecord.objects.count()
    client.get(reverse("contracts:member", args=[world["a"].tenure.member_id]))
    read = PayRead.objects.get()
    assert AuditRecord.objects.count() == audit
    assert read.member == world["a"].tenure.member and read.reader_username == "sup"
    with pytest.raises(TypeError):
        read.save()
    with pytest.raises(TypeError):
        PayRead.objects.all().delete()
    with pytest.raises(TypeError):
        PayRead.objects.update(page="x")
    own = client_for(world["users"]["member"]).get(reverse("contracts:reads")).content.decode()
    assert "sup" in own and "经理层成员页面" in own  # the member sees who read their pay, where
    sibling = client_for(world["users"]["sibling"]).get(reverse("contracts:reads"))
    assert "a经理" not in sibling.content.decode()


def test_figures_with_staff_trend_and_excel(world, client_for, programme):
    from reformtrack.programs.models import LedgerTask

    org = world["a"].organisation
    # the ledger's coverage task of tenure contracts for this subsidiary (MINI's M-1 renamed)
    LedgerTask.objects.filter(code="M-1-A-SUB").update(
        title="全面推行经理层成员任期制和契约化管理", percent=Decimal(50)
    )
    client = client_for(world["users"]["hr"])
    url = reverse("contracts:figures", args=[org.pk])
    staff = {"year": 2024, "headcount": 200, "market_exits": 8, "hires": 40, "open_hires": 38}
    saved = client.post(url + "?year=2024", staff | {"version": 0})
    assert saved.status_code == 302
    refused = client.post(url, {"year": 2024, "headcount": 200, "market_exits": 300, "hires": 40,
                                "open_hires": 38, "version": 1})  # fmt: skip
    assert refused.status_code == 200
    assert Workforce.objects.get().market_exits == 8
    page = client.get(url + "?year=2024").content.decode()
    assert "4.00%" in page and "95.00%" in page and "<svg" in page
    assert "50.00% (M-1-A-SUB)" in page
    data = client.get(reverse("contracts:figures-export", args=[org.pk]) + "?year=2024")
    sheet = openpyxl.load_workbook(io.BytesIO(data.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    last = rows[-1]
    assert last[0] == 2024 and Decimal(str(last[10])) == Decimal("4.00")


def test_plan_over_its_cap_is_refused_by_the_api(world, api_for):
    api = api_for(world["users"]["reform_office"])
    body = {"organisation": "A-SUB", "kind": "excess_profit", "name": "超额利润分享二期",
            "year": 2024, "participants": 5, "base_amount": "1000000", "allowed": "900000",
            "paid": "400000"}  # fmt: skip
    response = api.post(reverse("incentiveplan-list"), body, format="json")
    assert response.status_code == 400 and "300,000.00 元" in str(response.json())
    ok = api.post(reverse("incentiveplan-list"), body | {"paid": "250000"}, format="json")
    assert ok.status_code == 201 and ok.json()["paid"] == "250000.00"
    sibling = api_for(world["users"]["sibling"]).post(
        reverse("incentiveplan-list"), body | {"paid": "1"}, format="json"
    )
    assert sibling.status_code == 404


def test_word_contract_opens_in_libreoffice_with_chinese(world, client_for, tmp_path):
    from tests.test_reports import docx_to_pdf, pdf_text

    response = client_for(world["users"]["hr"]).get(reverse("contracts:word", args=[world["a"].pk]))
    text = pdf_text(docx_to_pdf(response.content, tmp_path))
    assert "经理层成员年度经营业绩责任书" in text and "甲子公司" in text and "总经理" in text


def test_roster_round_trip_keeps_who_left_and_why(world):
    from reformtrack.contracts.exporters import roster_xlsx
    from reformtrack.contracts.importers import RosterImporter

    office = world["users"]["hr"]
    member = world["other"].tenure.member
    services.save_member(
        user=office, organisation=member.organisation, name=member.name, post=member.post,
        appointed_on=member.appointed_on, selection=member.selection,
        tenure_start=member.tenure_start, tenure_end=member.tenure_end, is_active=False,
        left_on=dt.date(2025, 6, 30), leave_reason="demoted", leave_note="考核后调整",
        member=member, version=member.version,
    )  # fmt: skip
    data = roster_xlsx(sc.Member.objects.filter(pk=member.pk))
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.values)
    assert rows[1][7:10] == ("否", dt.datetime(2025, 6, 30), "降职")
    again = RosterImporter(user=office).run(data)
    assert again.ok and again.counts == {"created": 0, "updated": 1}
    member.refresh_from_db()
    assert (member.leave_reason, member.left_on) == ("demoted", dt.date(2025, 6, 30))
    sheet = openpyxl.load_workbook(io.BytesIO(data))
    sheet.active.cell(row=2, column=9).value = None  # out of post without a date
    buffer = io.BytesIO()
    sheet.save(buffer)
    refused = RosterImporter(user=office).run(buffer.getvalue())
    assert [(e.row, e.column) for e in refused.errors] == [(2, "离任日期")]


def test_exit_report_in_excel_lists_the_flagged_and_why(world, client_for):
    contract = world["a"]
    services.record_actuals(user=None, contract=contract, values={"F1": (Decimal(50), "年报")})
    services.score_contract(user=None, contract=contract)
    client = client_for(world["users"]["reform_office"])
    data = client.get(reverse("contracts:exits") + "?format=xlsx").content
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.values)
    assert rows[1][:4] == ("A-SUB", "a经理", "总经理", 2024) and "低于" in rows[1][7]
    sibling = client_for(world["users"]["sibling"]).get(reverse("contracts:exits") + "?format=xlsx")
    assert len(list(openpyxl.load_workbook(io.BytesIO(sibling.content)).active.values)) == 1


def test_the_menu_offers_people_and_incentives_only_to_who_can_open_it(world, client_for):
    import re

    home = reverse("contracts:home")
    for who, shown in (("hr", True), ("member", True), ("contributor", False)):
        client = client_for(world["users"][who])
        page = client.get(reverse("core:home")).content.decode()
        menu = re.search(r'<nav class="mainnav".*?</nav>', page, re.S).group(0)
        assert (f'href="{home}"' in menu) is shown, who
        assert client.get(home).status_code == (200 if shown else 403), who
