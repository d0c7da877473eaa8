"""REST endpoints of programmes, ledgers, reports, evidence and roll-ups, scoped."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, parsers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reformtrack.core.api.versioning import VersionedViewSetMixin
from reformtrack.core.api.viewsets import ScopedViewSetMixin
from reformtrack.core.audit_hash import to_json_value
from reformtrack.core.libraries import LibraryError, install_library
from reformtrack.core.page_cache import cached_data
from reformtrack.core.scoping import Action
from reformtrack.orgs.selectors import organisations_for, top_organisations

from ..models import EvidenceVersion, LedgerTask, Programme, ProgressReport
from ..selectors import ledger as ledger_selectors
from ..selectors import plan_changes as plan_change_selectors
from ..selectors.rollup import rollup_report
from ..services import evidence as evidence_services
from ..services import plan_changes as plan_change_services
from ..services import reports as report_services
from ..services import tasks as task_services
from ..services.programmes import may_load_libraries
from .filtersets import LedgerTaskFilterSet
from .serializers import (
    EvidenceUploadSerializer,
    EvidenceVersionSerializer,
    LedgerTaskSerializer,
    PlanChangeAskSerializer,
    PlanChangeRequestSerializer,
    ProgrammeDetailSerializer,
    ProgrammeSerializer,
    ProgressReportSerializer,
)


class ProgrammeViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Programmes loaded from libraries; `rollup` gives a subtree's completion against targets."""

    model = Programme
    write_action = None
    filterset_fields = ["code", "reporting"]

    def get_queryset(self):
        return ledger_selectors.programmes_for(self.request.user).prefetch_related(
            "areas", "targets"
        )

    def get_serializer_class(self):
        return ProgrammeDetailSerializer if self.action == "retrieve" else ProgrammeSerializer

    @extend_schema(
        parameters=[OpenApiParameter("org", OpenApiTypes.STR, required=False)],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def rollup(self, request, pk=None):
        """?org=CODE (default: the caller's top organisation): totals, children, areas, coverage."""
        programme = self.get_object()
        code = request.query_params.get("org")
        if code:
            root = get_object_or_404(organisations_for(request.user), code=code)
        else:
            root = top_organisations(request.user).order_by("path").first()
            if root is None:
                raise exceptions.NotFound()
        return Response(to_json_value(rollup_report(request.user, programme, root)))

    @action(
        detail=False,
        methods=["post"],
        parser_classes=[parsers.MultiPartParser, parsers.FormParser],
    )
    def load(self, request):
        """Upload a programme library (YAML, field `file`); refused whole with every error."""
        if not may_load_libraries(request.user):
            raise exceptions.PermissionDenied(_("Only supervisor administrators load libraries."))
        upload = request.FILES.get("file")
        if upload is None:
            raise exceptions.ValidationError({"file": _("Attach the library file.")})
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise exceptions.ValidationError({"file": _("The file is not UTF-8 text.")}) from exc
        try:
            library, outcome = install_library(text, user=request.user, origin=upload.name)
        except LibraryError as exc:
            return Response({"errors": exc.errors}, status=400)  # lines stay numbers
        return Response({"code": library.code, "version": library.version, "outcome": outcome})


# The columns the task list's serializer reads (of the programme, area, organisation and parent
# only their codes): whole related rows were most of the list's reading.
RELATED_CODES = ("programme", "area", "organisation", "parent")
LIST_FIELDS = (
    *(name for name in LedgerTaskSerializer.Meta.fields if name not in RELATED_CODES),
    *(f"{name}__code" for name in RELATED_CODES),
)


def list_columns(serializer) -> tuple[str, ...]:
    """The column each of the serializer's readable fields is drawn from, in its order: the
    field's own source, or `<relation>__code` for the related rows named by their code."""
    columns = []
    for field in serializer._readable_fields:
        if field.field_name in RELATED_CODES:
            columns.append(f"{field.source}__{field.slug_field}")
        else:
            columns.append(field.source)
    return tuple(columns)


def task_rows(serializer, rows) -> list[dict]:
    """Rows of `list_columns(serializer)` values as the serializer writes its tasks: each
    value through its field's `to_representation` (a related row's code as it is), None as
    None (what `Serializer.to_representation` does with a missing value)."""
    fields = [
        (field.field_name, None if field.field_name in RELATED_CODES else field.to_representation)
        for field in serializer._readable_fields
    ]
    made = []
    for values in rows:
        item = {}
        for (name, represent), value in zip(fields, values, strict=True):
            item[name] = value if value is None or represent is None else represent(value)
        made.append(item)
    return made


class LedgerTaskViewSet(
    VersionedViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Ledger rows; reform offices change what they say (`change`), whoever launched the
    programme their plan; progress comes only through reports. Writes need If-Match."""

    model = LedgerTask
    serializer_class = LedgerTaskSerializer
    filterset_class = LedgerTaskFilterSet
    write_action = Action.CHANGE

    def get_queryset(self):
        rows = (
            super()
            .get_queryset()
            .select_related("programme", "area", "organisation", "parent")
            .order_by("programme", "code")
        )
        if self.action == "list":  # only what the list shows: its related rows are codes
            rows = rows.only(*LIST_FIELDS)
        return rows

    def list(self, request, *args, **kwargs):
        """The list, kept under the data version (core/page_cache.py: never stale)."""
        return cached_data(request, lambda: self._list(request))

    def _list(self, request):
        """DRF's list (filtered, scoped, paginated) with the page read as plain values and each
        written by the serializer's own fields (`task_rows`): no task, programme, area,
        organisation or parent instance is made (four a row, with the task's `post_init`
        receiver); the same data as `LedgerTaskSerializer(tasks, many=True).data`."""
        serializer = self.get_serializer()
        columns = list_columns(serializer)
        rows = self.filter_queryset(self.get_queryset()).values_list(*columns)
        page = self.paginate_queryset(rows)
        data = task_rows(serializer, page if page is not None else rows)
        if page is not None:
            return self.get_paginated_response(data)
        return Response(data)

    def perform_update(self, serializer):
        """Progress is refused with its reason before the version is asked for; the plan only
        for whoever launched the programme (else: `plan-changes`); stale → 412."""
        user, task, data = self.request.user, serializer.instance, serializer.validated_data
        progress = [
            name
            for name in task_services.PROGRESS_FIELDS
            if name in data and data[name] != getattr(task, name)
        ]
        if progress and not task_services.may_enter_directly(user, task):
            raise ValidationError({name: task_services.progress_refusal() for name in progress})
        serializer.instance = task_services.update_task(
            user=user, task=task, expected_version=self.expected_version(self.request), **data
        )
        self._versioned_instance = serializer.instance

    @extend_schema(
        request=PlanChangeAskSerializer, responses=PlanChangeRequestSerializer(many=True)
    )
    @action(detail=True, methods=["get", "post"], url_path="plan-changes", pagination_class=None)
    def plan_changes(self, request, pk=None):
        """GET: the task's plan change requests. POST: ask for a plan change (deadline, weight,
        is_main, owner, indicator_target, reason; the task's version as If-Match or
        `version`), decided by the approval chain up to the launching organisation."""
        if request.method == "GET":
            task = self.get_object()
            rows = plan_change_selectors.plan_changes_of(request.user, task)
            return Response(PlanChangeRequestSerializer(rows, many=True).data)
        task = ledger_selectors.tasks_for(request.user, Action.REPORT).filter(pk=pk).first()
        if task is None:
            raise exceptions.NotFound()
        ask = PlanChangeAskSerializer(data=request.data)
        ask.is_valid(raise_exception=True)
        data = dict(ask.validated_data)
        data.pop("version", None)
        change = plan_change_services.request_plan_change(
            user=request.user,
            task=task,
            reason=data.pop("reason"),
            expected_version=self.expected_version(request),
            **data,
        )
        return Response(PlanChangeRequestSerializer(change).data, status=201)


class ProgressReportViewSet(
    VersionedViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Progress reports: drafted and submitted by contributors (`report`), approved in approvals."""

    model = ProgressReport
    serializer_class = ProgressReportSerializer
    write_action = Action.REPORT
    filterset_fields = ["task", "state", "period_end"]

    def get_queryset(self):
        return super().get_queryset().select_related("task", "reported_by")

    def _task(self, task):
        found = ledger_selectors.tasks_for(self.request.user, Action.REPORT).filter(pk=task.pk)
        if not found.exists():
            raise exceptions.ValidationError({"task": _("No such task you may report on.")})
        return found.get()

    def perform_create(self, serializer):
        """A new report of a period; if one exists, send its version (If-Match or `version`)
        to edit it, else the write is refused as stale (412) and nothing is overwritten."""
        data = dict(serializer.validated_data)
        task = self._task(data.pop("task"))
        raw = self.request.headers.get("If-Match") or self.request.data.get("version")
        serializer.instance = report_services.save_report(
            user=self.request.user, task=task, expected_version=raw or 0, **data
        )

    def perform_update(self, serializer):
        """The period and the task of a report are fixed: a different one is refused (400)."""
        data = dict(serializer.validated_data)
        report = serializer.instance
        errors = {}
        if "task" in data and data.pop("task").pk != report.task_id:
            errors["task"] = _("A report stays with its task; report on another task anew.")
        if "period_end" in data and data.pop("period_end") != report.period_end:
            errors["period_end"] = _(
                "A report stays with its period; report another period with a new report."
            )
        if errors:
            raise exceptions.ValidationError(errors)
        serializer.instance = report_services.save_report(
            user=self.request.user,
            task=report.task,
            period_end=report.period_end,
            expected_version=self.expected_version(self.request),
            **data,
        )
        self._versioned_instance = serializer.instance

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Into the approval flow (subsidiary → group → supervisor); with If-Match, only the
        version the caller read is submitted."""
        report = report_services.submit_report(
            user=request.user,
            report=self.get_object(),
            comment=str(request.data.get("comment", "")),
            expected_version=request.headers.get("If-Match") or None,
        )
        self._versioned_instance = report
        return Response(self.get_serializer(report).data)


class EvidenceViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Evidence file versions; POST (multipart: task, file, title) adds one, replacing none."""

    model = EvidenceVersion
    write_action = Action.REPORT
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    filterset_fields = {"evidence__task": ["exact"]}

    def get_queryset(self):
        return super().get_queryset().select_related("evidence")

    def get_serializer_class(self):
        return EvidenceUploadSerializer if self.action == "create" else EvidenceVersionSerializer

    def create(self, request, *args, **kwargs):
        serializer = EvidenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        task = (
            ledger_selectors.tasks_for(request.user, Action.REPORT).filter(pk=data["task"]).first()
        )
        if task is None:
            raise exceptions.ValidationError({"task": _("No such task you may report on.")})
        version = evidence_services.add_evidence(
            user=request.user, task=task, upload=data["file"], title=data.get("title", "")
        )
        return Response(EvidenceVersionSerializer(version).data, status=201)
