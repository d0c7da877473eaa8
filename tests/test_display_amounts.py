"""What a reader sees of amounts and ratios on the contracts pages, in Chinese and in English: pay
and incentive amounts grouped with their unit named (210,000.00 元 / 210,000.00 yuan), shares
as percentages, spreads as multiples. Stored values and form inputs keep plain numbers.
(KPI formulas and programme units: tests/test_display_units.py.)"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from reformtrack.contracts.models import AnnualContract, AnnualResult, IncentivePlan, TenureResult
from reformtrack.core.templatetags.amounts import grouped, money_text, percent_text, with_unit
from reformtrack.orgs.models import Organisation

from . import test_contracts_demo

pytestmark = pytest.mark.django_db
loaded = test_contracts_demo.loaded  # the contracts demo, loaded once per module

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
RAW_MONEY = re.compile(r"(?<![\d,.])\d{5,}\.\d{2}(?!\d)")  # 210000.00: five digits, no commas


@pytest.fixture(autouse=True)
def _default_language():
    """Pages asked for in English leave English active in the thread; start each in Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def demo(loaded, db, make_user, client_for):
    dec = Organisation.objects.get(code="DEC")
    return client_for(make_user("dec_office_display", role="reform_office", org=dec))


def both(client, url) -> tuple[str, str]:
    chinese = client.get(url).content.decode()
    english = client.get(url, **EN).content.decode()
    return chinese, english


def shown(page: str) -> str:
    """The page's text outside input values (inputs keep plain numbers)."""
    return re.sub(r"<input[^>]*>", "", page)


# --- the shared filters --------------------------------------------------------------------------


def test_amounts_are_grouped_and_named_in_the_readers_language():
    assert grouped(Decimal("210000.00")) == "210,000.00" and grouped(None) == "—"
    assert grouped(Decimal("1E+3")) == "1,000" and grouped(Decimal("2.345"), 2) == "2.35"
    assert money_text(Decimal("210000.00")) == "210,000.00 元"
    assert money_text(None) == "—" and with_unit("65", "%") == "65%"
    assert percent_text(Decimal("0.3000")) == "30%" and percent_text(Decimal("0.3333")) == "33.33%"
    with translation.override("en"):
        assert money_text(Decimal("210000.00")) == "210,000.00 yuan"
        assert money_text(Decimal("1.5"), "亿元") == "1.5 100m yuan"
        assert with_unit("3", "未知单位") == "3 未知单位"  # a unit nobody named reads as written


# --- contracts: pay and incentives ---------------------------------------------------------------


def test_annual_contract_shows_pay_with_its_unit(demo):
    contract = AnnualContract.objects.filter(tenure__member__organisation__code="DEC").first()
    result = AnnualResult.objects.get(contract=contract)
    chinese, english = both(demo, reverse("contracts:annual", args=[contract.pk]))
    pay = f"{contract.pay_standard:,.2f}"
    assert f'<span data-testid="pay">{pay} 元</span>' in chinese
    assert f'<span data-testid="pay">{pay} yuan</span>' in english
    assert f"{result.base_pay:,.2f} 元" in chinese and f"{result.base_pay:,.2f} yuan" in english
    for page in (chinese, english):
        assert not RAW_MONEY.search(shown(page)), RAW_MONEY.search(shown(page))
    kpi = contract.indicators.exclude(kpi_code="").first()  # 利润总额, in the KPI set's 亿元
    target = f"{kpi.target.normalize():,f}"
    assert f'<td class="num">{target} 亿元</td>' in chinese
    assert f'<td class="num">{target} 100m yuan</td>' in english
    assert f"{kpi.target:f}" not in shown(chinese)  # 37.5200: stored places not shown


def test_member_page_shows_each_years_pay_with_its_unit(demo):
    result = AnnualResult.objects.filter(contract__tenure__member__organisation__code="DEC").first()
    member = result.contract.tenure.member
    chinese, english = both(demo, reverse("contracts:member", args=[member.pk]))
    assert f'<td class="num" data-testid="pay">{result.base_pay:,.2f} 元</td>' in chinese
    assert f'<td class="num" data-testid="pay">{result.base_pay:,.2f} yuan</td>' in english
    assert f"{result.performance_pay:,.2f} yuan" in english
    for page in (chinese, english):
        assert not RAW_MONEY.search(shown(page))


def test_tenure_result_shows_pay_and_the_share_as_a_percentage(demo, make_user, client_for):
    result = TenureResult.objects.select_related("tenure__member__organisation").first()
    org = result.tenure.member.organisation
    office = make_user("tenure_office_display", role="reform_office", org=org)
    client = client_for(office)
    chinese, english = both(client, reverse("contracts:tenure", args=[result.tenure.pk]))
    assert f'<span data-testid="pay">{result.annual_pay:,.2f} 元</span>' in chinese
    assert f"<strong>{result.incentive:,.2f} yuan</strong>" in english
    share = f"{(result.incentive_share * 100).quantize(Decimal('0.01')).normalize():f}%"
    assert f"({share} of the annual pay)" in english
    assert str(result.incentive_share) not in chinese  # 0.3000 read as a percentage
    for page in (chinese, english):
        assert not RAW_MONEY.search(shown(page))


def test_figures_show_plans_with_units_and_ratios_as_ratios(demo):
    dec = Organisation.objects.get(code="DEC")
    url = reverse("contracts:figures", args=[dec.pk]) + "?year=2024"
    chinese, english = both(demo, url)
    plan = next(p for p in IncentivePlan.objects.filter(year=2024) if p.organisation.code == "DEC")
    assert f'<td class="num">{plan.paid:,.2f} 元</td>' in chinese
    assert f'<td class="num">{plan.paid:,.2f} yuan</td>' in english
    assert "30% = 24,000,000.00 元" in chinese and "30% = 24,000,000.00 yuan" in english
    spread = re.search(
        r"Pay spread \(highest / lowest approved pay\)</th><td[^>]*>([^<]*)", english
    )
    assert spread and spread.group(1).endswith("×"), spread
    for page in (chinese, english):
        assert not RAW_MONEY.search(shown(page))


def test_the_plan_form_names_the_unit_and_takes_plain_numbers(demo):
    plan = next(p for p in IncentivePlan.objects.filter(year=2024) if p.organisation.code == "DEC")
    chinese, english = both(demo, reverse("contracts:plan-edit", args=[plan.pk]))
    assert "元" in chinese.split('name="paid"')[0].rsplit("<label", 1)[1]
    assert "(yuan)" in english.split('name="paid"')[0].rsplit("<label", 1)[1]
    assert f'value="{plan.paid}"' in english  # the input keeps the stored number


def test_a_refused_payment_names_the_cap_with_its_unit(demo):
    plan = next(
        p
        for p in IncentivePlan.objects.filter(year=2024)
        if p.organisation.code == "DEC" and p.kind == "excess_profit"
    )  # cap: 30% of 80,000,000.00 = 24,000,000.00
    data = {
        "kind": plan.kind, "name": plan.name, "year": plan.year,
        "participants": plan.participants, "conditions": plan.conditions,
        "base_amount": plan.base_amount, "allowed": "30000000", "paid": "24000000.01",
        "version": plan.version,
    }  # fmt: skip
    url = reverse("contracts:plan-edit", args=[plan.pk])
    english = demo.post(url, data, **EN).content.decode()
    assert "at most 24,000,000.00 yuan" in english
    chinese = demo.post(url, data).content.decode()
    assert "24,000,000.00 元" in chinese and "24000000.00" not in chinese
    plan.refresh_from_db()
    assert plan.paid != Decimal("24000000.01")  # refused, nothing written
