"""Accepted facts go into the platform with a link back to their source: a figure into a KPI
statement, a target onto a programme's ledger."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from reformtrack.core.libraries import install_library
from reformtrack.documents import services
from reformtrack.documents.models import Extraction
from reformtrack.kpis.models import Statement
from reformtrack.programs.models import Programme

TEXT = (
    "甲子公司半年报\n发布时间：2021-08-02\n"
    "上半年，甲子公司实现利润总额134亿元。力争8月底前完成总任务的70%。"
)


@pytest.fixture
def facts(tree, people):
    document, _created = services.ingest(user=None, data=TEXT.encode(), filename="a.txt")
    money = Extraction.objects.get(document=document, kind="money")
    target = Extraction.objects.get(document=document, kind="target")
    return document, money, target


def _library(*parts):
    path = settings.REFORMTRACK_LIBRARY_DIR.joinpath(*parts)
    install_library(path.read_text(encoding="utf-8"), origin=path.name)


def test_a_figure_becomes_a_statement_line(facts, tree, people):
    _library("kpisets", "00-statement-lines.yaml")
    document, money, _target = facts
    assert money.value["value"] == "13400000000"
    with pytest.raises(ValidationError):  # not reviewed yet
        services.promote_figure(user=people["reform_office"], item=money,
                                organisation=tree["A-SUB"], year=2021, period="Q2",
                                basis="consolidated", line="total_profit")  # fmt: skip
    services.review(user=people["reform_office"], item=money, accept=True)
    statement = services.promote_figure(
        user=people["reform_office"], item=money, organisation=tree["A-SUB"], year=2021,
        period="Q2", basis="consolidated", line="total_profit",
    )  # fmt: skip
    value = Statement.objects.get(pk=statement.pk).values.get(line="total_profit").value
    assert value == Decimal("13400000000")
    assert f"document {document.pk}" in statement.source
    money.refresh_from_db()
    assert money.promoted_to == f"statement:{statement.pk}"


def test_a_target_becomes_a_ledger_task(facts, tree, people):
    _library("programmes", "three-year-action.yaml")
    _document, _money, target = facts
    services.review(user=people["reform_office"], item=target, accept=True)
    programme = Programme.objects.get(code="TYA")
    task = services.promote_target(
        user=people["reform_office"], item=target, programme=programme,
        area=programme.areas.first(), organisation=tree["A-SUB"], code="DOC-1",
    )  # fmt: skip
    assert task.deadline == dt.date(2021, 8, 31)
    assert "70%" in task.title and "document" in task.measure


def test_the_document_page_promotes_a_target(facts, tree, people, client_for):
    from django.urls import reverse

    _library("programmes", "three-year-action.yaml")
    document, _money, target = facts
    office = client_for(people["reform_office"])
    office.post(reverse("documents:item-review", args=[target.pk]), {"accept": "1"})
    page = office.get(document.get_absolute_url()).content.decode()
    assert 'data-testid="promote-target"' in page
    area = Programme.objects.get(code="TYA").areas.first()
    office.post(
        reverse("documents:item-promote", args=[target.pk]),
        {"programme": "TYA", "area": area.code, "organisation": "A-SUB", "code": "DOC-2"},
    )
    target.refresh_from_db()
    assert target.promoted_to.startswith("task:")
    refused = office.post(
        reverse("documents:item-promote", args=[_money.pk]), {"organisation": "B-SUB"}
    )
    assert refused.status_code == 404  # not accepted: nothing to promote
