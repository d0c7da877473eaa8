"""The demo: managers of two demo groups with three years of scored, approved results, one
flagged by an exit trigger; three-systems figures of a group; the figures page."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from reformtrack.contracts.figures import three_systems
from reformtrack.contracts.models import AnnualResult, Member
from reformtrack.orgs.models import Organisation

from ._demo_once import demo_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Loaded once for this module (tests/_demo_once.py): the contracts part's summary."""
    folder = tmp_path_factory.mktemp("contracts-demo")
    parts = ("--only", "orgs", "--only", "kpis", "--only", "contracts", "--json")
    with demo_once(django_db_blocker, folder, *parts) as output:
        yield json.loads(output)["contracts"]


@pytest.fixture
def demo(loaded, db):
    return loaded


def test_demo_holds_contracts_and_one_flagged_member(demo):
    assert demo == {"managers": 6, "annual_contracts": 18, "flagged": 1, "incentive_plans": 4,
                    "left": 1, "staff_years": 6, "tenure_results": 2}  # fmt: skip
    assert (
        Member.objects.filter(organisation__code__in=["DEC", "CFHI"], is_active=True).count() == 6
    )
    assert Member.objects.get(user__username="dec_zhangming").name == "张明（示例）"
    years = set(AnnualResult.objects.values_list("contract__year", flat=True))
    assert years == {2023, 2024, 2025}
    flagged = [r for r in AnnualResult.objects.all() if r.exits]
    assert len(flagged) == 1
    assert {e["code"] for e in flagged[0].exits} >= {"KEY_TARGETS"}
    out = io.StringIO()
    call_command("contracts", "score", "--year", "2025", "--org", "CFHI", "--json", stdout=out)
    rows = json.loads(out.getvalue())["members"]
    assert len(rows) == 3 and sum(r["exit"] for r in rows) == 1
    tenures = json.loads(out.getvalue())["tenures"]  # 赵强's tenure 2023–2025, scored and paid
    assert [(t["member"], t["start"], t["end"], t["status"]) for t in tenures] == [
        ("赵强（示例）", 2023, 2025, "approved")
    ]
    assert Decimal(tenures[0]["incentive"]) > 0


def test_three_systems_figures(demo, make_user, client_for):
    sasac = Organisation.objects.get(code="SASAC")
    office = make_user("dec_office", role="reform_office", org=Organisation.objects.get(code="DEC"))
    figures = three_systems(office, organisation=sasac, years=[2023, 2024])
    assert [f.managers for f in figures] == [4, 3]  # DEC only: CFHI is another group's
    assert figures[1].contract_share == 75 or figures[1].contract_share == 100
    assert figures[1].pay_spread is not None and figures[1].pay_spread >= 1
    assert [m.name for m, _reason, _note in figures[1].down] == ["周伟（示例）"]
    assert figures[1].exit_rate == Decimal("2.58") and figures[1].open_share == Decimal("99.41")
    dec = Organisation.objects.get(code="DEC")
    response = client_for(office).get(reverse("contracts:figures", args=[dec.pk]) + "?year=2024")
    page = response.content.decode()
    assert response.status_code == 200 and "2.58%" in page and "周伟（示例）" in page
    assert "东方电气超额利润分享（示例）" in page and "30% = 24,000,000.00 元" in page
    cfhi = Organisation.objects.get(code="CFHI")
    assert client_for(office).get(reverse("contracts:figures", args=[cfhi.pk])).status_code == 404


def test_grades_read_in_the_readers_language(demo, make_user, client_for):
    """Results keep the Chinese grade their rules gave; English pages name it as the rules do."""
    hr = make_user("dec_hr_grades", role="hr", org=Organisation.objects.get(code="DEC"))
    client = client_for(hr)
    labels = {"优秀": "Excellent", "良好": "Good", "称职": "Competent", "不称职": "Incompetent"}
    url = reverse("contracts:home") + "?year=2024"
    chinese = client.get(url).content.decode()
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    shown = {label for label in labels if f"<td>{label}</td>" in chinese}
    assert shown
    for label in shown:
        assert f"<td>{labels[label]}</td>" in english and f"<td>{label}</td>" not in english
