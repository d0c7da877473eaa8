"""Round trips of the chains app through its outside doors: the REST detail is what
`chains show --json` prints and follows a change made through the API; procurements and the
channel summary through the API; Excel out and back in through the pages and the command line;
a command run as a user stays within that user's scope."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from reformtrack.chains import services
from reformtrack.chains.models import KeyItem, Procurement

from .test_chains import chain  # noqa: F401  (the fixture: a 3-link chain led by A-SUB)

YEAR = "2026"


def _cli(*args) -> dict:
    out = StringIO()
    call_command("chains", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_api_detail_is_the_cli_json_and_follows_an_api_change(chain, api_for, people):  # noqa: F811
    api = api_for(people["reform_office"])
    detail = api.get(f"/api/chains/chains/{chain.pk}/").json()
    shown = _cli("show", chain.code, "--year", str(dt.date.today().year))
    share = Decimal(str(detail["resilience"].pop("share_two_domestic")))
    assert share == Decimal(str(shown["resilience"].pop("share_two_domestic"))) == Decimal("33.33")
    assert {k: v for k, v in detail.items() if k != "id"} == shown
    assert detail["resilience"]["bottlenecks"] == 1
    changed = api.post(
        "/api/chains/items/",
        {"chain": chain.code, "link": "U1", "kind": "product", "name": "高纯材料",
         "status": "domestic", "domestic": ["国内甲", "国内乙"]},
        format="json",
    )  # fmt: skip
    assert changed.status_code == 201 and changed.json()["version"] == 2
    again = api.get(f"/api/chains/chains/{chain.pk}/").json()["resilience"]
    assert again["bottlenecks"] == 0 and again["links_two_domestic"] == 2
    assert KeyItem.objects.filter(name="高纯材料").count() == 1


def test_api_records_procurements_and_counts_channels(tree, people, api_for):
    item = services.register_first_item(
        user=None, category="first_set", name="首台装备", supplier="某厂"
    )
    office = api_for(people["reform_office"])
    payload = {"enterprise": "A-SUB", "item": item.pk, "date": "2024-05-01",
               "amount": "1200.50", "green_channel": True}  # fmt: skip
    refused = office.post("/api/chains/procurements/", payload, format="json")
    assert refused.status_code == 400 and "green_channel" in refused.json()
    assert not Procurement.objects.exists()  # nothing half-written
    services.set_green_channel(
        user=None, organisation=tree["A-SUB"], established_on=dt.date(2024, 1, 1)
    )
    made = office.post("/api/chains/procurements/", payload, format="json")
    assert made.status_code == 201 and made.json()["amount"] == "1200.50"
    outsider = api_for(people["outsider"])
    assert outsider.post(
        "/api/chains/procurements/", payload, format="json"
    ).status_code == 404  # fmt: skip
    assert api_for(people["viewer"]).post(
        "/api/chains/procurements/", payload, format="json"
    ).status_code == 404  # fmt: skip
    summary = office.get("/api/chains/channels/summary/").json()
    assert summary["enterprises_with_channel"] == 1
    assert summary["trend"][-1]["volume_green"] == "1200.50"
    assert outsider.get("/api/chains/channels/summary/").json()["enterprises_with_channel"] == 0


def test_excel_export_page_edit_and_import_page(chain, client_for, people):  # noqa: F811
    client = client_for(people["reform_office"])
    exported = client.get(reverse("chains:export", args=[chain.pk]))
    assert exported.status_code == 200
    book = load_workbook(BytesIO(exported.content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    status = header.index("保障状态")
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("关键产品/技术")].value == "控制器":
            row[status].value = "卡脖子"
    buffer = BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("chain.xlsx", buffer.getvalue())
    page = client.post(reverse("chains:import"), {"file": upload})
    assert page.status_code == 200 and "import-result" in page.content.decode()
    assert KeyItem.objects.get(name="控制器").status == "bottleneck"
    viewer = client_for(people["viewer"])
    assert viewer.get(reverse("chains:import")).status_code == 403


def test_cli_export_import_and_user_scope(chain, people, tmp_path):  # noqa: F811
    path = tmp_path / "chain.xlsx"
    assert _cli("export", chain.code, str(path))["file"] == str(path)
    checked = _cli("import", str(path), "--dry-run")
    assert checked["dry_run"] is True and checked["items"] == 3
    assert _cli("import", str(path))["links"] == 3
    with pytest.raises(CommandError, match="No chain"):
        _cli("show", chain.code, "--user", people["outsider"].username)
    listed = _cli("list", "--user", people["viewer"].username)
    assert [r["code"] for r in listed] == [chain.code]
    assert _cli("firsts", "--user", people["outsider"].username)["enterprises_with_channel"] == 0


def test_graph_page_is_interactive_under_the_csp(chain, client_for, people):  # noqa: F811
    page = client_for(people["reform_office"]).get(reverse("chains:detail", args=[chain.pk]))
    text = page.content.decode()
    assert 'data-source="U1" data-target="M1"' in text and 'data-link="D1"' in text
    assert "chains/chain-graph.js" in text and 'data-graph-filter="bottleneck"' in text
    assert "<script>" not in text.split('data-testid="chain-graph"')[1].split("</svg>")[0]
    assert "script-src 'self'" in page["Content-Security-Policy"]
