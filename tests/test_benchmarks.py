"""Management benchmarks (orgs, issue 19) as users meet them: a supervisor names a benchmark and
the organisation holds the matching designation (`orgs list --designation` finds it); who sees
the lists; the page and API; and benchmarks as a peer set in KPI comparison and assessments,
where another group's values stay hidden and too few hidden values withhold the median."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from reformtrack.orgs.benchmark_selectors import benchmark_enterprises, benchmarks_for
from reformtrack.orgs.benchmark_services import name_benchmark, withdraw_benchmark
from reformtrack.orgs.models import Benchmark, Designation, DesignationKind

from .test_assessments_core import campaign, rule_set  # noqa: F401  (fixtures)
from .test_kpis_engine import YEAR_LINES, enter, kpisets  # noqa: F401  (kpisets: a fixture)

NAMED = dt.date(2021, 8, 6)


def _name(tree, code="B-SUB", supervisor="SASAC", kind="enterprise", name=None, user=None):
    return name_benchmark(
        user=user, supervisor=tree[supervisor], kind=kind, name=name or f"{code} 标杆",
        year=2021, named_on=NAMED, organisation=tree[code], areas=["finance", "it"],
        source="seeds/004",
    )  # fmt: skip


def test_naming_designates_the_organisation_and_orgs_list_finds_it(tree):
    mark = _name(tree)
    assert mark.designation.kind.code == "MGMT_BENCHMARK"
    assert mark.designation.valid_from == NAMED and mark.designation.organisation == tree["B-SUB"]
    project = _name(tree, code="A-SUB", kind="project", name="“315”全面预算管理")
    assert project.designation.kind.code == "MGMT_BENCHMARK_PROJECT"
    assert project.designation.note == "“315”全面预算管理"
    _name(tree)  # naming again reuses the designation
    assert Designation.objects.filter(kind__code__startswith="MGMT_BENCHMARK").count() == 2
    out = StringIO()
    call_command("orgs", "list", "--designation", "MGMT_BENCHMARK", "--json", stdout=out)
    assert [r["code"] for r in json.loads(out.getvalue())] == ["B-SUB"]


def test_an_existing_designation_is_reused_and_withdrawal_ends_it(tree):
    earlier = Designation.objects.create(
        organisation=tree["B-SUB"],
        kind=DesignationKind.objects.get(code="MGMT_BENCHMARK"),
        valid_from=dt.date(2021, 8, 1),
    )
    mark = _name(tree)
    assert mark.designation == earlier
    withdraw_benchmark(user=None, benchmark=mark, on=dt.date(2023, 1, 1))
    earlier.refresh_from_db()
    assert earlier.valid_to == dt.date(2022, 12, 31) and not Benchmark.objects.exists()


def test_only_a_supervisor_with_manage_names_and_bad_input_is_refused(tree, people):
    with pytest.raises(PermissionDenied):
        _name(tree, user=people["reform_office"])
    with pytest.raises(PermissionDenied):  # SASAC's administrator holds nothing on PROV
        _name(tree, supervisor="PROV", user=people["supervisor_admin"])
    with pytest.raises(ValidationError):  # a group names no benchmark
        _name(tree, supervisor="GROUP-A")
    with pytest.raises(ValidationError):
        name_benchmark(user=None, supervisor=tree["SASAC"], kind="enterprise", name="x",
                       year=2021, areas=["cooking"])  # fmt: skip
    assert not Benchmark.objects.exists() and not Designation.objects.exists()
    assert _name(tree, user=people["supervisor_admin"]).supervisor == tree["SASAC"]


def test_a_list_is_seen_along_the_supervisors_line_and_by_the_organisation(tree, people):
    sasac_mark = _name(tree, code="B-SUB")  # SASAC's list: its whole tree sees it
    prov_mark = _name(tree, code="B-SUB", supervisor="PROV", name="省标杆")
    for who in ("reform_office", "viewer", "contributor"):
        assert list(benchmarks_for(people[who])) == [sasac_mark], who
    assert set(benchmarks_for(people["supervisor_admin"])) == {sasac_mark, prov_mark}  # B-SUB
    assert set(benchmarks_for(people["outsider"])) == {sasac_mark, prov_mark}  # B's own
    assert [o.code for o in benchmark_enterprises(people["reform_office"])] == ["B-SUB"]
    assert benchmark_enterprises(people["outsider"], exclude=tree["B-SUB"]) == []


def test_page_filters_and_links_only_what_the_user_may_open(tree, people, client_for):
    _name(tree, code="B-SUB")
    _name(tree, code="A-SUB", kind="project", name="“315”全面预算管理")
    client = client_for(people["reform_office"])
    text = client.get(reverse("orgs:benchmarks")).content.decode()
    assert "乙子公司" in text and "“315”全面预算管理" in text
    assert f'href="{tree["A-SUB"].get_absolute_url()}"' in text
    assert f'href="{tree["B-SUB"].get_absolute_url()}"' not in text  # named, not openable
    text = client.get(reverse("orgs:benchmarks") + "?kind=project").content.decode()
    assert "乙子公司" not in text and "“315”" in text
    text = client.get(reverse("orgs:benchmarks") + "?area=hr").content.decode()
    assert "您的范围内没有管理标杆" in text


def test_api_lists_with_designation_and_refuses_writes(tree, people, api_for):
    mark = _name(tree, code="B-SUB", supervisor="PROV")
    api = api_for(people["reform_office"])
    assert api.get(reverse("benchmark-detail", args=[mark.pk])).status_code == 404
    own = api_for(people["outsider"])
    row = own.get(reverse("benchmark-detail", args=[mark.pk])).json()
    assert row["organisation"] == "B-SUB" and row["designation"] == "MGMT_BENCHMARK"
    assert row["areas"] == ["finance", "it"] and row["named_on"] == "2021-08-06"
    assert own.post(reverse("benchmark-list"), {}, format="json").status_code == 405


# --- KPI comparison --------------------------------------------------------------------------


def _section(text: str, code: str) -> str:
    return re.search(rf'<section class="card" data-kpi="{code}">.*?</section>', text, re.S)[0]


def test_kpi_peers_with_the_benchmark_set(kpisets, tree, people, client_for, settings):  # noqa: F811
    enter(tree["A-SUB"], 2024)  # ROE 15.00 %
    enter(tree["B-SUB"], 2024, dict(YEAR_LINES, net_profit=30))  # ROE 7.50 %
    _name(tree, code="B-SUB")
    url = reverse("kpis:peers", args=[tree["A-SUB"].pk]) + "?year=2024&set=benchmarks"
    text = client_for(people["reform_office"]).get(url).content.decode()
    assert 'data-testid="benchmark-note"' in text and "checked" in text
    roe = _section(text, "ROE")
    assert "乙子公司" not in roe and "7.50" not in roe  # B's value is never shown to A
    assert 'data-testid="withheld"' in roe  # one hidden value: no median
    settings.REFORMTRACK_PEER_MIN_HIDDEN = 1
    roe = _section(client_for(people["reform_office"]).get(url).content.decode(), "ROE")
    assert "中位数 11.25" in roe and "n=2" in roe and "其他 1 家单位" in roe
    roe = _section(client_for(people["supervisor_admin"]).get(url).content.decode(), "ROE")
    assert "乙子公司" in roe and "7.50" in roe  # the supervisor sees both by name


# --- assessments -----------------------------------------------------------------------------


@pytest.fixture
def rated(campaign, tree, people):  # noqa: F811
    """SPECIAL-EVAL 2022 from SASAC: A-SUB 91, B-SUB 82 (final); B-SUB a benchmark."""
    from reformtrack.assessments.services import record_result

    done = {
        code: record_result(
            user=people["supervisor_admin"],
            campaign=campaign,
            organisation=tree[code],
            rating="",
            score=score,
        )  # fmt: skip
        for code, score in (("A-SUB", 91), ("B-SUB", 82))
    }
    _name(tree, code="B-SUB")
    return done


def test_assessment_page_compares_with_the_benchmarks(rated, people, client_for, settings):
    from reformtrack.assessments.benchmark_comparison import benchmark_comparison

    own = rated["A-SUB"]
    office = benchmark_comparison(people["reform_office"], own)
    assert (office.enterprises, office.count, office.hidden) == (1, 1, 1)
    assert office.withheld and office.median is None and office.rows == []
    url = reverse("assessments:assessment", args=[own.pk])
    text = client_for(people["reform_office"]).get(url).content.decode()
    assert 'data-testid="benchmark-withheld"' in text and "乙子公司" not in text
    settings.REFORMTRACK_PEER_MIN_HIDDEN = 1
    assert benchmark_comparison(people["reform_office"], own).median == Decimal("82.00")
    text = client_for(people["supervisor_admin"]).get(url).content.decode()
    section = text[text.index('data-testid="benchmark-comparison"') :]
    assert "乙子公司" in section and "82" in section and 'data-testid="benchmark-median"' in section


def test_no_benchmark_says_so(rated, people, client_for):
    Benchmark.objects.all().delete()
    url = reverse("assessments:assessment", args=[rated["A-SUB"].pk])
    text = client_for(people["reform_office"]).get(url).content.decode()
    assert "您可查看的名单中没有管理标杆企业" in text


def test_the_areas_are_listed_as_each_language_writes_a_list(tree, people, client_for):
    _name(tree, code="B-SUB")
    client = client_for(people["reform_office"])
    chinese = client.get(reverse("orgs:benchmarks")).content.decode()
    english = client.get(reverse("orgs:benchmarks"), headers={"accept-language": "en"})
    english = english.content.decode()
    assert re.search(r"<td>[^<]+、[^<]+</td>", chinese)
    assert re.search(r"<td>[^<]+, [^<]+</td>", english) and "、" not in english
