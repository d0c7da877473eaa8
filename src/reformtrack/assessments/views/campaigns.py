"""Campaign and assessment pages: results, ranking, scores, gaps, report downloads."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, View

from reformtrack.core import chart_exports
from reformtrack.core import reports as core_reports
from reformtrack.core.i18n import localized
from reformtrack.core.scoping import Action, can, granted_paths
from reformtrack.core.selectors.approvals import approval_of
from reformtrack.core.services.approvals import may_decide
from reformtrack.core.tables import TableViewMixin
from reformtrack.core.views.mixins import BusinessViewMixin, ScopedViewMixin

from .. import selectors
from ..benchmark_comparison import benchmark_comparison
from ..choices import AssessmentStatus, Method
from ..models import Assessment, Campaign
from ..reports import assessment_report, campaign_report
from ..services import campaigns as services
from ..tables import ResultTable
from ..values import describe

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class CampaignListView(BusinessViewMixin, ListView):
    template_name = "assessments/campaign_list.html"
    context_object_name = "campaigns"

    def get_queryset(self):
        return selectors.campaigns_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_manage"] = bool(granted_paths(self.request.user, Action.MANAGE))
        return context


class CampaignDetailView(ScopedViewMixin, TableViewMixin, DetailView):
    """The campaign, its ranking (a shared table: columns, saved views, export what I see) and
    the rating distribution (`?chart=distribution&export=csv|xlsx` for its data)."""

    model = Campaign
    slug_field = slug_url_kwarg = "code"
    template_name = "assessments/campaign_detail.html"
    table_key = "assessments.results"
    table_class = ResultTable
    export_name = "results"
    export_title = gettext_lazy("Ranking")

    def get_slug_field(self):
        return "code"

    def get_object(self, queryset=None):
        return selectors.campaign_by_code(self.request.user, self.kwargs["code"])

    def get(self, request, *args, **kwargs):
        if request.GET.get("chart") == "distribution":
            self.object = self.get_object()
            asked = chart_exports.requested(request, {"distribution": True})
            if asked is not None:
                header = [_("Rating"), _("Enterprises")]
                return chart_exports.table_response(
                    asked[1], f"{self.object.code}-distribution", _("Rating distribution"),
                    header, [list(d) for d in self.result_rows()[1]],
                )  # fmt: skip
        return super().get(request, *args, **kwargs)

    def result_rows(self):
        """(assessments, ranking rows, distribution), worked out once per request."""
        if not hasattr(self, "_results"):
            if not hasattr(self, "object"):
                self.object = self.get_object()
            assessments = selectors.campaign_assessments(self.request.user, self.object)
            rows = selectors.results(self.object, assessments)
            self._results = (assessments, selectors.distribution(self.object, rows), rows)
        assessments, dist, rows = self._results
        return assessments, dist, rows

    def get_table_rows(self):
        return self.result_rows()[2]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.object
        assessments, dist, rows = self.result_rows()
        context.update(
            assessments=assessments,
            results=rows,
            distribution=dist,
            distribution_svg=core_reports.bar_chart_svg([d[0] for d in dist], [d[1] for d in dist]),
            may_manage=can(self.request.user, Action.MANAGE, campaign),
        )
        return context


class AssessmentDetailView(ScopedViewMixin, DetailView):
    model = Assessment
    template_name = "assessments/assessment_detail.html"

    def get_queryset(self):
        return selectors.assessments_for(self.request.user)

    def get(self, request, *args, **kwargs):
        """The page, or the radar's data (`?chart=radar&export=csv|xlsx`)."""
        asked = chart_exports.requested(request, {"radar": True})
        if asked is None:
            return super().get(request, *args, **kwargs)
        self.object = self.get_object()
        header = [_("Dimension"), str(self.object.organisation.name), _("Campaign median")]
        rows = [[p[0], p[1], p[2]] for p in selectors.dimension_profile(self.object)]
        return chart_exports.table_response(
            asked[1], f"assessment-{self.object.pk}-radar", _("Scores by dimension"), header, rows
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(assessment_context(self.request, self.object))
        return context


def assessment_context(request, assessment, posted=None) -> dict:
    """What the assessment page shows; `posted` (a refused self-assessment form) puts the
    user's unsaved entries back into the form."""
    profile = selectors.dimension_profile(assessment)
    user, campaign = request.user, assessment.campaign
    pending = approval_of(assessment)
    self_total = selectors.running_total(assessment)
    reviewed = assessment.status not in (*services.SELF_EDITABLE, AssessmentStatus.SUBMITTED) or (
        assessment.scores.filter(reviewed_points__isnull=False).exists()
    )
    scores = _with_evidence(assessment)
    if posted is not None:
        _put_back(scores, posted)
    return dict(
        may_self_assess=can(user, Action.REPORT, assessment)
        and assessment.status in services.SELF_EDITABLE,
        may_review=can(user, Action.APPROVE, campaign) and assessment.status == "submitted",
        may_decide=pending is not None and may_decide(user, pending),
        may_rectify=can(user, Action.CHANGE, assessment),
        scores=scores,
        running=self_total,
        running_reviewed=selectors.running_total(assessment, reviewed=True) if reviewed else None,
        source_text=selectors.source_text(assessment.source),
        gaps=selectors.gaps(assessment),
        benchmarks=benchmark_comparison(user, assessment),
        radar_svg=core_reports.radar_chart_svg(
            [p[0] for p in profile],
            {assessment.organisation.name: [p[1] for p in profile],
             _("Campaign median"): [p[2] for p in profile]},
            [100] * len(profile),
        ) if profile else "",
    )  # fmt: skip


def _with_evidence(assessment):
    """The assessment's scores, each with its evidence files (`evidence_files`), its checklist
    items in the active language (`item_rows`) and where its value comes from (`source_label`)."""
    files = selectors.evidence_by_score(assessment)
    scores = list(assessment.scores.select_related("indicator", "indicator__dimension"))
    for score in scores:
        indicator = score.indicator
        score.evidence_files = files.get(score.pk, [])
        captured = score.value is not None or score.self_points is not None
        score.source_label = describe(indicator, score.value, captured=captured)
        score.item_rows = []
        if indicator.method == Method.CHECKLIST:
            score.item_rows = [
                (i, localized(item.get("text_zh", ""), item.get("text_en", "")), item["points"])
                for i, item in enumerate(indicator.items)
            ]
    return scores


def _put_back(scores, post) -> None:
    """Show what the user typed (not what is stored) after a refused save."""
    for score in scores:
        key = score.pk
        if f"justification_{key}" in post:
            score.justification = post.get(f"justification_{key}", "")
        if score.indicator.method == Method.MANUAL:
            score.self_points = post.get(f"points_{key}", "").strip() or None
        elif score.indicator.method == Method.CHECKLIST:
            score.checked = [int(i) for i in post.getlist(f"checked_{key}") if i.isdigit()]
        elif score.indicator.method == Method.YES_NO:
            yes = post.get(f"yes_{key}", "")
            maximum = score.indicator.max_points
            score.self_points = {"yes": maximum, "no": Decimal(0)}.get(yes)


def _download(data: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


class CampaignReportView(BusinessViewMixin, View):
    model = Campaign  # read by the permission matrix; the object comes from the selector

    def get(self, request, code, fmt):
        if fmt not in CONTENT_TYPES:
            raise Http404
        campaign = selectors.campaign_by_code(request.user, code)
        data = campaign_report(
            campaign, selectors.campaign_assessments(request.user, campaign), fmt
        )
        return _download(data, fmt, campaign.code)


class AssessmentReportView(BusinessViewMixin, View):
    model = Assessment

    def get(self, request, pk, fmt):
        if fmt not in CONTENT_TYPES:
            raise Http404
        assessment = selectors.assessment_detail(request.user, pk)
        name = f"{assessment.campaign.code}-{assessment.organisation.code}"
        return _download(assessment_report(assessment, fmt), fmt, name)
