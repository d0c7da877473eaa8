"""Form posts of the assessment and campaign pages: self-scores, submit, review (adjust,
approve, return), gaps into rectification tasks, finalise and publish. Each calls a service,
which checks the user's right; a GET goes back to the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import View

from reformtrack.core.services.versioning import required_version
from reformtrack.core.views.mixins import BusinessViewMixin

from .. import selectors
from ..choices import Method
from ..models import Assessment, Campaign
from ..services import campaigns as services
from ..services.evidence import add_score_evidence
from ..services.rectification import rectify
from ..services.rules import request_extension
from .campaigns import assessment_context


def _number(raw: str):
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation as exc:
        raise ValidationError(_("%(v)s is not a number.") % {"v": raw}) from exc


def _self_scores(request, assessment):
    post, stored = request.POST, []
    try:
        with transaction.atomic():
            for score in assessment.scores.select_related("indicator"):
                method = score.indicator.method
                yes = {"yes": True, "no": False}.get(post.get(f"yes_{score.pk}", ""))
                points = _number(post.get(f"points_{score.pk}", ""))
                checked = [int(i) for i in post.getlist(f"checked_{score.pk}") if i.isdigit()]
                if method == Method.MANUAL and points is None and score.self_points is None:
                    continue  # not scored yet: leave it for later
                if method == Method.YES_NO and yes is None:
                    continue
                services.save_self_score(
                    user=request.user, score=score, points=points, checked=checked, yes=yes,
                    justification=post.get(f"justification_{score.pk}", ""),
                    evidence=post.get(f"evidence_{score.pk}", score.evidence),
                    expected_version=required_version(post.get(f"version_{score.pk}")),
                )  # fmt: skip
            for score in assessment.scores.select_related("assessment"):
                for upload in request.FILES.getlist(f"file_{score.pk}"):
                    stored.append(add_score_evidence(user=request.user, score=score, upload=upload))
    except Exception:
        for item in stored:  # the rows were rolled back: drop their files too
            item.file.delete(save=False)
        raise
    return _("The self-assessment was saved.")


def _adjust(request, assessment):
    with transaction.atomic():
        for score in assessment.scores.select_related("indicator"):
            points = _number(request.POST.get(f"reviewed_{score.pk}", ""))
            if points is not None and points != score.reviewed_points:
                reason = request.POST.get(f"reason_{score.pk}", "")
                services.adjust_score(
                    user=request.user, score=score, points=points, reason=reason,
                    expected_version=required_version(request.POST.get(f"version_{score.pk}")),
                )  # fmt: skip
    return _("The reviewed points were saved.")


def _extend(request, assessment):
    try:
        new_date = dt.date.fromisoformat(request.POST.get("new_date", "").strip())
    except ValueError as exc:
        raise ValidationError(_("Use YYYY-MM-DD.")) from exc
    request_extension(user=request.user, assessment=assessment,
                      kind=request.POST.get("kind", "self"), new_date=new_date,
                      reason=request.POST.get("reason", ""))  # fmt: skip
    return _("The extension was asked for; it counts once the level above approves it.")


def _rectify(request, assessment):
    raw = request.POST.get("deadline", "").strip()
    try:
        deadline = dt.date.fromisoformat(raw) if raw else None
    except ValueError as exc:
        raise ValidationError(_("Use YYYY-MM-DD.")) from exc
    chosen = request.POST.getlist("gap")
    if not chosen:
        raise ValidationError(_("Choose at least one gap."))
    made = rectify(user=request.user, assessment=assessment, indicator_codes=chosen,
                   owner=request.POST.get("owner", ""), deadline=deadline,
                   department=request.POST.get("department", ""))  # fmt: skip
    return _("%(n)s rectification task(s) added to the ledger.") % {"n": len(made)}


ASSESSMENT_OPS = {
    "self_score": _self_scores,
    "submit": lambda r, a: services.submit_assessment(
        user=r.user, assessment=a,
        expected_version=required_version(r.POST.get("assessment_version")),
    )
    and _("The self-assessment was submitted for review."),
    "adjust": _adjust,
    "approve": lambda r, a: services.review(user=r.user, assessment=a, approve=True,
                                            comment=r.POST.get("comment", ""))
    and _("Approved."),
    "return": lambda r, a: services.review(user=r.user, assessment=a, approve=False,
                                           comment=r.POST.get("comment", ""))
    and _("Returned for more evidence."),
    "rectify": _rectify,
    "extend": _extend,
}  # fmt: skip


def _run(request, func, *args) -> bool:
    """Run one operation and say how it went; False if it was refused."""
    try:
        messages.success(request, func(request, *args))
    except (ValidationError, PermissionDenied) as exc:
        text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text or _("You may not do this."))
        return False
    return True


class AssessmentActionView(BusinessViewMixin, View):
    model = Assessment

    def get(self, request, pk):
        return redirect(selectors.assessment_detail(request.user, pk))

    def post(self, request, pk):
        assessment = selectors.assessment_detail(request.user, pk)
        name = request.POST.get("op", "")
        op = ASSESSMENT_OPS.get(name)
        if op is not None and not _run(request, op, assessment) and name == "self_score":
            return _render_again(request, assessment)
        return redirect(assessment)


def _render_again(request, assessment):
    """A refused self-assessment: the page again, with the error and the user's entries."""
    assessment.refresh_from_db()
    context = {"object": assessment, "assessment": assessment,
               **assessment_context(request, assessment, posted=request.POST)}  # fmt: skip
    return render(request, "assessments/assessment_detail.html", context, status=400)


CAMPAIGN_OPS = {
    "finalise": lambda r, c: (
        services.finalise_campaign(user=r.user, campaign=c) and _("The ratings were set.")
    ),
    "publish": lambda r, c: (
        services.publish_campaign(user=r.user, campaign=c) and _("The results were published.")
    ),
}


class CampaignActionView(BusinessViewMixin, View):
    model = Campaign

    def get(self, request, code):
        return redirect(selectors.campaign_by_code(request.user, code))

    def post(self, request, code):
        campaign = selectors.campaign_by_code(request.user, code)
        op = CAMPAIGN_OPS.get(request.POST.get("op", ""))
        if op is not None:
            _run(request, op, campaign)
        return redirect(campaign)
