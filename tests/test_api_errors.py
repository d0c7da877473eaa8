"""API errors are JSON and never a 500 for bad input (issue 16): the cases schemathesis found,
bounded pagination, and versioned writes of statements, targets and scores (412/428)."""

from __future__ import annotations

import logging

import pytest
from django.test import RequestFactory

from reformtrack.core.api.errors import exception_handler, server_error
from reformtrack.core.api.pagination import MAX_LIMIT

from . import samples_assessments, samples_kpis


@pytest.fixture
def kpis(tree, people):
    return samples_kpis.build(tree, people)["api"]


@pytest.fixture
def assessments(tree, people):
    return samples_assessments.build(tree, people)["api"]


def test_kpi_values_of_a_non_number_is_a_json_404(kpis, people, api_for):
    api = api_for(people["supervisor_admin"])
    for path in ("/api/kpis/values/abc/", "/api/kpis/values/false/", "/api/kpis/values/1.5/"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"


def test_kpi_values_refuse_a_year_that_is_no_year(kpis, tree, people, api_for):
    api = api_for(people["supervisor_admin"])
    org = tree["A-SUB"].pk
    assert api.get(f"/api/kpis/values/{org}/?year=2024").json()["year"] == 2024
    for year in ("0", "99999999999999999999", "abc"):
        response = api.get(f"/api/kpis/values/{org}/?year={year}")
        assert response.status_code == 400 and "year" in response.json(), year
    assert api.get(f"/api/kpis/values/{org}/?period=Q9").status_code == 400


def test_a_campaign_of_year_0_is_a_field_error(assessments, people, api_for):
    body = {
        "code": "Y0", "name_zh": "零年", "rule_set": "SPECIAL-EVAL", "year": 0,
        "organisation": "SASAC", "self_deadline": "2024-01-01", "review_deadline": "2024-02-01",
    }  # fmt: skip
    response = api_for(people["supervisor_admin"]).post(
        "/api/assessments/campaigns/", body, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["year"]


def test_limit_and_offset_are_clamped_not_a_crash(programme, people, api_for):
    api = api_for(people["supervisor_admin"])
    huge = api.get("/api/programs/tasks/?limit=99999999999999999999")
    assert huge.status_code == 200
    assert 0 < len(huge.json()["results"]) <= MAX_LIMIT
    far = api.get("/api/programs/tasks/?offset=99999999999999999999")
    assert far.status_code == 200 and far.json()["results"] == []
    odd = api.get("/api/programs/tasks/?limit=abc&offset=-3")
    assert odd.status_code == 200 and odd.json()["results"]
    schema = api.get("/api/schema/?format=json").json()
    limit = next(
        p for p in schema["paths"]["/api/programs/tasks/"]["get"]["parameters"]
        if p["name"] == "limit"
    )  # fmt: skip
    assert limit["schema"]["maximum"] == MAX_LIMIT


def test_an_unknown_api_path_is_a_json_404(people, client_for):
    response = client_for(people["viewer"]).get("/api/no/such/thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    page = client_for(people["viewer"]).get("/no/such/page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_an_unexpected_error_is_a_logged_json_500(caplog):
    request = RequestFactory().get("/api/kpis/values/")
    with caplog.at_level(logging.ERROR, logger="reformtrack.api"):
        response = exception_handler(RuntimeError("boom"), {"request": request})
    assert response.status_code == 500 and set(response.data) == {"detail"}
    assert "boom" not in str(response.data)
    assert "boom" in caplog.text  # the traceback is in the log, not in the answer
    crashed = server_error(RequestFactory().get("/api/kpis/values/"))
    assert crashed.status_code == 500 and crashed["Content-Type"] == "application/json"


def test_every_operation_documents_its_json_errors(people, api_for):
    schema = api_for(people["viewer"]).get("/api/schema/?format=json").json()
    statement = schema["paths"]["/api/kpis/statements/{id}/"]["patch"]["responses"]
    assert {"200", "400", "403", "404", "412", "428"} <= set(statement)
    assert statement["412"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


def test_statement_corrections_need_the_version_read(kpis, people, api_for):
    statement = kpis["kpistatement"]["a"]
    api = api_for(people["reform_office"])
    url = f"/api/kpis/statements/{statement.pk}/"
    read = api.get(url)
    assert read["ETag"] == f'"{statement.version}"'
    body = {"unit": "元", "lines": {"revenue": "7"}}
    assert api.patch(url, body, format="json").status_code == 428
    saved = api.patch(url, body, format="json", HTTP_IF_MATCH=read["ETag"])
    assert saved.status_code == 200 and saved.json()["lines"]["revenue"] == "7.00"
    stale = api.patch(url, {**body, "lines": {"revenue": "8"}}, format="json",
                      HTTP_IF_MATCH=read["ETag"])  # fmt: skip
    assert stale.status_code == 412 and "detail" in stale.json()
    assert api.get(url).json()["lines"]["revenue"] == "7.00"  # the stale write changed nothing


def test_pushing_over_an_existing_statement_needs_its_version(kpis, people, api_for):
    statement = kpis["kpistatement"]["a"]
    api = api_for(people["reform_office"])
    body = {"organisation": "A-SUB", "year": 2024, "period": "Y", "basis": "consolidated",
            "unit": "元", "lines": {"revenue": "5"}}  # fmt: skip
    assert api.post("/api/kpis/statements/", body, format="json").status_code == 412
    again = api.post("/api/kpis/statements/", {**body, "version": statement.version}, format="json")
    assert again.status_code == 201 and again.json()["version"] == statement.version + 1


def test_self_scores_need_the_version_read(assessments, people, api_for):
    score = assessments["score"]["a"]
    api = api_for(people["reform_office"])
    url = f"/api/assessments/scores/{score.pk}/self-score/"
    assert api.post(url, {"points": "1"}, format="json").status_code == 428
    done = api.post(url, {"points": "1", "version": score.version}, format="json")
    assert done.status_code == 200, done.content
    stale = api.post(url, {"points": "2", "version": score.version}, format="json")
    assert stale.status_code == 412
