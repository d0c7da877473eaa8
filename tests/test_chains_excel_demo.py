"""Chains in Excel (export → edit → import is a round trip; a bad file writes nothing and names
row and column) and the demo (one chain of 14 links with bottlenecks and their ledger tasks,
green channels, seed 004's Jiangsu benchmarks)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reformtrack.chains import selectors, services
from reformtrack.chains.exporters import chain_xlsx
from reformtrack.chains.importers import ChainImporter
from reformtrack.chains.models import Chain, KeyItem, Link, LinkEdge
from reformtrack.core.exporters import xlsx_bytes
from reformtrack.core.libraries import install_library

LIBRARY = Path(__file__).parent.parent / "src/reformtrack/libraries/programmes/chain-leader.yaml"


@pytest.fixture
def chain(tree):
    made = services.save_chain(
        user=None, code="XL", name_zh="表格链", leader=tree["A-SUB"], supervisor=tree["SASAC"]
    )
    up = services.save_link(user=None, chain=made, code="U1", name="材料", stage="upstream")
    down = services.save_link(
        user=None, chain=made, code="D1", name="整机", stage="downstream", position=1
    )
    services.set_upstream(user=None, link=down, sources=[up])
    item = services.save_item(user=None, link=up, kind="material", name="钢", status="bottleneck")
    services.set_suppliers(user=None, item=item, domestic=["甲厂"], foreign=["乙厂"])
    return made


def _rows(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_export_edit_import_round_trip(chain, people):
    rows = _rows(chain_xlsx(chain))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["产业链代码", "环节代码", "环节名称"]
    assert [r[1] for r in body] == ["U1", "D1"]
    body[0][8] = "单一来源"  # the bottleneck gets a second source
    body[0][9] = "甲厂、丙厂"
    body.append(
        [
            "XL",
            "M1",
            "部件",
            "中游",
            2,
            "U1",
            "关键产品",
            "控制器",
            "国内自主可控",
            "丁厂、戊厂",
            "",
        ]
    )
    body[1][5] = "M1"  # D1 is now supplied by M1
    result = ChainImporter(user=people["reform_office"]).run(xlsx_bytes("链", header, body))
    assert result.ok, result.errors
    assert result.counts == {"links": 3, "items": 2}
    steel = KeyItem.objects.get(name="钢")
    assert steel.status == "single_source"
    assert sorted(steel.suppliers.values_list("name", flat=True)) == ["丙厂", "乙厂", "甲厂"]
    edges = set(LinkEdge.objects.filter(chain=chain).values_list("source__code", "target__code"))
    assert edges == {("U1", "M1"), ("M1", "D1")}
    again = _rows(chain_xlsx(chain))
    assert again[1:] == sorted(again[1:], key=lambda r: ("上中下".index(r[3][0]), r[4]))


def test_a_bad_file_writes_nothing_and_names_row_and_column(chain, people):
    header = _rows(chain_xlsx(chain))[0]
    body = [
        ["XL", "U1", "材料", "上游", 0, "", "基础材料", "钢", "卡脖子", "", ""],
        ["XL", "N1", "新环节", "旁游", 5, "ZZ", "", "", "", "", ""],
        ["XL", "N2", "另一个", "下游", 6, "", "关键产品", "某件", "", "", ""],
    ]
    before = Link.objects.count()
    result = ChainImporter(user=people["reform_office"]).run(xlsx_bytes("链", header, body))
    found = {(e.row, e.column) for e in result.errors}
    assert (3, "环节位置") in found  # unknown stage
    assert (3, "上游环节") in found  # unknown upstream link
    assert (4, "保障状态") in found  # an item without a status
    assert Link.objects.count() == before


def test_a_viewer_or_another_group_cannot_import(chain, people):
    data = chain_xlsx(chain)
    for who in ("viewer", "outsider"):
        result = ChainImporter(user=people[who]).run(data)
        assert [e.column for e in result.errors] == ["产业链代码", "产业链代码"]
        assert "XL" in result.errors[0].message


def test_demo_chain_firsts_and_jiangsu_benchmarks(db, client_for):
    from django.contrib.auth import get_user_model

    from reformtrack.chains import demo as chains_demo
    from reformtrack.orgs import benchmarks_demo
    from reformtrack.orgs import demo as orgs_demo
    from reformtrack.orgs.models import Benchmark

    orgs_demo.load()
    benchmarks_demo.load()
    install_library(LIBRARY.read_text(encoding="utf-8"))
    summary = chains_demo.load()
    assert summary["links"] >= 12 and summary["tasks"] == 4
    chain = Chain.objects.get(code="RAIL-EQUIP")
    assert chain.leader.code == "CRRC"
    data = selectors.chain_json(chain, 2026)
    bottlenecks = [
        i for link in data["links"] for i in link["items"] if i["status"] == "bottleneck"
    ]
    assert bottlenecks and all(i["tasks"] for i in bottlenecks)
    kinds = {p["type"] for link in data["links"] for p in link["participants"]}
    assert {"central_soe", "local_soe", "private", "sme"} <= kinds
    assert data["resilience"]["compared_with"] == 2025
    assert chains_demo.load()["tasks"] == 0  # loading again changes nothing
    names = set(Benchmark.objects.values_list("organisation__code", flat=True))
    assert {"JSCH", "XUZHOU-MINING", "SUZHOU-BEARING", "XCMG"} <= names
    sasac = get_user_model().objects.get(username="sasac_admin")
    page = client_for(sasac).get(reverse("chains:firsts")).content.decode()
    assert 'data-testid="channel-count">6<' in page
    page = client_for(sasac).get(reverse("orgs:benchmarks")).content.decode()
    assert "“315”" in page and "苏州轴承厂股份有限公司" in page
