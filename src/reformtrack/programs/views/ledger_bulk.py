"""The ledger's bulk action: selected tasks → one plan change request each (services/
ledger_bulk.py), through the plan change approval chain; nothing is written directly."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ..services.ledger_bulk import request_plan_changes
from .programmes import ProgrammeMixin


class BulkPlanChangeForm(forms.Form):
    deadline = forms.DateField(label=gettext_lazy("New deadline"), required=False)
    owner = forms.CharField(
        label=gettext_lazy("New responsible person"), max_length=100, required=False
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000)


class LedgerBulkView(ProgrammeMixin, View):
    def post(self, request, code):
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = self.programme.get_absolute_url()
        form = BulkPlanChangeForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
            return HttpResponseRedirect(back)
        data = form.cleaned_data
        fields = {n: data[n] for n in ("deadline", "owner") if data[n] not in ("", None)}
        try:
            changes = request_plan_changes(
                user=request.user, programme=self.programme,
                task_ids=request.POST.getlist("select"), reason=data["reason"], **fields,
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, _("Nothing was requested:"))
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(n)d plan change requests filed; they wait for approval.")
                % {"n": len(changes)},
            )
        return HttpResponseRedirect(back)
