"""An approval's page: what is decided (the app's own view of it), the chain, the decision
trail and the decision form; and the inbox's batch decisions."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from ..approvals_display import render_display
from ..forms import BatchDecisionForm, DecisionForm
from ..models import ApprovalRequest
from ..models.approvals import ApprovalStatus
from ..scoping import Action, can
from ..selectors.approvals import chain_of, steps_of
from ..selectors.inbox import approvals_visible_to
from ..services import approvals
from .mixins import BusinessViewMixin


def _earlier_levels(approval, chain):
    return [(row["index"], row["organisation"]) for row in chain[: approval.current_level]]


class ApprovalDetailView(BusinessViewMixin, DetailView):
    model = ApprovalRequest
    template_name = "core/approval_detail.html"
    context_object_name = "approval"

    def get_queryset(self):
        return approvals_visible_to(self.request.user).select_related(
            "organisation", "current_organisation", "submitted_by", "content_type", "escalated_to"
        )

    def get_context_data(self, **kwargs):
        user, approval = self.request.user, self.object
        chain = chain_of(approval)
        refusal = approvals.refusal(user, approval)
        may = refusal is None
        form = kwargs.pop("form", None)
        if form is None and may:
            form = DecisionForm(approval=approval, earlier=_earlier_levels(approval, chain))
        pending = approval.status == ApprovalStatus.PENDING
        return super().get_context_data(
            steps=steps_of(approval),
            chain=chain,
            may_decide=may,
            # Why not, for those who hold the approve right here but may not decide.
            refusal=refusal if pending and can(user, Action.APPROVE, approval) else "",
            blocked=pending and approvals.is_blocked(approval),
            shown=render_display(approval, user, self.request),
            form=form,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        posted = request.POST.get("version", "")
        if posted.isdigit() and int(posted) != self.object.version:  # decided meanwhile
            conflict = approvals.conflict_text(self.object)
            return self.render_to_response(self.get_context_data(conflict=conflict), status=409)
        refusal = approvals.refusal(request.user, self.object)
        if refusal and self.object.status == ApprovalStatus.PENDING:
            raise PermissionDenied(refusal)
        chain = chain_of(self.object)
        form = DecisionForm(
            request.POST, approval=self.object, earlier=_earlier_levels(self.object, chain)
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                approvals.decide(
                    request=self.object,
                    user=request.user,
                    approve=data["decision"] == "approve",
                    comment=data["comment"],
                    level=data["level"],
                    version=data["version"],
                    return_to=data["return_to"],
                )
            except approvals.DecisionConflict as exc:
                self.object.refresh_from_db()
                return self.render_to_response(self.get_context_data(conflict=exc.text), status=409)
            except PermissionDenied:
                raise
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Your decision was recorded."))
                return redirect("core:approval", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ApprovalBatchView(LoginRequiredMixin, View):
    """POST from the inbox: approve or return every ticked approval, each through the same
    service as one decision; what could not be decided is listed with the reason."""

    http_method_names = ["post"]

    def post(self, request):
        if request.user.is_administrator:
            raise PermissionDenied
        form = BatchDecisionForm(request.POST, ticked=request.POST.getlist("item"))
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("core:inbox")
        results = approvals.decide_many(
            user=request.user,
            items=form.cleaned_data["items"],
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )
        done = sum(1 for _pk, _title, error in results if error is None)
        if done:
            messages.success(request, _("Decisions recorded: %(n)s.") % {"n": done})
        for pk, title, error in results:
            if error is not None:
                messages.error(
                    request,
                    _("Not decided: %(title)s: %(reason)s")
                    % {"title": title or f"#{pk}", "reason": error},
                )
        return redirect("core:inbox")
