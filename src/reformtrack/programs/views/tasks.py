"""The ledger (台账) of a programme, and the pages of one task: its fields, measures, progress
reports through the approval flow, and evidence files with their versions."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from reformtrack.core.compiled_sql import rows as compiled_rows
from reformtrack.core.page_cache import cached_page
from reformtrack.core.page_cache import grants_key as page_grants
from reformtrack.core.scoping import Action, can
from reformtrack.core.selectors.approvals import approval_of
from reformtrack.core.selectors.audit import history_of
from reformtrack.core.tables import TableViewMixin
from reformtrack.core.views.mixins import ScopedViewMixin

from ..choices import ReportState
from ..filtersets import LedgerFilterSet
from ..forms import EvidenceForm, MeasureForm, PlanChangeForm, ReportForm, TaskForm
from ..models import EvidenceVersion, LedgerTask, PlanChangeRequest, ProgressReport
from ..periods import period_end_of, period_label
from ..selectors import ledger as selectors
from ..selectors import plan_changes as plan_change_selectors
from ..selectors.ledger_rights import ledger_rights
from ..services import evidence as evidence_services
from ..services import plan_changes as plan_change_services
from ..services import reports as report_services
from ..services import tasks as task_services
from ..tables import LedgerTable
from .programmes import ProgrammeMixin, add_service_errors

LEDGER_PAGE = 50
EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)


class ScopedObjectMixin(ScopedViewMixin):
    """The object in the URL: a 404 unless the user sees it, a 403 unless the user may do
    `scope_action` on it. `lookup(pk)` reads it through the selectors."""

    def lookup(self, pk: int):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_administrator:
            try:
                self.object = self.lookup(kwargs["pk"])
            except ObjectDoesNotExist:
                raise Http404 from None
            if self.scope_action != Action.VIEW and not can(user, self.scope_action, self.object):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TaskMixin(ScopedObjectMixin):
    model = LedgerTask

    def lookup(self, pk):
        self.task = selectors.task_page(self.request.user, pk)
        return self.task

    def get_context_data(self, **kwargs):
        return super().get_context_data(task=self.task, programme=self.task.programme, **kwargs)


# --- The ledger ---------------------------------------------------------------------------------


@method_decorator(cached_page, name="dispatch")
class LedgerView(ProgrammeMixin, TableViewMixin, TemplateView):
    """The programme's ledger in the user's scope: filtered, sorted, paginated, its columns and
    page size chosen, exported as shown (core.tables.TableViewMixin)."""

    template_name = "programs/ledger.html"
    table_key = "programs.ledger"
    table_class = LedgerTable
    filterset_class = LedgerFilterSet
    default_per_page = LEDGER_PAGE
    export_name = "ledger"
    export_title = gettext_lazy("Ledger")

    def get_table_rows(self):
        return selectors.ledger(self.request.user, self.programme)

    def get_filterset_kwargs(self):
        return {"programme": self.programme}

    def build_table(self):
        """As every table's, and the key that decides the SQL of the page's rows besides their
        order and bounds (`tables.page_rows`): the programme, the reader (their id,
        administrator role and every grant: the scoping layer's filter), the filter's cleaned
        values (an organisation by its id and path: "with those below" reads the path) and
        today (the overdue filter). An invalid filter shows no rows: no key; nor does a
        request across midnight (the filter may have read the other day)."""
        today = timezone.localdate()
        filterset, table, state = super().build_table()
        valid = filterset is None or not filterset.is_bound or filterset.is_valid()
        same_day = timezone.localdate() == today
        if valid and same_day and isinstance(table.data.data, QuerySet):
            user = self.request.user
            cleaned = filterset.form.cleaned_data if filterset and filterset.is_bound else {}
            table.rows_key = (
                "ledger-rows", self.programme.pk, user.pk, getattr(user, "admin_role", ""),
                user.is_superuser, page_grants(user), today,
                tuple(sorted((name, _plain(value)) for name, value in cleaned.items())),
            )  # fmt: skip
        return filterset, table, state

    def paginate_table(self, table, state) -> None:
        """The rows' count (the paginator's) by SQL compiled once per `rows_key`, run fresh:
        `COUNT(*)` over the same rows as `QuerySet.count()` (no order, no limit)."""
        key = getattr(table, "rows_key", None)
        if key is not None:
            rows = table.data.data
            count = lambda: rows.order_by().values_list(RawSQL("COUNT(*)", ()))  # noqa: E731
            found = compiled_rows((*key, "count"), count)  # none: a scope that holds nothing
            table.data._length = found[0][0] if found else 0
        super().paginate_table(table, state)

    def get_context_data(self, **kwargs):
        user = self.request.user
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("sort", None)
        org = self.request.GET.get("org")
        rights = ledger_rights(user, self.programme)  # one query, compiled once per grants
        context = super().get_context_data(
            query=query.urlencode(),
            org_query=urlencode({"org": org}) if org else "",
            may_import=rights.may_import,
            may_bulk=rights.may_bulk,
            **kwargs,
        )
        if not context["may_bulk"]:
            context["table"].columns.hide("select")
        return context


def _plain(value):
    """A filter's cleaned value as a key: a row by its model, id and path (if it has one)."""
    if isinstance(value, Model):
        return (value._meta.label, value.pk, getattr(value, "path", None))
    return value


# --- A task ---------------------------------------------------------------------------------


@method_decorator(cached_page, name="dispatch")
class TaskDetailView(TaskMixin, TemplateView):
    scope_action = Action.VIEW
    template_name = "programs/task_detail.html"

    def get_context_data(self, **kwargs):
        user, task = self.request.user, self.task
        reports = list(selectors.reports_of(user, task))
        approvals = selectors.approvals_of_reports(reports)
        for report in reports:
            report.approval = approvals.get(report.pk)
            report.label = period_label(task.programme.reporting, report.period_end)
        may_report = can(user, Action.REPORT, task)
        current = period_end_of(task.programme.reporting, timezone.localdate())
        may_plan = task_services.may_change_plan(user, task)
        return super().get_context_data(
            measures=selectors.measures_of(user, task),
            reports=reports,
            evidence=selectors.evidence_of(user, task),
            history=history_of(task)[:20],
            may_change=can(user, Action.CHANGE, task),
            may_change_plan=may_plan,
            may_request_plan=may_report and not may_plan,
            direct_entry=task_services.may_enter_directly(user, task),
            plan_changes=plan_change_selectors.plan_changes_of(user, task)[:10],
            may_report=may_report,
            current_period=period_label(task.programme.reporting, current),
            evidence_form=EvidenceForm() if may_report else None,
            **kwargs,
        )


class TaskEditView(TaskMixin, FormView):
    scope_action = Action.CHANGE
    form_class = TaskForm
    template_name = "programs/task_form.html"

    def get_form_kwargs(self):
        user, task = self.request.user, self.task
        return {
            **super().get_form_kwargs(),
            "instance": task,
            "may_change_plan": task_services.may_change_plan(user, task),
            "direct_entry": task_services.may_enter_directly(user, task),
        }

    def form_valid(self, form):
        posted = set(self.request.POST) & set(task_services.PROGRESS_FIELDS)
        if posted - set(form.fields):  # progress sent to a form that does not take it
            form.add_error(None, task_services.progress_refusal())
            return self.form_invalid(form)
        data = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        try:
            task = task_services.update_task(
                user=self.request.user,
                task=self.task,
                expected_version=form.cleaned_data.get("version"),
                **{k: v for k, v in data.items() if k != "version"},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The task was saved."))
        return redirect(task)


class MeasureCreateView(TaskMixin, FormView):
    """A measure (具体举措) that refines the task, for an organisation of its subtree."""

    scope_action = Action.CHANGE
    form_class = MeasureForm
    template_name = "programs/measure_form.html"

    def get_form_kwargs(self):
        organisations = selectors.measure_organisations(self.request.user, self.task)
        return {**super().get_form_kwargs(), "organisations": organisations}

    def get_initial(self):
        count = self.task.measures.count() + 1
        return {
            "code": f"{self.task.code}-{count:02d}"[:60],
            "organisation": self.task.organisation,
            "weight": 1,
            "version": self.task.version,
        }

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        data["expected_version"] = data.pop("version", 0)
        try:
            measure = task_services.add_measure(
                user=self.request.user,
                task=self.task,
                organisation=data.pop("organisation"),
                code=data.pop("code"),
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        text = _("The measure %(code)s was added.") % {"code": measure.code}
        messages.success(self.request, text)
        return redirect(self.task)


# --- Progress reports ---------------------------------------------------------------------------


class ReportEditView(TaskMixin, FormView):
    """The task's report for a period (`?period=` an ISO date in it; default: the current one):
    saved as a draft, or saved and submitted for approval."""

    scope_action = Action.REPORT
    form_class = ReportForm
    template_name = "programs/report_form.html"

    def period(self):
        raw = self.request.POST.get("period") or self.request.GET.get("period")
        reporting = self.task.programme.reporting
        try:
            day = dt.date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            day = timezone.localdate()
        return period_end_of(reporting, day)

    @cached_property
    def report(self):
        """The task's report of the chosen period, if there is one yet."""
        return selectors.report_of_period(self.request.user, self.task, self.period())

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "task": self.task}
        if self.report is not None:
            kwargs["instance"] = self.report
        return kwargs

    def get_initial(self):
        task = self.task
        initial = {"period": self.period().isoformat()}
        if self.report is None:
            initial.update(
                status=task.status,
                percent=task.percent,
                narrative=task.progress,
                indicator_actual=task.indicator_actual,
            )
        return initial

    def get_context_data(self, **kwargs):
        report = self.report
        locked = report is not None and report.state not in EDITABLE_STATES
        return super().get_context_data(report=report, locked=locked, **kwargs)

    def form_valid(self, form):
        user, data = self.request.user, dict(form.cleaned_data)
        period = data.pop("period")
        seen = data.pop("version", None) or 0  # 0: no report of the period was shown
        uploads = data.pop("evidence", None) or []
        try:
            with transaction.atomic():  # the report and its files of this upload, or nothing
                report = report_services.save_report(
                    user=user, task=self.task, period_end=period, expected_version=seen, **data
                )
                evidence_services.add_evidence_files(
                    user=user, task=self.task, uploads=uploads, report=report
                )
            if "submit" in self.request.POST:
                report = report_services.submit_report(
                    user=user, report=report, expected_version=report.version
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        if report.state == ReportState.SUBMITTED:
            messages.success(self.request, _("The report was saved and submitted for approval."))
        else:
            messages.success(self.request, _("The report was saved as a draft."))
        return redirect(report)


class ReportMixin(ScopedObjectMixin):
    model = ProgressReport

    def lookup(self, pk):
        self.report = selectors.report_page(self.request.user, pk)
        return self.report


class ReportDetailView(ReportMixin, TemplateView):
    scope_action = Action.VIEW
    template_name = "programs/report_detail.html"

    def get_context_data(self, **kwargs):
        user, report = self.request.user, self.report
        task = report.task
        approval = approval_of(report)
        may_report = can(user, Action.REPORT, report)
        editable = report.state in EDITABLE_STATES
        return super().get_context_data(
            report=report,
            task=task,
            programme=task.programme,
            period=period_label(task.programme.reporting, report.period_end),
            approval=approval,
            steps=selectors.approval_steps(approval),
            may_edit=may_report and editable,
            evidence=selectors.evidence_of(user, task, report=report),
            evidence_form=EvidenceForm() if may_report and editable else None,
            **kwargs,
        )


class ReportSubmitView(ReportMixin, View):
    """POST only: a draft or returned report goes into the approval flow."""

    scope_action = Action.REPORT
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        comment = request.POST.get("comment", "")[:1000]
        try:
            report_services.submit_report(
                user=request.user,
                report=self.report,
                comment=comment,
                expected_version=request.POST.get("version") or None,
            )
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("The report was submitted for approval."))
        return redirect(self.report)


# --- Plan changes ------------------------------------------------------------------------------


class PlanChangeCreateView(TaskMixin, FormView):
    """An enterprise asks whoever launched the programme for another deadline, weight, main-task
    flag or responsible person; the request goes through the approval chain."""

    scope_action = Action.REPORT
    form_class = PlanChangeForm
    template_name = "programs/plan_change_form.html"

    def get_initial(self):
        return {"version": self.task.version}

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            change = plan_change_services.request_plan_change(
                user=self.request.user,
                task=self.task,
                reason=data.pop("reason"),
                expected_version=data.pop("version", 0),
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The plan change was requested and waits for approval."))
        return redirect(change)


class PlanChangeDetailView(ScopedObjectMixin, TemplateView):
    """A plan change request: the fields before → after, the reason, its approval."""

    model = PlanChangeRequest
    scope_action = Action.VIEW
    template_name = "programs/plan_change_detail.html"

    def lookup(self, pk):
        self.change = plan_change_selectors.plan_change_page(self.request.user, pk)
        return self.change

    def get_context_data(self, **kwargs):
        change = self.change
        task = change.task
        approval = approval_of(change)
        rows = [
            (LedgerTask._meta.get_field(name).verbose_name, values["before"], values["after"])
            for name, values in change.changes.items()
        ]
        return super().get_context_data(
            change=change,
            task=task,
            programme=task.programme,
            rows=rows,
            approval=approval,
            steps=selectors.approval_steps(approval),
            **kwargs,
        )


# --- Evidence ---------------------------------------------------------------------------------


class EvidenceUploadView(TaskMixin, FormView):
    scope_action = Action.REPORT
    form_class = EvidenceForm
    template_name = "programs/evidence_form.html"
    success_message = gettext_lazy("%(name)s was stored as version %(number)s of “%(title)s”.")

    def get_context_data(self, **kwargs):
        max_bytes = settings.REFORMTRACK_EVIDENCE_MAX_BYTES
        return super().get_context_data(max_bytes=max_bytes, **kwargs)

    def report(self):
        """The task's report the file is filed with (`report` in the form), or None."""
        pk = self.request.POST.get("report") or self.request.GET.get("report")
        if not (pk and str(pk).isdigit()):
            return None
        found = selectors.reports_of(self.request.user, self.task).filter(pk=pk).first()
        if found is None:
            raise ValidationError(_("Evidence can be added only to a draft or returned report."))
        return found

    def form_valid(self, form):
        try:
            report = self.report()
            versions = evidence_services.add_evidence_files(
                user=self.request.user,
                task=self.task,
                uploads=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                report=report,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        for version in versions:
            messages.success(
                self.request,
                self.success_message
                % {
                    "name": version.original_name,
                    "number": version.number,
                    "title": version.evidence.title,
                },
            )
        back = report or self.task
        return redirect(f"{back.get_absolute_url()}#evidence")


class EvidenceDownloadView(ScopedObjectMixin, View):
    """The stored file, as an attachment under its original name; never rendered inline."""

    model = EvidenceVersion
    scope_action = Action.VIEW

    def lookup(self, pk):
        return selectors.evidence_version(self.request.user, pk)

    def get(self, request, *args, **kwargs):
        version = self.object
        try:
            handle = version.file.open("rb")
        except FileNotFoundError:
            raise Http404(_("The file is missing from the store.")) from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=version.original_name,
            content_type=version.content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
