"""What a reader sees of formulas and units outside the contracts pages, in Chinese and in
English: KPI formulas with the lines' names and no field name, not even in a tooltip; a
programme indicator's unit (级) in the reader's language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from reformtrack.core.libraries import install_library
from reformtrack.kpis.services import derive_targets
from reformtrack.programs.models import TaskTemplate

from . import test_kpis_engine
from .test_kpis_engine import enter

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
kpisets = test_kpis_engine.kpisets  # the shipped KPI libraries, loaded


@pytest.fixture(autouse=True)
def _default_language():
    """Pages asked for in English leave English active in the thread; start each in Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def both(client, url) -> tuple[str, str]:
    return client.get(url).content.decode(), client.get(url, **EN).content.decode()


# --- KPIs: formulas in words ---------------------------------------------------------------------


def test_kpi_formulas_show_line_names_and_no_field_name(kpisets, tree, people, client_for):
    enter(tree["GROUP-A"], 2023)
    enter(tree["GROUP-A"], 2024)
    derive_targets(user=None, organisation=tree["GROUP-A"], year=2024, shape="YLWD")
    client = client_for(people["reform_office"])
    url = reverse("kpis:overview", args=[tree["GROUP-A"].pk]) + "?year=2024"
    chinese, english = both(client, url)
    zh = chinese.split('data-testid="formulas"')[1].split("</table>")[0]
    en = english.split('data-testid="formulas"')[1].split("</table>")[0]
    for table in (zh, en):  # tooltips included: no snake_case field name anywhere in the table
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", table), re.search(r"\b[a-z]+_[a-z_]+\b", table)
        assert "title=" not in table
    assert "净利润 ÷ 平均(所有者权益（期初）, 所有者权益（期末）) × 100" in zh
    assert "Net profit ÷ average(Owners' equity (opening), Owners' equity (closing)) × 100" in (
        en.replace("&#x27;", "'")
    )


# --- programmes: an indicator's unit --------------------------------------------------------------


@pytest.fixture
def three_year_action():
    shipped = settings.REFORMTRACK_LIBRARY_DIR / "programmes" / "three-year-action.yaml"
    install_library(shipped.read_text(encoding="utf-8"))
    return TaskTemplate.objects.get(code="TYA-2-03")  # 管理层级控制在5级以内: unit 级


def test_an_indicator_unit_reads_in_the_readers_language(three_year_action):
    template = Template(
        '{% load amounts %}{{ t.indicator_target|floatformat:"-4"|with_unit:t.indicator_unit }}'
    )
    context = Context({"t": three_year_action})
    assert template.render(context) == "5 级"
    with translation.override("en"):
        assert template.render(context) == "5 levels"  # needs display.po merged


def test_programme_page_shows_the_unit_in_the_readers_language(
    three_year_action, client_for, people
):
    """Needs programme_detail.html to write the unit through `with_unit` (the lead's change)."""
    url = reverse("programs:programme", args=["TYA"])
    chinese, english = both(client_for(people["supervisor_admin"]), url)
    row = 'data-template="TYA-2-03"'
    zh = chinese.split(row)[1].split("</tr>")[0]
    en = english.split(row)[1].split("</tr>")[0]
    assert "(不高于 5 级)" in zh
    assert "(At most 5 levels)" in en and "级" not in en
