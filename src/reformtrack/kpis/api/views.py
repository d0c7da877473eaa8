"""REST endpoints: statements (read, push = create or correct), KPI values (read), targets
(read, set), KPI sets (reference). All scoped; writes go through the services."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response

from reformtrack.core.api.viewsets import ScopedViewSetMixin
from reformtrack.core.scoping import Action
from reformtrack.orgs.models import Organisation

from ..engine import compute
from ..models import KpiSet, KpiTarget, Statement
from ..services import record_statement, set_target
from .serializers import (
    KpiSetSerializer,
    KpiTargetSerializer,
    StatementCorrectionSerializer,
    StatementPushSerializer,
    StatementSerializer,
    TargetInSerializer,
    plain,
)


def _organisation(request, code: str):
    return get_object_or_404(
        Organisation.objects.visible_to(request.user, Action.CHANGE), code=code.upper()
    )


def _run(call):
    try:
        return call()
    except ValidationError as exc:
        raise exceptions.ValidationError(getattr(exc, "message_dict", exc.messages)) from None
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from None


class StatementViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """POST {organisation, year, period, basis, unit, lines: {code: amount}} creates the
    statement or corrects its lines; PATCH {unit, lines, source} corrects one statement. Old
    values stay in the history; statements are not deleted (the history would go with them)."""

    model = Statement
    serializer_class = StatementSerializer
    filterset_fields = ["year", "period", "basis"]

    def get_queryset(self):
        return super().get_queryset().select_related("organisation").prefetch_related("values")

    def create(self, request, *args, **kwargs):
        data = StatementPushSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        org = _organisation(request, values.pop("organisation"))
        statement = _run(lambda: record_statement(user=request.user, organisation=org, **values))
        return Response(StatementSerializer(statement).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        statement = self.get_object()
        data = StatementCorrectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        statement = _run(
            lambda: record_statement(
                user=request.user, organisation=statement.organisation, year=statement.year,
                period=statement.period, basis=statement.basis, lines=values["lines"],
                unit=values["unit"], source=values["source"],
            )
        )  # fmt: skip
        return Response(StatementSerializer(statement).data)


class KpiTargetViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = KpiTarget
    serializer_class = KpiTargetSerializer
    filterset_fields = ["year", "code"]

    def get_queryset(self):
        return super().get_queryset().select_related("organisation")

    def create(self, request, *args, **kwargs):
        data = TargetInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        org = _organisation(request, values.pop("organisation"))
        target = _run(lambda: set_target(user=request.user, organisation=org, **values))
        return Response(KpiTargetSerializer(target).data, status=status.HTTP_201_CREATED)


class KpiSetViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = KpiSet
    write_action = None
    serializer_class = KpiSetSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("indicators")


class KpiValueViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """KPI values of organisations (id = the organisation's id) for ?year= (default: latest
    statement year) and ?period= (Y; Q/M periods come annualised when ?annualise=1)."""

    model = Organisation
    write_action = None

    def get_queryset(self):
        return (
            Organisation.objects.visible_to(self.request.user)
            .filter(statements__isnull=False)
            .distinct()
            .order_by("path")
        )

    def _payload(self, org):
        params = self.request.query_params
        year = params.get("year")
        if year is None or not year.isdigit():
            latest = Statement.objects.filter(organisation=org).order_by("-year").first()
            year = latest.year if latest else 0
        period = params.get("period", "Y").upper()
        try:
            result = compute(
                org, year=int(year), period=period, annualised=params.get("annualise") == "1"
            )
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
        org = get_object_or_404(Organisation.objects.visible_to(request.user), pk=kwargs["pk"])
        return Response(self._payload(org))
