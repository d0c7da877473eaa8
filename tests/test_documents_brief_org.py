"""A brief for one organisation keeps that organisation's news and leaves out the rest."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from reformtrack.documents import services

DATA = Path(__file__).parent / "data" / "documents"
WEEK = "2021-08-02"


def test_a_brief_for_one_organisation_keeps_its_news(db, tree, tmp_path):
    from reformtrack.orgs import services as org_services

    org_services.create_organisation(
        user=None, parent=tree["SASAC"], code="CRRC", name_zh="中国中车集团有限公司",
        short_name_zh="中国中车", kind="group",
    )  # fmt: skip
    for path in sorted(DATA.glob("0*.txt")):
        services.ingest(user=None, data=path.read_bytes(), filename=path.name)
    out = tmp_path / "crrc.html"
    call_command("docs", "brief", "--week", WEEK, "--org", "crrc", "-o", str(out),
                 stdout=StringIO())  # fmt: skip
    html = out.read_text(encoding="utf-8")
    assert "国资报告：中国中车深化改革" in html
    assert "宿迁市国资委" not in html and "国令第744号" not in html
