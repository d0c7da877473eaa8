"""Opening a campaign (supervisor administrators, `manage`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from reformtrack.core.scoping import Action, granted_paths
from reformtrack.core.views.mixins import BusinessViewMixin

from ..forms import CampaignForm
from ..services.campaigns import open_campaign


class CampaignCreateView(BusinessViewMixin, FormView):
    template_name = "assessments/campaign_form.html"
    form_class = CampaignForm
    scope_action = Action.MANAGE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not granted_paths(request.user, Action.MANAGE):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        targets = list(data.pop("targets")) or None
        try:
            campaign = open_campaign(user=self.request.user, targets=targets, **data)
        except ValidationError as exc:
            for field, errors in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
            ):
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        return redirect(campaign)
