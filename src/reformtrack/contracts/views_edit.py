"""Editing pages (holders of `pay` only): a manager, a tenure contract, an annual contract with
its indicators, an incentive plan; the three-systems figures with staff figures entered, the
trend chart and the Excel export; the pay-read log. Every edit carries the version it was
opened at and goes through the services (a stale save is refused, nothing half-written)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from reformtrack.core.exporters import bytes_response
from reformtrack.core.services.versioning import required_version
from reformtrack.orgs.models import Organisation

from . import selectors, services
from .charts import trend_svg
from .exporters import figures_xlsx
from .figures import three_systems
from .forms import (
    MemberForm,
    PlanForm,
    TenureForm,
    WorkforceForm,
    indicator_rows,
    parse_indicators,
)
from .models import AnnualContract, IncentivePlan, Member, TenureContract, Workforce
from .rules import load_rules
from .views import PeopleMixin

TREND_YEARS = 5


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _year(request) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else timezone.now().year - 1


class MemberEditView(PeopleMixin, View):
    """Add a manager to an organisation (`org`) or change one (`pk`)."""

    model = Member
    keepers_only = True

    def _target(self, pk, org_pk):
        if pk is not None:
            member = get_object_or_404(selectors.members_for(self.request.user), pk=pk)
            if not self.may_edit(member.organisation):
                return None, None  # their own record: read, not edited
            return member, member.organisation
        org = get_object_or_404(
            Organisation.objects.visible_to(self.request.user, self.scope_action), pk=org_pk
        )
        return None, org

    def get(self, request, pk=None, org_pk=None):
        member, org = self._target(pk, org_pk)
        if org is None:
            return redirect("contracts:member", pk=pk)
        initial = {"is_active": True, "selection": "appointed"}
        if member is not None:
            initial = {
                name: getattr(member, name)
                for name in ("name", "post", "appointed_on", "selection", "tenure_start",
                             "tenure_end", "is_active", "left_on", "leave_reason", "leave_note",
                             "version")
            } | {"account": member.user.get_username() if member.user else ""}  # fmt: skip
        return self._page(request, MemberForm(initial=initial), member, org)

    def post(self, request, pk=None, org_pk=None):
        member, org = self._target(pk, org_pk)
        if org is None:
            return redirect("contracts:member", pk=pk)
        form = MemberForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                saved = services.save_member(
                    user=request.user, organisation=org, member=member,
                    version=required_version_or_none(member, version), **data,
                )  # fmt: skip
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("The manager was saved."))
                return redirect("contracts:member", pk=saved.pk)
        return self._page(request, form, member, org)

    def _page(self, request, form, member, org):
        context = {"form": form, "member": member, "org": org}
        return render(request, "contracts/member_form.html", context)


def required_version_or_none(instance, version):
    """An edit of an existing row must name the version read; a new row has none."""
    return None if instance is None else required_version(version)


class TenureEditView(PeopleMixin, View):
    """A new tenure contract of a manager (`member_pk`) or a change of a draft one (`pk`)."""

    model = TenureContract
    keepers_only = True

    def _target(self, pk, member_pk):
        if pk is not None:
            tenure = get_object_or_404(self.get_queryset(), pk=pk)
            return tenure, tenure.member
        return None, get_object_or_404(selectors.members_for(self.request.user), pk=member_pk)

    def get(self, request, pk=None, member_pk=None):
        tenure, member = self._target(pk, member_pk)
        initial = (
            {"start": tenure.start, "end": tenure.end, "version": tenure.version}
            if tenure
            else {"start": member.tenure_start, "end": member.tenure_end}
        )
        context = {"form": TenureForm(initial=initial), "member": member, "tenure": tenure}
        return render(request, "contracts/tenure_form.html", context)

    def post(self, request, pk=None, member_pk=None):
        tenure, member = self._target(pk, member_pk)
        form = TenureForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if tenure is None:
                    services.create_tenure(
                        user=request.user, member=member, start=data["start"], end=data["end"]
                    )
                else:
                    services.update_tenure(
                        user=request.user, tenure=tenure, start=data["start"], end=data["end"],
                        version=required_version_or_none(tenure, data["version"]),
                    )  # fmt: skip
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("The tenure contract was saved."))
                return redirect("contracts:member", pk=member.pk)
        context = {"form": form, "member": member, "tenure": tenure}
        return render(request, "contracts/tenure_form.html", context)


class TenureSubmitView(PeopleMixin, View):
    """Send a tenure contract for signing through the approval chain."""

    model = TenureContract
    keepers_only = True

    def get(self, request, pk):
        tenure = get_object_or_404(self.get_queryset(), pk=pk)
        return redirect("contracts:member", pk=tenure.member_id)

    def post(self, request, pk):
        tenure = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            services.submit_contract(
                user=request.user, contract=tenure,
                version=required_version_or_none(tenure, request.POST.get("version")),
            )  # fmt: skip
            messages.success(request, _("The contract was sent for signing."))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        return redirect("contracts:member", pk=tenure.member_id)


class AnnualEditView(PeopleMixin, View):
    """A new annual contract under a tenure (`tenure_pk`, `?year=`) or a change of a draft or
    returned one (`pk`): pay standard and indicator rows."""

    model = AnnualContract
    keepers_only = True

    def _target(self, pk, tenure_pk):
        if pk is not None:
            contract = get_object_or_404(self.get_queryset(), pk=pk)
            return contract, contract.tenure
        tenure = get_object_or_404(selectors.tenures_for(self.request.user), pk=tenure_pk)
        return None, tenure

    def get(self, request, pk=None, tenure_pk=None):
        contract, tenure = self._target(pk, tenure_pk)
        if contract is not None:
            selectors.record_pay_read(request.user, contract, "annual edit")
        return self._page(request, contract, tenure, {}, [])

    def post(self, request, pk=None, tenure_pk=None):
        contract, tenure = self._target(pk, tenure_pk)
        errors = []
        try:
            indicators = parse_indicators(request.POST, tenure.member.organisation)
            pay = request.POST.get("pay_standard", "").replace(",", "").strip()
            try:
                pay_standard = Decimal(pay)
            except InvalidOperation:
                raise ValidationError(
                    {"pay_standard": _("%(value)s is not a number.") % {"value": pay or "—"}}
                ) from None
            if contract is None:
                year = request.POST.get("year", "")
                contract = services.create_annual(
                    user=request.user, tenure=tenure,
                    year=int(year) if year.isdigit() else 0,
                    pay_standard=pay_standard, indicators=indicators,
                )  # fmt: skip
            else:
                services.update_annual(
                    user=request.user, contract=contract, pay_standard=pay_standard,
                    indicators=indicators,
                    version=required_version_or_none(contract, request.POST.get("version")),
                )  # fmt: skip
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("The annual contract was saved."))
            return redirect("contracts:annual", pk=contract.pk)
        return self._page(request, contract, tenure, request.POST, errors)

    def _page(self, request, contract, tenure, posted, errors):
        rules = load_rules(tenure.rules)
        context = {
            "contract": contract, "tenure": tenure, "member": tenure.member, "errors": errors,
            "rows": indicator_rows(contract, posted), "rules": rules.scoring,
            "year": posted.get("year") or request.GET.get("year") or tenure.start.year,
            "pay_standard": posted.get("pay_standard")
            or (contract.pay_standard if contract else ""),
        }  # fmt: skip
        return render(request, "contracts/annual_form.html", context)


class PlanEditView(PeopleMixin, View):
    """A new incentive plan of an organisation (`org_pk`) or a change of one (`pk`)."""

    model = IncentivePlan
    keepers_only = True

    def _target(self, pk, org_pk):
        if pk is not None:
            plan = get_object_or_404(self.get_queryset().select_related("organisation"), pk=pk)
            return plan, plan.organisation
        org = get_object_or_404(
            Organisation.objects.visible_to(self.request.user, self.scope_action), pk=org_pk
        )
        return None, org

    def get(self, request, pk=None, org_pk=None):
        plan, org = self._target(pk, org_pk)
        initial = {"year": timezone.now().year - 1}
        if plan is not None:
            selectors.record_pay_read(request.user, plan, "plan edit")
            initial = {name: getattr(plan, name) for name in PlanForm.base_fields}
        return self._page(request, PlanForm(initial=initial), plan, org)

    def post(self, request, pk=None, org_pk=None):
        plan, org = self._target(pk, org_pk)
        form = PlanForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                plan = services.save_plan(
                    user=request.user, organisation=org, plan=plan,
                    version=required_version_or_none(plan, version), **data,
                )  # fmt: skip
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("The incentive plan was saved."))
                return redirect(f"{_figures_url(org)}?year={plan.year}")
        return self._page(request, form, plan, org)

    def _page(self, request, form, plan, org):
        return render(request, "contracts/plan_form.html", {"form": form, "plan": plan, "org": org})


def _figures_url(org) -> str:
    from django.urls import reverse

    return reverse("contracts:figures", args=[org.pk])


class FiguresView(PeopleMixin, View):
    """Three-systems figures of an organisation's subtree for a year, with the trend of the
    years before, the incentive plans, and the staff figures form."""

    model = Organisation
    keepers_only = True

    def _org(self, pk):
        return get_object_or_404(self.get_queryset(), pk=pk)

    def get(self, request, pk, form=None):
        org = self._org(pk)
        year = _year(request)
        years = list(range(year - TREND_YEARS + 1, year + 1))
        figures = three_systems(request.user, organisation=org, years=years)
        plans = selectors.plans_for(request.user, organisation=org, year=year)
        selectors.record_pay_read(request.user, org, "figures")
        staff = Workforce.objects.filter(organisation=org, year=year).first()
        form = form or WorkforceForm(
            initial={"year": year, "version": staff.version if staff else 0}
            | ({name: getattr(staff, name) for name in
                ("headcount", "market_exits", "hires", "open_hires", "source")} if staff else {})
        )  # fmt: skip
        context = {
            "org": org, "year": year, "f": figures[-1], "trend": figures,
            "chart": trend_svg(figures), "plans": plans, "form": form,
            "can_edit": self.may_edit(org),
        }  # fmt: skip
        return render(request, "contracts/figures.html", context)

    def post(self, request, pk):
        """Enter or correct the organisation's staff figures of a year."""
        org = self._org(pk)
        form = WorkforceForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.save_workforce(
                    user=request.user, organisation=org, **data | {"version": data["version"] or 0}
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("The staff figures were saved."))
                return redirect(f"{_figures_url(org)}?year={data['year']}")
        request.GET = request.GET.copy()
        request.GET["year"] = request.POST.get("year", "")
        return self.get(request, pk, form=form)


class FiguresExportView(FiguresView):
    """The figures of the trend years as an Excel sheet."""

    def get(self, request, pk, form=None):
        org = self._org(pk)
        year = _year(request)
        years = list(range(year - TREND_YEARS + 1, year + 1))
        figures = three_systems(request.user, organisation=org, years=years)
        selectors.record_pay_read(request.user, org, "figures export")
        return bytes_response(f"three-systems-{org.code}-{year}.xlsx", figures_xlsx(figures))

    def post(self, request, pk):
        return self.get(request, pk)


class PayReadsView(PeopleMixin, View):
    """Who read whose pay: the pay-read log of the user's subtrees (and of their own pay)."""

    model = Member

    def get(self, request):
        rows = selectors.pay_reads_for(request.user)[:200]
        return render(request, "contracts/reads.html", {"rows": rows})
