"""Every test that reads the whole demo, on one load of it: the demo's own checks, the
one-language walk of every page (rules in tests/test_one_language.py) and the ledger's round
trip. A load costs about 18 s of CPU and each of three modules made its own, in both passes of
`make test`. Each test runs in a savepoint inside the load (tests/_demo_once.py), so what one
writes the next does not see."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.test import Client

from reformtrack.core.models import AuditRecord, User

from ._demo_once import demo_once
from .conftest import signed_in
from .test_cli import (
    demo_json_output_parses,
    demo_loads_the_organisations,
    demo_twice_changes_nothing,
)
from .test_ledger_excel import command
from .test_one_language import USERS, Data, crawl, data_texts, foreign_text, pattern_of

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture(scope="module")
def full_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo (every app's loader), loaded once for this module and rolled back after
    it: the summary `demo --json` printed on that load."""
    folder = tmp_path_factory.mktemp("full-demo")
    with demo_once(django_db_blocker, folder, "--json") as output:
        yield json.loads(output)


def test_demo_loads_the_organisations(full_demo):
    demo_loads_the_organisations()


def test_demo_twice_changes_nothing(full_demo):
    demo_twice_changes_nothing()


def test_demo_json_output_parses(full_demo):
    demo_json_output_parses(full_demo)


def test_demo_ledger_round_trip_changes_nothing(full_demo, tmp_path):
    """Export the demo Three-Year Action ledger, import it: nothing moves."""
    path = tmp_path / "tya.xlsx"
    _out, _err, failed = command("export", "--program", "TYA", "--org", "SASAC", "-o", str(path))
    assert failed is None
    audit_before = AuditRecord.objects.count()
    out, _err, failed = command("import", str(path), "--program", "TYA", "--json")
    result = json.loads(out)
    assert failed is None
    assert (result["created"], result["reports"], result["errors"]) == (0, 0, [])
    assert (result["plan_changes"], result["unchanged"]) == (0, 315)
    assert AuditRecord.objects.count() == audit_before


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_is_in_one_language(full_demo, language):
    data = Data(data_texts())
    failures: dict[str, list[str]] = {}
    reached: set[str] = set()
    broken: dict[str, int] = {}
    for username in USERS:
        client = signed_in(Client(), User.objects.get(username=username))
        client.cookies["django_language"] = language
        pages = crawl(client, language, broken)
        for path, html in pages.items():
            name = pattern_of(urlsplit(path).path)
            reached.add(name)
            bad = foreign_text(html, language, data)
            if bad:
                failures.setdefault(f"{name} {path} ({username})", bad[:6])
        broken.update(failed_downloads(client, pages))
    assert len(reached) > 40, sorted(reached)
    assert not failures, "\n".join(f"{page}: {bad}" for page, bad in sorted(failures.items()))
    assert not broken, broken


def failed_downloads(client: Client, pages: dict[str, str]) -> dict[str, int]:
    """The "export what I see" links (table and chart data, CSV and Excel) of the crawled
    pages that fail on the server: one link per page kind, format and chart (a chart's name
    becomes the sheet's: 万元/人 broke one)."""
    failed: dict[str, int] = {}
    tried: set[tuple] = set()
    for path, html in pages.items():
        for link in re.findall(r'href="([^"#]*[?&](?:amp;)?export=[^"#]*)', html):
            href = urljoin(path, link.replace("&amp;", "&"))
            query = parse_qs(urlsplit(href).query)
            kind = (pattern_of(urlsplit(href).path), query["export"][0], *query.get("chart", ()))
            if kind in tried:
                continue
            tried.add(kind)
            response = client.get(href)
            if response.status_code >= 400:
                failed[href] = response.status_code
    return failed


def test_every_late_demo_task_is_counted_overdue_on_its_dashboard(full_demo):
    """The daily job's marking runs after every part (chain and rectification ledgers come
    last): a dashboard never counts 0 overdue above a list of late tasks."""
    from django.utils import timezone

    from reformtrack.programs.models import LedgerTask, Programme

    assert full_demo["overdue"]["marked"] > 0
    late = LedgerTask.objects.filter(
        status__in=["not_started", "in_progress"], deadline__lt=timezone.localdate()
    )
    assert not late.exists()
    client = signed_in(Client(), User.objects.get(username="sasac_admin"))
    for code in ("CHAIN-LEADER", "RECT"):
        programme = Programme.objects.get(code=code)
        overdue = LedgerTask.objects.filter(
            programme=programme, status="overdue", parent__isnull=True
        ).count()
        page = client.get(f"/programmes/{code}/dashboard/").content.decode()
        assert overdue and f'<span class="muted">({overdue})</span>' in page, code
