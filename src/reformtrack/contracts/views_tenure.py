"""The tenure page: the tenure contract's own indicators with their actual values, the
approved annual results under it, and the tenure result with its payout (任期激励); actions
enter values with evidence, score the finished tenure and send the result for approval. Read
with `pay` or as the member's own record; each read is appended to the pay-read log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from reformtrack.core.exporters import bytes_response

from . import selectors
from . import tenure as tenure_services
from .actuals import ActualsImporter, actuals_xlsx
from .forms import ActualsImportForm
from .models import AnnualContract, TenureContract, TenureResult
from .rules import load_rules
from .views import PeopleMixin, posted_actuals


class TenureView(PeopleMixin, View):
    model = TenureContract

    def tenure(self, pk):
        return get_object_or_404(self.get_queryset().select_related("member__organisation"), pk=pk)

    def get(self, request, pk):
        tenure = self.tenure(pk)
        result = TenureResult.objects.filter(tenure=tenure).first()
        selectors.record_pay_read(request.user, tenure, "tenure")
        annuals = (
            selectors.annuals_for(request.user)
            .filter(tenure=tenure)
            .select_related("result")
            .order_by("year")
        )
        try:
            rules = load_rules(tenure.rules).tenure
        except LookupError:
            rules = None
        context = {
            "tenure": tenure, "member": tenure.member, "result": result, "annuals": annuals,
            "indicators": tenure.indicators.all(), "rules": rules,
            "can_edit": self.may_edit(tenure.organisation),
        }  # fmt: skip
        return render(request, "contracts/tenure.html", context)

    def post(self, request, pk):
        tenure = self.tenure(pk)
        action = request.POST.get("action", "")
        try:
            if action == "actuals":
                tenure_services.record_tenure_actuals(
                    user=request.user, tenure=tenure, version=request.POST.get("version"),
                    values=posted_actuals(request, tenure.indicators.all()),
                )  # fmt: skip
                messages.success(request, _("The actual values were saved."))
            elif action == "score":
                tenure_services.score_tenure(user=request.user, tenure=tenure)
                messages.success(request, _("The tenure was scored by the rules."))
            elif action == "submit_result":
                tenure_services.submit_tenure_result(
                    user=request.user, result=tenure.result,
                    version=request.POST.get("result_version"),
                )  # fmt: skip
                messages.success(request, _("The result was sent for approval."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        return redirect("contracts:tenure", pk=tenure.pk)


class ActualsImportView(PeopleMixin, View):
    """Upload actual values of annual contracts (all or nothing, through `record_actuals`)."""

    model = AnnualContract
    keepers_only = True

    def get(self, request):
        return render(request, "contracts/actuals_import.html", {"form": ActualsImportForm()})

    def post(self, request):
        form = ActualsImportForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            result = ActualsImporter(user=request.user).run(
                form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
            )
        return render(request, "contracts/actuals_import.html", {"form": form, "result": result})


class ActualsExportView(PeopleMixin, View):
    """The actual-values template of a year (`?year=Y`, else last year) with current values."""

    model = AnnualContract
    keepers_only = True

    def get(self, request):
        raw = request.GET.get("year", "")
        year = int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else timezone.now().year - 1
        contracts = (
            selectors.annuals_for(request.user)
            .filter(year=year)
            .order_by("tenure__member__organisation__path", "tenure__member__name")
        )
        return bytes_response(f"actuals-{year}.xlsx", actuals_xlsx(contracts))
