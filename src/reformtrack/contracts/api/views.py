"""REST endpoints of people and incentives: managers, annual contracts and results, read-only
and scoped with the `change` action (pay and personal data); reading pay is audited."""

from rest_framework import viewsets

from reformtrack.core.api.viewsets import ScopedViewSetMixin

from ..models import AnnualContract, AnnualResult, Member
from ..selectors import PAY, record_pay_read
from .serializers import AnnualContractSerializer, AnnualResultSerializer, MemberSerializer


class PeopleViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Reads need `change` on the member's organisation: contributors and other groups see
    nothing (an empty list, a 404)."""

    write_action = PAY

    def scope_action(self) -> str:
        return PAY

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if self.model is not Member:
            record_pay_read(request.user, self.get_object(), "api")
        return response


class MemberViewSet(PeopleViewSet):
    model = Member
    serializer_class = MemberSerializer
    filterset_fields = ["selection", "is_active"]

    def get_queryset(self):
        return super().get_queryset().select_related("organisation")


class AnnualContractViewSet(PeopleViewSet):
    model = AnnualContract
    serializer_class = AnnualContractSerializer
    filterset_fields = ["year", "status"]

    def get_queryset(self):
        return super().get_queryset().select_related("tenure").prefetch_related("indicators")


class AnnualResultViewSet(PeopleViewSet):
    model = AnnualResult
    serializer_class = AnnualResultSerializer
    filterset_fields = ["status", "grade"]

    def get_queryset(self):
        return super().get_queryset().select_related("contract__tenure")
