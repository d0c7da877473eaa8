"""Pages: the managers register, a manager's contracts and results, an annual contract with
its indicators and year-end actions, the exit list, the roster import and export, editing a
manager, a tenure, an annual contract and an incentive plan, the three-systems figures and the
pay-read log. Every page reads with the `pay` action (reform office, HR, supervisor above), or
the member's own record; each pay page read is appended to the pay-read log."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from reformtrack.core.exporters import bytes_response
from reformtrack.core.scoping import can
from reformtrack.core.views.mixins import ScopedViewMixin
from reformtrack.orgs.roles import PAY

from . import selectors, services
from .exporters import roster_xlsx
from .forms import RosterImportForm
from .importers import RosterImporter
from .models import AnnualContract, Member, TenureContract

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


OWN = {
    Member: selectors.members_for,
    TenureContract: selectors.tenures_for,
    AnnualContract: selectors.annuals_for,
}


class PeopleMixin(ScopedViewMixin):
    """Pages of people and pay: users holding `pay` somewhere, and a member linked to their own
    record (who reads only that record: `OWN` querysets, never the organisation pages)."""

    scope_action = PAY
    keepers_only = False  # pages that write or list others: `pay` holders only

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        people = user.is_authenticated and not user.is_administrator
        opens = selectors.may_read_people if self.keepers_only else selectors.may_open_people_pages
        if people and not opens(user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        own = OWN.get(self.model)
        return own(self.request.user) if own else super().get_queryset()

    def may_edit(self, organisation) -> bool:
        return can(self.request.user, PAY, organisation)


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
        context = {"rows": rows, "year": year, "keeper": selectors.may_read_people(request.user)}
        return render(request, "contracts/home.html", context)


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
        context = {
            "member": member, "annuals": annuals,
            "tenures": member.tenures.select_related("result"),
            "can_edit": self.may_edit(member.organisation),
        }  # fmt: skip
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
            "indicators": selectors.with_units(
                contract, contract.indicators.select_related("task")
            ),
            "can_edit": self.may_edit(contract.organisation),
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
                    values=posted_actuals(request, contract.indicators.all()),
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


class ExitsView(PeopleMixin, View):
    model = Member

    def get(self, request):
        rows = selectors.flagged(selectors.results_for(request.user))
        if request.GET.get("format") == "xlsx":
            from django.utils.translation import get_language

            from .exporters import exits_xlsx

            return bytes_response("exit-triggers.xlsx", exits_xlsx(rows, get_language() or "zh"))
        return render(request, "contracts/exits.html", {"rows": rows})


class ExportView(PeopleMixin, View):
    model = Member

    def get(self, request):
        members = selectors.members_for(request.user)
        return bytes_response("managers.xlsx", roster_xlsx(members))


class ImportView(PeopleMixin, View):
    model = Member
    keepers_only = True

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


def posted_actuals(request, indicators) -> dict:
    """{code: (actual, evidence)} from a page's actual-CODE / evidence-CODE fields (annual or
    tenure indicators); a blank value is left out, a value that is not a number is refused."""
    values = {}
    for row in indicators:
        raw = request.POST.get(f"actual-{row.code}", "").strip()
        if not raw:
            continue
        try:
            actual = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            raise ValidationError(_("%(value)s is not a number.") % {"value": raw}) from None
        values[row.code] = (actual, request.POST.get(f"evidence-{row.code}", ""))
    return values
