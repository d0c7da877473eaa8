"""Campaign and assessment pages: results, ranking, scores, gaps, report downloads."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.generic import DetailView, ListView, View

from reformtrack.core import reports as core_reports
from reformtrack.core.scoping import Action, can, granted_paths
from reformtrack.core.selectors.approvals import approval_of
from reformtrack.core.services.approvals import may_decide
from reformtrack.core.views.mixins import BusinessViewMixin, ScopedViewMixin

from .. import selectors
from ..models import Assessment, Campaign
from ..reports import assessment_report, campaign_report
from ..services import campaigns as services

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


class CampaignDetailView(ScopedViewMixin, DetailView):
    model = Campaign
    slug_field = slug_url_kwarg = "code"
    template_name = "assessments/campaign_detail.html"

    def get_slug_field(self):
        return "code"

    def get_object(self, queryset=None):
        return selectors.campaign_by_code(self.request.user, self.kwargs["code"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.object
        assessments = selectors.campaign_assessments(self.request.user, campaign)
        rows = selectors.results(campaign, assessments)
        dist = selectors.distribution(campaign, rows)
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.object
        profile = selectors.dimension_profile(assessment)
        user, campaign = self.request.user, assessment.campaign
        pending = approval_of(assessment)
        context.update(
            may_self_assess=can(user, Action.REPORT, assessment)
            and assessment.status in services.SELF_EDITABLE,
            may_review=can(user, Action.APPROVE, campaign) and assessment.status == "submitted",
            may_decide=pending is not None and may_decide(user, pending),
            may_rectify=can(user, Action.CHANGE, assessment),
            scores=_with_evidence(assessment),
            running=selectors.running_total(assessment),
            gaps=selectors.gaps(assessment),
            radar_svg=core_reports.radar_chart_svg(
                [p[0] for p in profile],
                {assessment.organisation.name: [p[1] for p in profile],
                 "中位数": [p[2] for p in profile]},
                [100] * len(profile),
            ) if profile else "",
        )  # fmt: skip
        return context


def _with_evidence(assessment):
    """The assessment's scores, each with its evidence files (`evidence_files`)."""
    files = selectors.evidence_by_score(assessment)
    scores = list(assessment.scores.select_related("indicator", "indicator__dimension"))
    for score in scores:
        score.evidence_files = files.get(score.pk, [])
    return scores


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
