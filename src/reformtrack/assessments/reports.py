"""An enterprise's evaluation report and the campaign summary, as Word (editable templates
"assessment-report" and "campaign-summary") or PDF, in Chinese, with tables and charts."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reformtrack.core import reports

from .models import Assessment, Campaign
from .selectors import dimension_profile, distribution, gaps, results


def _fmt(value) -> str:
    return "—" if value is None else f"{value}"


def assessment_sections(assessment: Assessment, fmt: str) -> dict:
    campaign = assessment.campaign
    profile = dimension_profile(assessment)
    axes = [name for name, *_rest in profile]
    series = {str(assessment.organisation.short_name or assessment.organisation.name):
              [own for _n, own, _m, _x in profile], _("Campaign median"):
              [median for _n, _o, median, _x in profile]}  # fmt: skip
    maxima = [100] * len(profile)
    figures = {"score": _fmt(assessment.score), "rating": assessment.rating_label,
               "self": _fmt(assessment.self_score)}  # fmt: skip
    if figures["rating"]:
        summary = _("Score %(score)s, rating %(rating)s (self-assessed %(self)s).") % figures
    else:  # never "rating —": say plainly that no rating has been set
        summary = _("Score %(score)s; not yet rated (self-assessed %(self)s).") % figures
    missing = assessment.missing_codes
    if missing:  # a partial total is said to be partial
        summary += _("Incomplete: %(n)s not filled in (%(codes)s); the totals count only what "
                     "is filled in.") % {"n": len(missing),
                                         "codes": "、".join(missing)}  # fmt: skip
    dim_table = ([_("Dimension"), _("Score rate (%)"), _("Campaign median (%)")],
                 [[n, own, med] for n, own, med, _x in profile])  # fmt: skip
    ind_rows = [[s.indicator.code, s.indicator.title_zh, s.indicator.max_points,
                 _fmt(s.self_points), _fmt(s.reviewed_points), s.review_reason]
                for s in assessment.scores.select_related("indicator")]  # fmt: skip
    indicator = pgettext("assessment", "Indicator")
    ind_table = ([_("Code"), indicator, _("Maximum"), _("Self-assessed"), _("Reviewed"),
                  _("Reason for the change")], ind_rows)  # fmt: skip
    gap_rows = [[g.score.indicator.code, g.score.indicator.title_zh, g.lost, _fmt(g.median),
                 g.rectification.task.code if g.rectification and g.rectification.task else ""]
                for g in gaps(assessment)]  # fmt: skip
    gap_table = ([_("Code"), indicator, _("Points lost"), _("Campaign median"),
                  _("Rectification task")], gap_rows)  # fmt: skip
    sections = [
        {"heading": _("Result"), "paragraphs": [summary], "table": dim_table,
         "chart": ("radar", axes, series, maxima)},
        {"heading": _("Scores by indicator"), "paragraphs": [], "table": ind_table},
        {"heading": _("Gaps"), "paragraphs": [_("Indicators below their maximum, most points "
                                                 "lost first.")], "table": gap_table},
    ]  # fmt: skip
    return {"title": _("%(campaign)s: evaluation report") % {"campaign": campaign.name_zh},
            "subtitle": assessment.organisation.name_zh, "sections": sections}  # fmt: skip


def campaign_sections(campaign: Campaign, assessments) -> dict:
    rows = results(campaign, assessments)
    dist = distribution(campaign, rows)
    ranking = ([_("Rank"), _("Enterprise"), _("Score"), _("Rating"), _("Last year"),
                _("Movement")],
               [[r.rank, r.name, _fmt(r.score), r.rating_label or _("not yet rated"),
                 r.previous or "—",
                 "—" if r.movement is None else f"{r.movement:+d}"] for r in rows])  # fmt: skip
    empty = []
    if not rows:
        empty = [_("No rating has been set yet (campaign status: %(status)s): the distribution "
                   "and the ranking fill in once the ratings are set.")
                 % {"status": campaign.get_status_display()}]  # fmt: skip
    return {
        "title": _("%(campaign)s: results") % {"campaign": campaign.name_zh},
        "subtitle": campaign.rule_set.name_zh,
        "sections": [
            {"heading": _("Rating distribution"), "paragraphs": empty,
             "table": ([_("Rating"), _("Enterprises")], [list(d) for d in dist]),
             "chart": ("bar", [d[0] for d in dist], [d[1] for d in dist])},
            {"heading": _("Ranking"), "paragraphs": [], "table": ranking},
        ],
    }  # fmt: skip


def _render(context: dict, code: str, fmt: str) -> bytes:
    for section in context["sections"]:
        headers, rows = section.pop("table")
        chart = section.pop("chart", None)
        if fmt == "docx":
            section["table"] = reports.Table(headers, rows)
            if chart and chart[0] == "radar" and chart[1]:
                section["image"] = reports.Image(reports.radar_chart_png(*chart[1:]), 120)
            elif chart and chart[0] == "bar":
                section["image"] = reports.Image(reports.bar_chart_png(*chart[1:]), 140)
        else:
            section["table"] = {"headers": headers, "rows": rows}
            if chart and chart[0] == "radar" and chart[1]:
                section["svg"] = reports.radar_chart_svg(*chart[1:])
            elif chart and chart[0] == "bar":
                section["svg"] = reports.bar_chart_svg(*chart[1:])
    if fmt == "docx":
        return reports.render_docx(code, context)
    return reports.render_pdf("reports/base.html", context)


def assessment_report(assessment: Assessment, fmt: str = "docx") -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return _render(assessment_sections(assessment, fmt), "assessment-report", fmt)


def campaign_report(campaign: Campaign, assessments, fmt: str = "docx") -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return _render(campaign_sections(campaign, assessments), "campaign-summary", fmt)
