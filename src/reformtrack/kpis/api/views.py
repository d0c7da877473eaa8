"""REST endpoints: statements (read, push = create or correct), KPI values (read), targets
(read, set), KPI sets (reference). All scoped; writes go through the services."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from reformtrack.core.api.versioning import VersionedViewSetMixin
from reformtrack.core.api.viewsets import ScopedViewSetMixin
from reformtrack.core.scoping import Action
from reformtrack.core.services.versioning import StaleEdit
from reformtrack.orgs.models import Organisation

from ..engine import compute
from ..models import KpiSet, KpiTarget, Statement
from ..plausibility import statement_warnings
from ..services import record_statement, set_target
from ..units import PERIODS
from .serializers import (
    KpiSetSerializer,
    KpiTargetSerializer,
    KpiValueSerializer,
    StatementCorrectionSerializer,
    StatementPushSerializer,
    StatementSerializer,
    TargetInSerializer,
    plain,
)

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description='The ETag the object was read with ("3"); or send `version` in the body.',
)  # fmt: skip
YEARS = (1990, 2100)


def _organisation(request, code: str):
    return get_object_or_404(
        Organisation.objects.visible_to(request.user, Action.CHANGE), code=code.upper()
    )


def _run(call):
    try:
        return call()
    except StaleEdit:
        raise  # the versioned viewset answers 412
    except ValidationError as exc:
        raise exceptions.ValidationError(getattr(exc, "message_dict", exc.messages)) from None
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from None


def _pushed_version(request, values: dict) -> int:
    """A push creates or corrects: the version read (If-Match or `version`), 0 when the client
    believes it is new; correcting an existing one with 0 is refused as stale (412)."""
    raw = request.headers.get("If-Match") or values.pop("version", None)
    return raw or 0


class StatementViewSet(
    VersionedViewSetMixin, ScopedViewSetMixin, mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):  # fmt: skip
    """POST {organisation, year, period, basis, unit, lines: {code: amount}} creates the
    statement or corrects its lines; PATCH {unit, lines, source} corrects one statement. Both
    carry the version read (If-Match or `version`; a stale one is a 412). Old values stay in
    the history; statements are not deleted (the history would go with them)."""

    model = Statement
    serializer_class = StatementSerializer
    filterset_fields = ["year", "period", "basis"]

    def get_queryset(self):
        return super().get_queryset().select_related("organisation").prefetch_related("values")

    @extend_schema(
        request=StatementPushSerializer, responses={201: StatementSerializer}, parameters=[IF_MATCH]
    )
    def create(self, request, *args, **kwargs):
        data = StatementPushSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        org = _organisation(request, values.pop("organisation"))
        version = _pushed_version(request, values)
        statement = _run(
            lambda: record_statement(
                user=request.user, organisation=org, expected_version=version, **values
            )
        )
        self._versioned_instance = statement
        return Response(_with_warnings(statement, values["unit"]), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=StatementCorrectionSerializer, responses=StatementSerializer, parameters=[IF_MATCH]
    )
    def partial_update(self, request, *args, **kwargs):
        statement = self.get_object()
        data = StatementCorrectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        version = self.expected_version(request)
        statement = _run(
            lambda: record_statement(
                user=request.user, organisation=statement.organisation, year=statement.year,
                period=statement.period, basis=statement.basis, lines=values["lines"],
                unit=values["unit"], source=values["source"], expected_version=version,
            )
        )  # fmt: skip
        self._versioned_instance = statement
        return Response(_with_warnings(statement, values["unit"]))


class KpiTargetViewSet(
    VersionedViewSetMixin, ScopedViewSetMixin, mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):  # fmt: skip
    """Targets; POST sets one (create, or replace with the version read: If-Match or
    `version`)."""

    model = KpiTarget
    serializer_class = KpiTargetSerializer
    filterset_fields = ["year", "code"]

    def get_queryset(self):
        return super().get_queryset().select_related("organisation")

    @extend_schema(
        request=TargetInSerializer, responses={201: KpiTargetSerializer}, parameters=[IF_MATCH]
    )
    def create(self, request, *args, **kwargs):
        data = TargetInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        org = _organisation(request, values.pop("organisation"))
        version = _pushed_version(request, values)
        target = _run(
            lambda: set_target(
                user=request.user, organisation=org, expected_version=version, **values
            )
        )
        self._versioned_instance = target
        return Response(KpiTargetSerializer(target).data, status=status.HTTP_201_CREATED)


class KpiSetViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = KpiSet
    write_action = None
    serializer_class = KpiSetSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("indicators")


VALUE_PARAMETERS = [
    OpenApiParameter(
        "year", OpenApiTypes.INT, required=False,
        description="Default: the organisation's latest statement year.",
    ),
    OpenApiParameter(
        "period", OpenApiTypes.STR, required=False, enum=list(PERIODS), default="Y"
    ),
    OpenApiParameter(
        "annualise", OpenApiTypes.STR, required=False, enum=["0", "1"],
        description="1: quarter and month values come annualised.",
    ),
]  # fmt: skip


@extend_schema_view(
    list=extend_schema(parameters=VALUE_PARAMETERS),
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH),
            *VALUE_PARAMETERS,
        ]
    ),
)
class KpiValueViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """KPI values of organisations (id = the organisation's id) for ?year= (default: latest
    statement year) and ?period= (Y; Q/M periods come annualised when ?annualise=1)."""

    model = Organisation
    write_action = None
    serializer_class = KpiValueSerializer

    def get_queryset(self):
        return (
            Organisation.objects.visible_to(self.request.user)
            .filter(statements__isnull=False)
            .distinct()
            .order_by("path")
        )

    def _year(self, org) -> int:
        """?year= if given (a whole year, else 400), else the latest statement's year."""
        raw = self.request.query_params.get("year")
        if raw is None or raw == "":
            latest = Statement.objects.filter(organisation=org).order_by("-year").first()
            return latest.year if latest else 0
        try:
            year = int(raw)
        except ValueError:
            year = None
        if year is None or not YEARS[0] <= year <= YEARS[1]:
            message = _("Give a year from %(first)s to %(last)s.")
            raise exceptions.ValidationError({"year": message % {"first": YEARS[0],
                                                                 "last": YEARS[1]}})  # fmt: skip
        return year

    def _payload(self, org):
        params = self.request.query_params
        year = self._year(org)
        period = params.get("period", "Y").upper()
        try:
            result = compute(org, year=year, period=period,
                             annualised=params.get("annualise") == "1")  # fmt: skip
        except ValueError as exc:
            raise exceptions.ValidationError({"period": str(exc)}) from None
        return {
            "id": org.pk, "organisation": org.code, "year": result.year, "period": period,
            "kpiset": result.kpiset.code if result.kpiset else None, "basis": result.basis,
            "annualised": result.annualised, "aggregated_from": result.aggregated_from,
            "values": [{"code": v.code, "name": v.name, "unit": v.unit, "value": plain(v.value),
                        "reason": v.reason} for v in result.values],
        }  # fmt: skip

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([self._payload(org) for org in page])

    def retrieve(self, request, *args, **kwargs):
        # DRF's get_object_or_404: /values/abc/ is a 404, not Django's ValueError (a 500).
        org = get_object_or_404(Organisation.objects.visible_to(request.user), pk=kwargs["pk"])
        return Response(self._payload(org))


def _with_warnings(statement, unit: str) -> dict:
    """The statement as read, plus the doubtful figures it holds (accepted, to be checked)."""
    return {**StatementSerializer(statement).data, "warnings": statement_warnings(statement, unit)}
