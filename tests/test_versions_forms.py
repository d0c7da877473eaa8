"""No lost updates on the assessment and KPI pages: a save made on a page opened before someone
else's save is refused, says who saved and when, and leaves the figures as the other one left
them (issue 15, "No lost updates")."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from reformtrack.kpis.models import KpiTarget, Statement

from .test_assessments_core import campaign, rule_set, versions  # noqa: F401  (fixtures)
from .test_kpis_engine import kpisets  # noqa: F401  (fixture)
from .test_kpis_pages import seen_on

REFUSED = "已有他人保存过此项"


def test_a_stale_statement_correction_is_refused_and_names_who_saved(
    kpisets,  # noqa: F811
    tree,
    people,
    make_user,
    client_for,
):
    first = client_for(people["reform_office"])
    second = client_for(make_user("office_a2", role="reform_office", org=tree["GROUP-A"]))
    url = reverse("kpis:statement-entry", args=[tree["GROUP-A"].pk])
    form = {"year": 2024, "period": "Y", "basis": "consolidated", "unit": "万元"}
    assert first.post(url, dict(form, line_revenue="5000", seen="")).status_code == 302
    opened = seen_on(first.get(url))
    assert (
        second.post(url, dict(form, line_revenue="5100", seen=seen_on(second.get(url)))).status_code
        == 302
    )
    stale = first.post(url, dict(form, line_revenue="5200", seen=opened))
    text = stale.content.decode()
    assert stale.status_code == 200 and REFUSED in text and "office_a2" in text
    statement = Statement.objects.get(organisation=tree["GROUP-A"])
    assert statement.lines()["revenue"] == Decimal("51000000.00")
    # The page shown with the refusal carries the new version: saving again is deliberate.
    again = first.post(url, dict(form, line_revenue="5200", seen=seen_on(stale)))
    assert again.status_code == 302
    assert Statement.objects.get(pk=statement.pk).lines()["revenue"] == Decimal("52000000.00")


def test_a_blind_statement_entry_does_not_overwrite_an_existing_one(
    kpisets,  # noqa: F811
    tree,
    people,
    client_for,
):
    office = client_for(people["reform_office"])
    url = reverse("kpis:statement-entry", args=[tree["GROUP-A"].pk])
    form = {"year": 2024, "period": "Y", "basis": "consolidated", "unit": "万元"}
    assert office.post(url, dict(form, line_revenue="5000", seen="")).status_code == 302
    blind = office.post(url, dict(form, line_revenue="1", seen=""))
    assert REFUSED in blind.content.decode()
    statement = Statement.objects.get(organisation=tree["GROUP-A"])
    assert statement.lines()["revenue"] == Decimal("50000000.00")


def test_a_stale_target_is_refused(kpisets, tree, people, make_user, client_for):  # noqa: F811
    first = client_for(people["reform_office"])
    second = client_for(make_user("office_a2", role="reform_office", org=tree["GROUP-A"]))
    url = reverse("kpis:targets", args=[tree["GROUP-A"].pk]) + "?year=2024"
    target = {"code": "DEBT_RATIO", "comparison": "lte", "value": "64"}
    assert first.post(url, dict(target, seen=seen_on(first.get(url)))).status_code == 302
    opened = seen_on(first.get(url))
    assert (
        second.post(url, dict(target, value="60", seen=seen_on(second.get(url)))).status_code == 302
    )
    stale = first.post(url, dict(target, value="70", seen=opened))
    assert REFUSED in stale.content.decode()
    assert KpiTarget.objects.get(organisation=tree["GROUP-A"], code="DEBT_RATIO").value == 60


def test_a_stale_self_score_is_refused_and_nothing_of_the_save_is_kept(
    campaign,  # noqa: F811
    tree,
    people,
    make_user,
    client_for,
):
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    act = f"/assessments/{assessment.pk}/act/"
    manual = list(assessment.scores.filter(indicator__method="manual"))
    one, two = manual[0], manual[1]
    first = client_for(people["contributor"])
    second = client_for(make_user("contrib_a2", role="contributor", org=tree["A-SUB"]))
    opened = versions(assessment)
    newer = {"op": "self_score", **versions(assessment), f"points_{one.pk}": "1"}
    assert second.post(act, newer).status_code == 302
    stale = {"op": "self_score", **opened, f"points_{one.pk}": "2", f"points_{two.pk}": "2"}
    response = first.post(act, stale)
    assert REFUSED in response.content.decode()
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.self_points == 1 and two.self_points is None


def test_a_save_that_names_no_version_is_refused(campaign, people, client_for):  # noqa: F811
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    score = assessment.scores.filter(indicator__method="manual").first()
    response = client_for(people["contributor"]).post(
        f"/assessments/{assessment.pk}/act/", {"op": "self_score", f"points_{score.pk}": "1"}
    )
    assert "请重新加载页面" in response.content.decode()
    score.refresh_from_db()
    assert score.self_points is None


def test_opening_a_campaign_records_the_scores_it_creates(campaign):  # noqa: F811
    from reformtrack.core.models import AuditRecord

    assessment = campaign.assessments.get(organisation__code="A-SUB")
    record = AuditRecord.objects.get(
        object_type="assessments.assessment", object_id=str(assessment.pk), action="create",
        changes__has_key="scores_created",
    )  # fmt: skip
    codes = record.changes["scores_created"].split(", ")
    assert sorted(codes) == sorted(assessment.scores.values_list("indicator__code", flat=True))
