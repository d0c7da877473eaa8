"""Adding, editing and removing an organisation's designations."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from reformtrack.core.scoping import Action
from reformtrack.core.views.mixins import ScopedViewMixin

from .. import services
from ..forms import DesignationForm
from ..models import Designation
from .organisations import ManagedOrganisationMixin, ServiceFormMixin


class DesignationCreateView(ManagedOrganisationMixin, ServiceFormMixin, FormView):
    form_class = DesignationForm
    template_name = "orgs/designation_form.html"
    success_message = gettext_lazy("The designation was added.")

    def run_service(self, form):
        return services.add_designation(
            user=self.request.user, organisation=self.organisation, **form.cleaned_data
        )


class ManagedDesignationMixin(ScopedViewMixin):
    model = Designation
    scope_action = Action.MANAGE

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.designation = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            org=self.designation.organisation, designation=self.designation, **kwargs
        )


class DesignationUpdateView(ManagedDesignationMixin, ServiceFormMixin, FormView):
    form_class = DesignationForm
    template_name = "orgs/designation_form.html"
    success_message = gettext_lazy("The designation was saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.designation}

    def run_service(self, form):
        return services.update_designation(
            user=self.request.user, designation=self.designation, **form.cleaned_data
        )


class DesignationDeleteView(ManagedDesignationMixin, FormView):
    template_name = "orgs/designation_delete.html"

    def get_form_class(self):
        from django import forms

        return forms.Form

    def form_valid(self, form):
        org = self.designation.organisation
        services.delete_designation(user=self.request.user, designation=self.designation)
        messages.success(self.request, _("The designation was removed."))
        return redirect(org)
