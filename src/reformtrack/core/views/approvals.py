"""An approval's page: the object, the decision trail, and the decision form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from ..forms import DecisionForm
from ..models import ApprovalRequest
from ..selectors.inbox import approvals_visible_to
from ..services import approvals
from .mixins import BusinessViewMixin


class ApprovalDetailView(BusinessViewMixin, DetailView):
    model = ApprovalRequest
    template_name = "core/approval_detail.html"
    context_object_name = "approval"

    def get_queryset(self):
        return approvals_visible_to(self.request.user).select_related(
            "organisation", "current_organisation", "submitted_by"
        )

    def get_context_data(self, **kwargs):
        approval = self.object
        may = approvals.may_decide(self.request.user, approval)
        return super().get_context_data(
            steps=approval.steps.select_related("actor", "organisation"),
            may_decide=may,
            form=kwargs.pop("form", None) or (DecisionForm() if may else None),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                approvals.decide(
                    request=self.object,
                    user=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    comment=form.cleaned_data["comment"],
                )
            except PermissionDenied:
                raise
            except ValidationError as exc:
                form.add_error("comment", exc.messages[0])
            else:
                messages.success(request, _("Your decision was recorded."))
                return redirect("core:approval", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(form=form))
