"""Pages: the managers register, a manager's contracts and results, an annual contract with
its indicators and year-end actions, the exit list, the roster import and export. Every page
reads with the `change` action (pay and personal data); pay pages leave an audit record."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from reformtrack.core.exporters import bytes_response
from reformtrack.core.views.mixins import ScopedViewMixin
from reformtrack.orgs.models import Organisation

from . import selectors, services
from .exporters import roster_xlsx
from .forms import RosterImportForm
from .importers import RosterImporter
from .models import AnnualContract, Member

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PeopleMixin(ScopedViewMixin):
    """Pages of people and pay: only users holding `change` somewhere reach them at all."""

    scope_action = selectors.PAY

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        people = user.is_authenticated and not user.is_administrator
        if people and not selectors.may_read_people(user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class HomeView(PeopleMixin, View):
    model = Member

    def get(self, request):
        year = timezone.now().year - 1
        raw = request.GET.get("year", "")
        if raw.isdigit() and 1990 <= int(raw) <= 2100:
            year = int(raw)
        members = selectors.members_for(request.user)
        results = {
            r.contract.tenure.member_id: r
            for r in selectors.results_for(request.user).filter(contract__year=year)
        }
        rows = [(m, results.get(m.pk)) for m in members]
        return render(request, "contracts/home.html", {"rows": rows, "year": year})


class MemberView(PeopleMixin, View):
    model = Member

    def get(self, request, pk):
        member = get_object_or_404(self.get_queryset().select_related("organisation"), pk=pk)
        annuals = (
            selectors.annuals_for(request.user)
            .filter(tenure__member=member)
            .select_related("result")
            .order_by("year")
        )
        selectors.record_pay_read(request.user, member, "member")
        context = {"member": member, "tenures": member.tenures.all(), "annuals": annuals}
        return render(request, "contracts/member.html", context)


class AnnualView(PeopleMixin, View):
    model = AnnualContract

    def contract(self, request, pk):
        return get_object_or_404(
            self.get_queryset().select_related("tenure__member__organisation"), pk=pk
        )

    def get(self, request, pk):
        contract = self.contract(request, pk)
        result = getattr(contract, "result", None)  # none until the year is scored
        selectors.record_pay_read(request.user, contract, "annual")
        context = {
            "contract": contract, "member": contract.tenure.member, "result": result,
            "indicators": contract.indicators.select_related("task"),
        }  # fmt: skip
        return render(request, "contracts/annual.html", context)

    def post(self, request, pk):
        contract = self.contract(request, pk)
        action = request.POST.get("action", "")
        version = request.POST.get("version")
        try:
            if action == "submit":
                services.submit_contract(user=request.user, contract=contract, version=version)
                messages.success(request, _("The contract was sent for signing."))
            elif action == "pull":
                services.pull_actuals(user=request.user, contract=contract)
                messages.success(
                    request, _("Actual values were read from the KPIs and the ledger.")
                )
            elif action == "actuals":
                services.record_actuals(
                    user=request.user, contract=contract, version=version,
                    values=self._values(request, contract),
                )  # fmt: skip
                messages.success(request, _("The actual values were saved."))
            elif action == "score":
                services.score_contract(user=request.user, contract=contract)
                messages.success(request, _("The year was scored by the rules."))
            elif action == "submit_result":
                services.submit_result(
                    user=request.user, result=contract.result,
                    version=request.POST.get("result_version"),
                )  # fmt: skip
                messages.success(request, _("The result was sent for approval."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        return redirect("contracts:annual", pk=contract.pk)

    @staticmethod
    def _values(request, contract) -> dict:
        values = {}
        for row in contract.indicators.all():
            raw = request.POST.get(f"actual-{row.code}", "").strip()
            if not raw:
                continue
            try:
                actual = Decimal(raw.replace(",", ""))
            except InvalidOperation:
                raise ValidationError(_("%(value)s is not a number.") % {"value": raw}) from None
            values[row.code] = (actual, request.POST.get(f"evidence-{row.code}", ""))
        return values


class ExitsView(PeopleMixin, View):
    model = Member

    def get(self, request):
        rows = selectors.flagged(selectors.results_for(request.user))
        return render(request, "contracts/exits.html", {"rows": rows})


class ExportView(PeopleMixin, View):
    model = Member

    def get(self, request):
        members = selectors.members_for(request.user)
        return bytes_response("managers.xlsx", roster_xlsx(members))


class ImportView(PeopleMixin, View):
    model = Member

    def get(self, request):
        return render(request, "contracts/import.html", {"form": RosterImportForm()})

    def post(self, request):
        form = RosterImportForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            result = RosterImporter(user=request.user).run(
                form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
            )
        return render(request, "contracts/import.html", {"form": form, "result": result})


class FiguresView(PeopleMixin, View):
    """Three-systems figures of an organisation's subtree for a year."""

    model = Organisation

    def get(self, request, pk):
        org = get_object_or_404(self.get_queryset(), pk=pk)
        raw = request.GET.get("year", "")
        year = int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else timezone.now().year - 1
        figures = selectors.three_systems(request.user, organisation=org, year=year)
        plans = selectors.plans_for(request.user, organisation=org, year=year)
        if plans:
            selectors.record_pay_read(request.user, org, "incentive plans")
        context = {"org": org, "year": year, "f": figures, "plans": plans}
        return render(request, "contracts/figures.html", context)


class WordView(PeopleMixin, View):
    """The annual contract as Word (a pay read: audited)."""

    model = AnnualContract

    def get(self, request, pk):
        from .documents import contract_docx

        contract = get_object_or_404(
            self.get_queryset().select_related("tenure__member__organisation"), pk=pk
        )
        selectors.record_pay_read(request.user, contract, "word")
        name = f"contract-{contract.tenure.member_id}-{contract.year}.docx"
        return bytes_response(name, contract_docx(contract), DOCX)
