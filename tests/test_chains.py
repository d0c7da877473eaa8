"""Chains: the map and its resilience summary, weak-link tasks in the ledger, scoping (another
group gets 404, a viewer cannot write), the three-firsts channel count and trend, the CLI."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from reformtrack.chains import selectors, services
from reformtrack.chains.models import KeyItem
from reformtrack.core.libraries import install_library
from reformtrack.programs.models import Area, Programme

LIBRARY = Path(__file__).parent.parent / "src/reformtrack/libraries/programmes/chain-leader.yaml"


@pytest.fixture
def chain(tree):
    """A-SUB leads a 3-link chain: U1 → M1 → D1; U1 has a bottleneck with one foreign supplier,
    M1 a single-source item, D1 an item with two domestic suppliers."""
    made = services.save_chain(
        user=None, code="test-chain", name_zh="测试链", leader=tree["A-SUB"],
        supervisor=tree["SASAC"],
    )  # fmt: skip
    links = {
        code: services.save_link(
            user=None, chain=made, code=code, name=name, stage=stage, position=i
        )  # fmt: skip
        for i, (code, name, stage) in enumerate(
            [("U1", "材料", "upstream"), ("M1", "部件", "midstream"), ("D1", "整机", "downstream")]
        )
    }
    services.set_upstream(user=None, link=links["M1"], sources=[links["U1"]])
    services.set_upstream(user=None, link=links["D1"], sources=[links["M1"]])
    for code, name, status, domestic, foreign in [
        ("U1", "高纯材料", "bottleneck", [], ["境外甲"]),
        ("M1", "控制器", "single_source", ["国内乙"], []),
        ("D1", "整机集成", "domestic", ["国内丙", "国内丁"], []),
    ]:
        item = services.save_item(
            user=None, link=links[code], kind="product", name=name, status=status
        )
        services.set_suppliers(user=None, item=item, domestic=domestic, foreign=foreign)
    return made


def test_resilience_summary_counts_and_change_since_last_year(chain):
    services.take_snapshot(user=None, chain=chain, year=2025)
    item = KeyItem.objects.get(name="高纯材料")
    services.save_item(
        user=None, link=item.link, kind="product", name="高纯材料", status="single_source",
        expected_version=item.version,
    )  # fmt: skip
    summary = selectors.resilience_summary(chain, 2026)
    figures = summary["figures"]
    assert (figures["bottlenecks"], figures["single_source"]) == (0, 2)
    assert figures["links_two_domestic"] == 1 and figures["share_two_domestic"] == Decimal("33.33")
    assert summary["compared_with"] == 2025
    assert summary["change"]["bottlenecks"] == -1 and summary["change"]["single_source"] == 1


def test_a_stale_item_edit_is_refused(chain):
    item = KeyItem.objects.get(name="控制器")
    services.save_item(user=None, link=item.link, kind="product", name="控制器", status="domestic")
    with pytest.raises(ValidationError):
        services.save_item(
            user=None, link=item.link, kind="product", name="控制器", status="bottleneck",
            expected_version=item.version,
        )  # fmt: skip


def test_bottleneck_shows_its_ledger_task_and_state(chain, client_for, people):
    install_library(LIBRARY.read_text(encoding="utf-8"))
    programme = Programme.objects.get(code="CHAIN-LEADER")
    item = KeyItem.objects.get(name="高纯材料")
    task = services.add_weak_link_task(
        user=people["reform_office"], item=item, programme=programme,
        area=Area.objects.get(programme=programme, code="A1"), code="cl-t-01",
        title="高纯材料国产替代", deadline=dt.date(2026, 12, 31),
    )  # fmt: skip
    assert task.organisation == chain.leader and task.code == "CL-T-01"
    data = selectors.chain_json(chain, 2026)
    upstream = next(link for link in data["links"] if link["code"] == "U1")
    assert upstream["items"][0]["tasks"][0]["code"] == "CL-T-01"
    assert upstream["items"][0]["tasks"][0]["status"] == "not_started"
    page = client_for(people["viewer"]).get(reverse("chains:detail", args=[chain.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-task="CL-T-01"' in body and 'data-testid="chain-graph"' in body
    assert "<script" not in body.split('data-testid="chain-graph"')[1].split("</svg>")[0]


def test_another_group_gets_404_and_a_viewer_cannot_write(chain, client_for, api_for, people):
    outsider = people["outsider"]
    assert client_for(outsider).get(reverse("chains:detail", args=[chain.pk])).status_code == 404
    assert api_for(outsider).get(f"/api/chains/chains/{chain.pk}/").status_code == 404
    assert selectors.chain_by_code(outsider, "TEST-CHAIN") is None
    link = chain.links.get(code="U1")
    with pytest.raises(PermissionDenied):
        services.save_item(
            user=people["viewer"], link=link, kind="product", name="新项", status="domestic"
        )
    payload = {"chain": "TEST-CHAIN", "link": "U1", "kind": "product", "name": "新项",
               "status": "domestic"}  # fmt: skip
    assert api_for(people["viewer"]).post("/api/chains/items/", payload).status_code == 404
    assert api_for(outsider).post("/api/chains/items/", payload).status_code == 404
    made = api_for(people["reform_office"]).post(
        "/api/chains/items/", {**payload, "domestic": ["国内戊", "国内己"]}, format="json"
    )
    assert made.status_code == 201 and len(made.json()["suppliers"]) == 2
    assert not KeyItem.objects.filter(name="新项").exclude(pk=made.json()["id"]).exists()


def test_partner_is_a_record_never_an_account(chain, tree):
    link = chain.links.get(code="U1")
    partner = services.add_participant(
        user=None, link=link, partner_type="sme", partner_name="某中小企业"
    )
    member = services.add_participant(
        user=None, link=link, partner_type="central_soe", organisation=tree["A-SUB2"]
    )
    assert partner.organisation is None and member.partner_name == ""
    with pytest.raises(ValidationError):
        services.add_participant(
            user=None, link=link, partner_type="sme", organisation=tree["A-SUB2"],
            partner_name="两者都给",
        )  # fmt: skip


def test_firsts_count_and_trend_per_scope(tree, people, client_for):
    item = services.register_first_item(
        user=None, category="first_batch", name="新材料", supplier="某供应商"
    )
    services.set_green_channel(
        user=None, organisation=tree["A-SUB"], established_on=dt.date(2023, 3, 1)
    )
    services.set_green_channel(
        user=None, organisation=tree["B-SUB"], established_on=dt.date(2024, 3, 1)
    )
    for org, day, amount, green in [
        ("A-SUB", dt.date(2023, 6, 1), "100.50", True),
        ("A-SUB", dt.date(2024, 6, 1), "200.00", False),
        ("B-SUB", dt.date(2024, 6, 1), "50.00", True),
    ]:
        services.record_procurement(
            user=None, enterprise=tree[org], item=item, date=day, amount=Decimal(amount),
            green_channel=green,
        )  # fmt: skip
    with pytest.raises(ValidationError):  # the channel did not exist yet
        services.record_procurement(
            user=None, enterprise=tree["B-SUB"], item=item, date=dt.date(2023, 1, 1),
            amount=Decimal(1), green_channel=True,
        )  # fmt: skip
    whole = selectors.firsts_summary(people["supervisor_admin"])
    assert whole["enterprises_with_channel"] == 2
    by_year = {row["year"]: row for row in whole["trend"]}
    assert by_year[2023]["enterprises_with_channel"] == 1
    assert by_year[2024]["enterprises_with_channel"] == 2
    assert by_year[2024]["volume_green"] == Decimal("50.00")
    assert by_year[2024]["volume_total"] == Decimal("250.00")
    mine = selectors.firsts_summary(people["viewer"])
    assert mine["enterprises_with_channel"] == 1
    page = client_for(people["viewer"]).get(reverse("chains:firsts"))
    assert 'data-testid="channel-count">1<' in page.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_firsts_page_groups_the_amounts_bought(tree, people, client_for, language):
    """The crawl found 2600000.00 on the Chinese page: amounts read grouped in both languages."""
    item = services.register_first_item(
        user=None, category="first_batch", name="首台套", supplier="某厂"
    )
    services.set_green_channel(
        user=None, organisation=tree["A-SUB"], established_on=dt.date(2023, 3, 1)
    )
    services.record_procurement(
        user=None, enterprise=tree["A-SUB"], item=item, date=dt.date(2024, 6, 1),
        amount=Decimal("2600000.00"), green_channel=True,
    )  # fmt: skip
    client = client_for(people["supervisor_admin"])
    client.cookies["django_language"] = language
    page = client.get(reverse("chains:firsts")).content.decode()
    assert ">2,600,000.00<" in page and "2600000" not in page


def test_cli_show_and_firsts_json(chain, tree):
    services.set_green_channel(
        user=None, organisation=tree["GROUP-A"], established_on=dt.date(2022, 1, 1)
    )
    out = StringIO()
    call_command("chains", "show", "test-chain", "--json", "--year", "2026", stdout=out)
    data = json.loads(out.getvalue())
    assert [link["code"] for link in data["links"]] == ["U1", "M1", "D1"]
    assert data["links"][1]["upstream"] == ["U1"]
    assert data["resilience"]["bottleneck_items"] == ["高纯材料"]
    out = StringIO()
    call_command("chains", "firsts", "--json", stdout=out)
    assert json.loads(out.getvalue())["enterprises_with_channel"] == 1
