"""Final results from Excel (row-by-row errors, nothing half-written) and the REST API:
results, recording a rating found elsewhere, gaps, and scoping."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from reformtrack.assessments.importers import ResultImporter
from reformtrack.assessments.models import Assessment

from .test_assessments_core import campaign, rule_set  # noqa: F401  (fixtures)


def workbook(rows, headers=("组织代码", "企业名称", "得分", "评级", "来源")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_results_are_all_or_nothing_with_row_errors(campaign, people):  # noqa: F811
    bad = workbook([
        ("A-SUB", "甲子公司", 93, "标杆", "外部评估"),
        ("B-SUB", "乙子公司", 85, "标杆", ""),  # 85 is 优秀
        ("NOPE", "", 70, "良好", ""),
        ("A-SUB", "", "", "", ""),
    ])  # fmt: skip
    result = ResultImporter(user=people["supervisor_admin"], campaign=campaign).run(bad)
    found = {(e.row, e.column) for e in result.errors}
    assert (4, "组织代码") in found and (5, "组织代码") in found and (5, "评级") in found
    assert not Assessment.objects.filter(campaign=campaign, rating__gt="").exists()
    assert any(e.row == 3 and e.column == "得分" for e in result.errors)  # 85 is not 标杆
    result = ResultImporter(user=people["supervisor_admin"], campaign=campaign).run(
        workbook([("A-SUB", "", 93, "标杆", ""), ("B-SUB", "", 85, "优秀", "")])
    )
    assert result.ok and result.counts == {"recorded": 2}
    ratings = dict(Assessment.objects.filter(campaign=campaign)
                   .values_list("organisation__code", "rating"))  # fmt: skip
    assert ratings == {"A-SUB": "BENCHMARK", "B-SUB": "EXCELLENT"}


def test_import_command_names_row_and_column(campaign, tmp_path):  # noqa: F811
    path = tmp_path / "results.xlsx"
    path.write_bytes(workbook([("A-SUB", "", 101, "", "")]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("assess", "import", str(path), "--campaign", "T-2022", stderr=err)
    assert "row 2" in err.getvalue() and "得分" in err.getvalue()


def test_api_results_record_gaps_and_scope(campaign, people, api_for):  # noqa: F811
    supervisor = api_for(people["supervisor_admin"])
    url = f"/api/assessments/campaigns/{campaign.pk}/"
    response = supervisor.post(url + "record/", {"organisation": "A-SUB", "rating": "标杆",
                               "source": "https://news.example/haohua"}, format="json")  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["rating_label"] == "标杆"
    refused = supervisor.post(url + "record/", {"organisation": "A-SUB", "rating": "A+"},
                              format="json")  # fmt: skip
    assert refused.status_code == 400 and "rating" in refused.json()
    office = api_for(people["reform_office"])
    assert office.post(url + "record/", {"organisation": "A-SUB", "rating": "良好"},
                       format="json").status_code == 403  # fmt: skip
    a_sub = campaign.assessments.get(organisation__code="A-SUB")
    gaps = office.get(f"/api/assessments/assessments/{a_sub.pk}/gaps/").json()
    assert gaps and float(gaps[0]["lost"]) == 10
    outsider = api_for(people["outsider"])
    assert outsider.get(f"/api/assessments/assessments/{a_sub.pk}/gaps/").status_code == 404
    score = a_sub.scores.get(indicator__code="D1-03")
    done = api_for(people["contributor"]).post(
        f"/api/assessments/scores/{score.pk}/self-score/",
        {"points": "4.5", "justification": "已制定授权清单", "version": score.version},
        format="json",
    )  # fmt: skip
    assert done.status_code == 400  # A-SUB's result is recorded: final results are locked
    b_sub = campaign.assessments.get(organisation__code="B-SUB")
    score = b_sub.scores.get(indicator__code="D1-03")
    done = api_for(people["supervisor_admin"]).post(
        f"/api/assessments/scores/{score.pk}/self-score/",
        {"points": "4.5", "version": score.version},
        format="json",
    )
    assert done.status_code == 200 and done.json()["self_points"] == "4.50"
    # A's viewer sees the campaign (opened by SASAC) through A-SUB's assessment.
    listed = api_for(people["viewer"]).get("/api/assessments/campaigns/").json()["results"]
    assert [c["code"] for c in listed] == ["T-2022"]
