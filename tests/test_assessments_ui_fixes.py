"""What the UI review found on the assessment pages, as a user sees it: self-assessed points of
value-read (banded) indicators after review and publication (page, totals, gaps, reports),
readable value sources, bilingual checklist items and legend, capitalised English statuses,
the source without a file path, a refused save that keeps the user's entries, and the summary
of a campaign without ratings."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from docx import Document

from reformtrack.assessments import selectors
from reformtrack.assessments.demo import OLD_SOURCE_000, SOURCE_000
from reformtrack.assessments.models import Indicator
from reformtrack.assessments.reports import assessment_sections, campaign_sections
from reformtrack.assessments.services import campaigns as services
from reformtrack.assessments.services import record_result
from reformtrack.programs.choices import TaskStatus
from reformtrack.programs.models import LedgerTask

from .test_assessments_core import campaign, fill, rule_set, versions  # noqa: F401  (fixtures)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _cell(html: str, code: str, testid: str) -> str:
    row = re.search(rf'<tr data-indicator="{code}">(.*?)</tr>', html, re.S).group(1)
    found = re.search(rf'data-testid="{testid}">(.*?)</', row, re.S)
    return found.group(1).strip() if found else ""


def _publish_with_ledger_value(campaign, people, programme):  # noqa: F811
    """A-SUB's D2-01 reads the MINI ledger (every row done: 100 % → 10 points), D6-01 a KPI
    with no value (0 points); self-assessed, submitted, reviewed (D2-01 lowered to 8),
    finalised and published."""
    Indicator.objects.filter(code="D2-01").update(value_code=programme.code)
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    LedgerTask.objects.filter(programme=programme, org_path__prefix=assessment.organisation.path,
                              parent__isnull=True).update(status=TaskStatus.DONE)  # fmt: skip
    contributor, supervisor = people["contributor"], people["supervisor_admin"]
    fill(assessment, contributor, Decimal("0.8"))
    services.submit_assessment(user=contributor, assessment=assessment)
    d2 = assessment.scores.get(indicator__code="D2-01")
    services.adjust_score(user=supervisor, score=d2, points=8, reason="台账佐证不全")
    while assessment.status == "submitted":
        services.review(user=supervisor, assessment=assessment, approve=True)
    other = campaign.assessments.get(organisation__code="B-SUB").organisation
    record_result(user=supervisor, campaign=campaign, organisation=other, rating="良好", score=75)
    services.finalise_campaign(user=supervisor, campaign=campaign)
    services.publish_campaign(user=supervisor, campaign=campaign)
    assessment.refresh_from_db()
    return assessment


def test_value_read_self_points_agree_on_page_totals_gaps_and_reports(
    campaign,  # noqa: F811
    people,
    programme,
    client_for,
):
    assessment = _publish_with_ledger_value(campaign, people, programme)
    assert assessment.status == "published"
    d2 = assessment.scores.get(indicator__code="D2-01")
    d6 = assessment.scores.get(indicator__code="D6-01")
    # D6-01 has no KPI value: its points were entered by hand (0.8 × 10), never a silent 0.
    assert (d2.self_points, d2.reviewed_points, d6.self_points) == (10, 8, 8)

    html = client_for(people["reform_office"]).get(assessment.get_absolute_url()).content.decode()
    assert _cell(html, "D2-01", "self-points") == "10.00"
    assert _cell(html, "D6-01", "self-points") == "8.00"
    assert _cell(html, "D2-01", "value-source") == f"取自台账：{programme.name_zh} 完成率 100%"
    assert "ledger_coverage:" not in html and "kpi:RD_INTENSITY" not in html
    assert "平台中无数据" in _cell(html, "D6-01", "value-source")

    own = selectors.running_total(assessment)
    reviewed = selectors.running_total(assessment, reviewed=True)
    assert own.points == sum(s.self_points for s in assessment.scores.all())
    assert reviewed.points == own.points - 2  # only D2-01 changed, 10 → 8
    assert f"自评累计：{own.points} / {own.maximum} 分（折合百分制得分 {own.score}）" in html
    assert f"核定累计：{reviewed.points} / {reviewed.maximum} 分" in html
    assert assessment.self_score == own.score and assessment.score == reviewed.score

    gaps = {g.score.indicator.code: g for g in selectors.gaps(assessment)}
    assert gaps["D2-01"].self_points == 10 and gaps["D2-01"].difference == -2
    assert gaps["D6-01"].difference is None  # not reviewed: no difference to show
    gap_row = re.search(r'data-testid="gaps".*?<tr data-indicator="D2-01">(.*?)</tr>', html, re.S)
    assert "-2.00" in gap_row.group(1)

    sections = assessment_sections(assessment, "pdf")["sections"]
    rows = {row[0]: row for row in sections[1]["table"][1]}
    assert rows["D2-01"][3:5] == ["10.00", "8.00"] and rows["D6-01"][3] == "8.00"
    report = client_for(people["reform_office"]).get(
        f"/assessments/{assessment.pk}/report.docx"
    )  # fmt: skip
    doc = Document(io.BytesIO(report.content))
    table = next(t for t in doc.tables if "自评分" in [c.text for c in t.rows[0].cells])
    cells = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows}
    assert cells["D2-01"][3:5] == ["10.00", "8.00"] and cells["D6-01"][3] == "8.00"
    assert "自评分 0.00" not in "".join(p.text for p in doc.paragraphs)


def test_english_page_shows_english_items_legend_and_statuses(campaign, people, client_for):  # noqa: F811
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    contributor = client_for(people["contributor"])
    html = contributor.get(assessment.get_absolute_url(), **EN).content.decode()
    items = Indicator.objects.filter(method="checklist").order_by("code").first().items
    assert all(item["text_en"] in html for item in items)
    assert items[0]["text_zh"] not in html
    fill(assessment, people["contributor"], Decimal("0.8"))
    html = contributor.get(assessment.get_absolute_url(), **EN).content.decode()
    assert "Campaign median" in html and "中位数" not in html
    assert "Self-assessing" in html and "Self-assessed total:" in html
    campaigns = contributor.get("/assessments/", **EN).content.decode()
    assert "Open for self-assessment" in campaigns
    zh = contributor.get(assessment.get_absolute_url()).content.decode()
    assert "中位数" in zh and "自评中" in zh


def test_source_without_file_path_and_demo_source_fixed(campaign, people, client_for):  # noqa: F811
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    assessment.source = OLD_SOURCE_000
    assessment.save(update_fields=["source"])
    html = client_for(people["reform_office"]).get(assessment.get_absolute_url()).content.decode()
    assert f"来源：{SOURCE_000}" in html and "seeds/" not in html
    assert not SOURCE_000.startswith("seeds/")


def test_refused_self_assessment_keeps_the_other_entries(campaign, people, client_for):  # noqa: F811
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    contributor = client_for(people["contributor"])
    manual = list(assessment.scores.filter(indicator__method="manual").select_related("indicator"))
    first, second = manual[0], manual[1]
    checklist = assessment.scores.filter(indicator__method="checklist").first()
    form = {
        "op": "self_score",
        **versions(assessment),
        f"points_{first.pk}": str(first.indicator.max_points + 1),  # out of range
        f"points_{second.pk}": "1.5",
        f"justification_{second.pk}": "制度已印发，尚未全面执行",
        f"checked_{checklist.pk}": ["0", "1"],
    }
    response = contributor.post(f"/assessments/{assessment.pk}/act/", form)
    html = response.content.decode()
    assert response.status_code == 400
    assert f"{first.indicator.code} 的分数须在 0 到 {first.indicator.max_points} 之间" in html
    assert f'name="points_{second.pk}" value="1.5"' in html
    assert "制度已印发，尚未全面执行" in html
    assert f'name="checked_{checklist.pk}" value="1" checked' in html
    assert f'name="points_{first.pk}" value="{first.indicator.max_points + 1}"' in html
    second.refresh_from_db()
    assert second.self_points is None  # nothing was written


def test_review_reason_is_a_textarea(campaign, people, client_for):  # noqa: F811
    assessment = campaign.assessments.get(organisation__code="A-SUB")
    fill(assessment, people["contributor"], Decimal("0.8"))
    services.submit_assessment(user=people["contributor"], assessment=assessment)
    html = client_for(people["supervisor_admin"]).get(assessment.get_absolute_url())
    score = assessment.scores.first()
    assert f'<textarea name="reason_{score.pk}"' in html.content.decode()


def test_summary_of_a_campaign_without_ratings_says_why(campaign, people, client_for):  # noqa: F811
    assessments = campaign.assessments.all()
    sections = campaign_sections(campaign, assessments)["sections"]
    assert "尚未评定等级（评估状态：自评中）" in sections[0]["paragraphs"][0]
    page = client_for(people["supervisor_admin"]).get(campaign.get_absolute_url())
    assert "尚未评定等级（评估状态：自评中）" in page.content.decode()


def test_radar_labels_stay_inside_and_legend_rows_do_not_overlap():
    from reformtrack.core.reports.charts import _text_width, radar_chart_png, radar_chart_svg

    axes = ["公司治理", "市场化经营机制", "激励约束机制", "混合所有制改革", "党的建设",
            "科技创新（科改示范企业）"]  # fmt: skip
    series = {"昊华化工科技集团股份有限公司": [90] * 6, "参评企业中位数": [70] * 6}
    svg = radar_chart_svg(axes, series, [100] * 6)
    width = float(re.search(r'width="([\d.]+)"', svg).group(1))
    spans = re.findall(
        r'<text text-anchor="(\w+)"><tspan x="([\d.]+)"[^>]*>(.*?)</tspan>(.*?)</text>', svg
    )
    assert len(spans) == 6
    for anchor, x, first, rest in spans:
        lines = [first] + re.findall(r">([^<]*)</tspan>", rest)
        for line in lines:
            w = _text_width(line, 10)
            left = {"start": float(x), "end": float(x) - w, "middle": float(x) - w / 2}[anchor]
            assert left >= 0 and left + w <= width, line
    legend = re.findall(r'<text x="24" y="([\d.]+)">(.*?)</text>', svg)
    assert [name for _y, name in legend] == list(series)
    assert float(legend[1][0]) - float(legend[0][0]) >= 14  # one entry per line
    assert radar_chart_png(axes, series, [100] * 6).startswith(b"\x89PNG")
