"""The demo's assessments: the 2021 ratings of Sinochem's seven units exactly as source article
000 reports them, the 2022 campaign in progress with gaps in the ledger, `assess results`, and
the reports opened for real (LibreOffice for Word, pypdf for both) showing Chinese."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from reformtrack.assessments.models import Assessment, Campaign, EvidenceFile, Rectification
from reformtrack.core.models import ApprovalRequest, AuditRecord

from ._demo_once import demo_once
from .test_reports import docx_to_pdf, pdf_text

RATINGS_2021 = {
    "昊华化工科技集团股份有限公司": "标杆",
    "中化能源股份有限公司": "优秀",
    "中化国际（控股）股份有限公司": "优秀",
    "南通星辰合成材料有限公司": "优秀",
    "中化环境控股有限公司": "良好",
    "沈阳化工研究院有限公司": "良好",
    "中蓝晨光化工有限公司": "良好",
}


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """orgs, programs and assessments demo loaders, on the shipped programme and rule sets;
    loaded once for this module (tests/_demo_once.py)."""
    folder = tmp_path_factory.mktemp("assessments-demo")
    library = folder / "libraries"
    for part in ("programmes", "rulesets"):
        shutil.copytree(settings.REFORMTRACK_LIBRARY_DIR / part, library / part)
    parts = ("--only", "orgs", "--only", "programs", "--only", "assessments")
    with demo_once(django_db_blocker, folder, *parts, REFORMTRACK_LIBRARY_DIR=library):
        yield


@pytest.fixture
def demo(loaded, db):
    """The module's demo, in this test's own savepoint."""


def test_demo_ratings_gaps_idempotence_and_results_command(demo):
    rows = json.loads(run("assess", "results", "--json"))
    assert [block["campaign"] for block in rows] == ["SE-2021"]
    published = {r["name"]: r["rating_label"] for r in rows[0]["results"]}
    assert published == RATINGS_2021
    for result in rows[0]["results"]:  # scores agree with the bands
        score = float(result["score"])
        low = {"标杆": 90, "优秀": 80, "良好": 70}[result["rating_label"]]
        assert low <= score < low + 10 or (low == 90 and score <= 100)
    ongoing = Campaign.objects.get(code="SE-2022")
    assert ongoing.status == "open"
    states = dict(ongoing.assessments.values_list("organisation__code", "status"))
    assert states["HAOHUA"] == "reviewed" and states["SINOCHEM-INTL"] == "returned"
    tasks = Rectification.objects.filter(assessment__campaign=ongoing)
    assert tasks.count() == 6 and all(r.task.programme.code == "RECT" for r in tasks)
    files = EvidenceFile.objects.filter(score__assessment__campaign=ongoing)
    units = set(files.values_list("score__assessment__organisation__code", flat=True))
    # Every submitted unit attached a file to each indicator that asks for evidence.
    submitted = ongoing.assessments.exclude(status="draft")
    asked = sum(a.scores.exclude(indicator__evidence_zh="").count() for a in submitted)
    assert units == {"HAOHUA", "SINOCHEM-ENERGY", "SINOCHEM-INTL"} and files.count() == asked
    before = (Assessment.objects.count(), Rectification.objects.count(),
              ApprovalRequest.objects.count(), AuditRecord.objects.count(),
              EvidenceFile.objects.count())  # fmt: skip
    run("demo", "--only", "assessments")
    after = (Assessment.objects.count(), Rectification.objects.count(),
             ApprovalRequest.objects.count(), AuditRecord.objects.count(),
             EvidenceFile.objects.count())  # fmt: skip
    assert before == after
    one = json.loads(run("assess", "results", "--campaign", "se-2022", "--json"))
    assert one[0]["campaign"] == "SE-2022" and one[0]["results"] == []


def test_reports_open_in_libreoffice_and_render_chinese(demo, tmp_path):
    word = tmp_path / "haohua.docx"
    run("assess", "report", "--campaign", "SE-2021", "--org", "HAOHUA", "--format", "docx",
        "-o", str(word))  # fmt: skip
    text = pdf_text(docx_to_pdf(word.read_bytes(), tmp_path))
    for expected in ("昊华化工科技集团股份有限公司", "标杆", "公司治理", "评估报告"):
        assert expected in text
    summary = tmp_path / "summary.pdf"
    run("assess", "report", "--campaign", "SE-2021", "--format", "pdf", "-o", str(summary))
    text = pdf_text(summary.read_bytes())
    for name in RATINGS_2021:
        assert name in text
    assert "评级分布" in text
