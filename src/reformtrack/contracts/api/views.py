"""REST endpoints of people and incentives. Reads need `pay` on the member's organisation (or
are the caller's own record); writes need `pay` and go through the services: every change of a
versioned row names the version read (If-Match or `version`; none is a 428, a stale one a 412),
contracts are signed and results approved only through the approval chain (`submit`), and
reading a contract, a result or a plan is appended to the pay-read log."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reformtrack.core.api.versioning import VersionedViewSetMixin
from reformtrack.core.api.viewsets import ScopedViewSetMixin
from reformtrack.core.services.versioning import StaleEdit
from reformtrack.orgs.models import Organisation
from reformtrack.orgs.roles import PAY
from reformtrack.programs.models import LedgerTask

from .. import selectors, services
from .. import tenure as tenure_services
from ..models import (
    AnnualContract,
    AnnualResult,
    IncentivePlan,
    Member,
    TenureContract,
    TenureResult,
    Workforce,
)
from . import serializers as s

OWN = {
    Member: selectors.members_for,
    TenureContract: selectors.tenures_for,
    AnnualContract: selectors.annuals_for,
    AnnualResult: selectors.results_for,
    TenureResult: selectors.tenure_results_for,
}


def _run(call):
    try:
        return call()
    except StaleEdit:
        raise  # the versioned viewset answers 412
    except ValidationError as exc:
        raise exceptions.ValidationError(getattr(exc, "message_dict", exc.messages)) from None
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from None


def _organisation(request, code):
    return get_object_or_404(
        Organisation.objects.visible_to(request.user, PAY), code=(code or "").upper()
    )


class PeopleViewSet(VersionedViewSetMixin, ScopedViewSetMixin, viewsets.GenericViewSet):
    """Reads: `pay` holders of the subtree and the member's own record; writes: `pay` holders
    only. Contributors and other groups see nothing (an empty list, a 404)."""

    write_action = PAY
    pay_page = True

    def scope_action(self) -> str:
        return PAY

    def get_queryset(self):
        own = OWN.get(self.model)
        if own is not None and self.request.method in ("GET", "HEAD", "OPTIONS"):
            return own(self.request.user)
        return super().get_queryset()

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        if self.pay_page:
            selectors.record_pay_read(request.user, instance, "api")
        return Response(self.get_serializer(instance).data)

    def _valid(self, serializer_class, partial=False):
        data = serializer_class(data=self.request.data, partial=partial)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def _answer(self, instance, code=status.HTTP_200_OK):
        self._versioned_instance = instance
        return Response(self.get_serializer(instance).data, status=code)

    def _submit(self, request, target):
        version = self.expected_version(request)
        _run(lambda: services.submit_contract(user=request.user, contract=target, version=version))
        target.refresh_from_db()
        return self._answer(target)


class MemberViewSet(PeopleViewSet, mixins.ListModelMixin):
    """POST {organisation, name, post, …} adds a manager; PATCH changes one (version read)."""

    model = Member
    serializer_class = s.MemberSerializer
    filterset_fields = ["selection", "is_active"]
    pay_page = False

    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "user")

    @extend_schema(request=s.MemberInSerializer, responses={201: s.MemberSerializer})
    def create(self, request):
        data = self._valid(s.MemberInSerializer)
        data.pop("version", None)
        org = _organisation(request, data.pop("organisation", ""))
        member = _run(lambda: services.save_member(user=request.user, organisation=org, **data))
        return self._answer(member, status.HTTP_201_CREATED)

    @extend_schema(request=s.MemberInSerializer, responses=s.MemberSerializer)
    def partial_update(self, request, pk=None):
        member = self.get_object()
        version = self.expected_version(request)
        current = {f: getattr(member, f) for f in s.MemberInSerializer().fields if f not in
                   ("organisation", "version")}  # fmt: skip
        data = current | self._valid(s.MemberInSerializer, partial=True)
        data.pop("version", None)
        data.pop("organisation", None)
        member = _run(
            lambda: services.save_member(
                user=request.user, organisation=member.organisation, member=member,
                version=version, **data,
            )
        )  # fmt: skip
        return self._answer(member)


class TenureViewSet(PeopleViewSet, mixins.ListModelMixin):
    """POST {member, start, end} creates a draft tenure; PATCH changes a draft; POST
    …/submit/ sends it for signing through the approval chain."""

    model = TenureContract
    serializer_class = s.TenureSerializer
    filterset_fields = ["status"]
    pay_page = False

    def get_queryset(self):
        return super().get_queryset().select_related("member__organisation")

    def create(self, request):
        data = self._valid(s.TenureSerializer)
        member = get_object_or_404(
            Member.objects.visible_to(request.user, PAY), pk=data["member"].pk
        )
        tenure = _run(
            lambda: services.create_tenure(
                user=request.user, member=member, start=data["start"], end=data["end"]
            )
        )
        return self._answer(tenure, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        tenure = self.get_object()
        version = self.expected_version(request)
        data = {"start": tenure.start, "end": tenure.end} | {
            k: v for k, v in self._valid(s.TenureSerializer, partial=True).items()
            if k in ("start", "end")
        }  # fmt: skip
        tenure = _run(
            lambda: services.update_tenure(
                user=request.user, tenure=tenure, version=version, **data
            )  # fmt: skip
        )
        return self._answer(tenure)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._submit(request, self.get_object())

    @extend_schema(request=s.TenureIndicatorsInSerializer, responses=s.TenureSerializer)
    @action(detail=True, methods=["post"])
    def indicators(self, request, pk=None):
        """Replace the tenure's own indicators (draft or returned tenure, version read)."""
        tenure = self.get_object()
        version = self.expected_version(request)
        data = self._valid(s.TenureIndicatorsInSerializer)
        _run(
            lambda: tenure_services.set_tenure_indicators(
                user=request.user, tenure=tenure, version=version,
                indicators=[dict(i) for i in data["indicators"]],
            )
        )  # fmt: skip
        tenure.refresh_from_db()
        return self._answer(tenure)

    @extend_schema(request=s.ActualsInSerializer, responses=s.TenureSerializer)
    @action(detail=True, methods=["post"])
    def actuals(self, request, pk=None):
        """Actual values of the tenure indicators with evidence (signed tenure, version read)."""
        tenure = self.get_object()
        version = self.expected_version(request)
        data = self._valid(s.ActualsInSerializer)
        values = {code: (v["actual"], v["evidence"]) for code, v in data["values"].items()}
        _run(
            lambda: tenure_services.record_tenure_actuals(
                user=request.user, tenure=tenure, values=values, version=version
            )
        )
        tenure.refresh_from_db()
        return self._answer(tenure)

    @extend_schema(request=None, responses=s.TenureResultSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """Score the finished tenure into a draft tenure result (counts once approved)."""
        tenure = self.get_object()
        version = self.expected_version(request)
        from reformtrack.core.services.versioning import check_version

        _run(lambda: check_version(tenure, version))
        result = _run(lambda: tenure_services.score_tenure(user=request.user, tenure=tenure))
        return Response(s.TenureResultSerializer(result).data)


def _indicators(items, organisation) -> list[dict]:
    out = []
    for item in items:
        code = item.pop("task", "")
        item["task"] = (
            LedgerTask.objects.filter(code=code, org_path__startswith=organisation.path).first()
            if code
            else None
        )
        out.append(item)
    return out


class AnnualContractViewSet(PeopleViewSet, mixins.ListModelMixin):
    """POST {tenure, year, pay_standard, indicators} creates a draft annual contract; PATCH
    {pay_standard, indicators} changes a draft or returned one; POST …/submit/ sends it for
    signing; POST …/actuals/ {values: {code: {actual, evidence}}} enters actual values with
    evidence (signed contracts, version read); …/pull/ reads them from KPIs and the ledger;
    …/score/ scores the year into a draft result, which counts once approved."""

    model = AnnualContract
    serializer_class = s.AnnualContractSerializer
    filterset_fields = ["year", "status"]

    def get_queryset(self):
        return super().get_queryset().select_related("tenure").prefetch_related("indicators")

    @extend_schema(request=s.AnnualInSerializer, responses={201: s.AnnualContractSerializer})
    def create(self, request):
        data = self._valid(s.AnnualInSerializer)
        tenure = get_object_or_404(
            TenureContract.objects.visible_to(request.user, PAY), pk=data.get("tenure")
        )
        items = _indicators(data["indicators"], tenure.member.organisation)
        contract = _run(
            lambda: services.create_annual(
                user=request.user, tenure=tenure, year=data.get("year") or 0,
                pay_standard=data["pay_standard"], indicators=items,
            )
        )  # fmt: skip
        return self._answer(contract, status.HTTP_201_CREATED)

    @extend_schema(request=s.AnnualInSerializer, responses=s.AnnualContractSerializer)
    def partial_update(self, request, pk=None):
        contract = self.get_object()
        version = self.expected_version(request)
        data = self._valid(s.AnnualInSerializer)
        items = _indicators(data["indicators"], contract.organisation)
        contract = _run(
            lambda: services.update_annual(
                user=request.user, contract=contract, version=version,
                pay_standard=data["pay_standard"], indicators=items,
            )
        )  # fmt: skip
        return self._answer(contract)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._submit(request, self.get_object())

    @extend_schema(request=s.ActualsInSerializer, responses=s.AnnualContractSerializer)
    @action(detail=True, methods=["post"])
    def actuals(self, request, pk=None):
        contract = self.get_object()
        version = self.expected_version(request)
        data = self._valid(s.ActualsInSerializer)
        values = {code: (v["actual"], v["evidence"]) for code, v in data["values"].items()}
        _run(
            lambda: services.record_actuals(
                user=request.user, contract=contract, values=values, version=version
            )
        )
        contract.refresh_from_db()
        return self._answer(contract)

    @action(detail=True, methods=["post"])
    def pull(self, request, pk=None):
        contract = self.get_object()
        _run(lambda: services.pull_actuals(user=request.user, contract=contract))
        contract.refresh_from_db()
        return self._answer(contract)

    @extend_schema(request=None, responses=s.AnnualResultSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        contract = self.get_object()
        version = self.expected_version(request)
        from reformtrack.core.services.versioning import check_version

        _run(lambda: check_version(contract, version))
        result = _run(lambda: services.score_contract(user=request.user, contract=contract))
        return Response(s.AnnualResultSerializer(result).data)


class AnnualResultViewSet(PeopleViewSet, mixins.ListModelMixin):
    """Results are read here and sent for approval (POST …/submit/ with the version read);
    they are never written directly: a score or pay figure changes only by rescoring a draft
    or returned result, and counts once the chain approves it."""

    model = AnnualResult
    serializer_class = s.AnnualResultSerializer
    filterset_fields = ["status", "grade"]

    def get_queryset(self):
        return super().get_queryset().select_related("contract__tenure")

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        result = self.get_object()
        version = self.expected_version(request)
        _run(lambda: services.submit_result(user=request.user, result=result, version=version))
        result.refresh_from_db()
        return self._answer(result)


class TenureResultViewSet(PeopleViewSet, mixins.ListModelMixin):
    """Tenure results are read here (each read of one is logged) and sent for approval (POST
    …/submit/ with the version read); never written directly (no PUT/PATCH)."""

    model = TenureResult
    serializer_class = s.TenureResultSerializer
    filterset_fields = ["status", "grade"]

    def get_queryset(self):
        return super().get_queryset().select_related("tenure__member__organisation")

    @extend_schema(request=None, responses=s.TenureResultSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        result = self.get_object()
        version = self.expected_version(request)
        _run(
            lambda: tenure_services.submit_tenure_result(
                user=request.user, result=result, version=version
            )
        )
        result.refresh_from_db()
        return self._answer(result)


class IncentivePlanViewSet(PeopleViewSet, mixins.ListModelMixin):
    """Medium/long-term incentive plans: POST creates one, PATCH changes one (version read);
    a payment above the cap of its kind or above what its conditions allowed is refused."""

    model = IncentivePlan
    serializer_class = s.IncentivePlanSerializer
    filterset_fields = ["year", "kind"]

    def get_queryset(self):
        return super().get_queryset().select_related("organisation")

    @extend_schema(request=s.PlanInSerializer, responses={201: s.IncentivePlanSerializer})
    def create(self, request):
        data = self._valid(s.PlanInSerializer)
        data.pop("version", None)
        org = _organisation(request, data.pop("organisation", ""))
        plan = _run(lambda: services.save_plan(user=request.user, organisation=org, **data))
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=s.PlanInSerializer, responses=s.IncentivePlanSerializer)
    def partial_update(self, request, pk=None):
        plan = self.get_object()
        version = self.expected_version(request)
        data = self._valid(s.PlanInSerializer, partial=True)
        data.pop("version", None)
        data.pop("organisation", None)
        plan = _run(
            lambda: services.save_plan(
                user=request.user, organisation=plan.organisation, plan=plan, version=version,
                **data,
            )
        )  # fmt: skip
        return self._answer(plan)


class WorkforceViewSet(PeopleViewSet, mixins.ListModelMixin):
    """Staff figures of an organisation and year: POST creates or corrects them (the version
    read: If-Match or `version`, 0 or none when new)."""

    model = Workforce
    serializer_class = s.WorkforceSerializer
    filterset_fields = ["year"]
    pay_page = False

    def get_queryset(self):
        return super().get_queryset().select_related("organisation")

    @extend_schema(request=s.WorkforceInSerializer, responses={201: s.WorkforceSerializer})
    def create(self, request):
        data = self._valid(s.WorkforceInSerializer)
        org = _organisation(request, data.pop("organisation"))
        version = request.headers.get("If-Match") or data.pop("version", 0) or 0
        data.pop("version", None)
        row = _run(
            lambda: services.save_workforce(
                user=request.user, organisation=org, version=version, **data
            )
        )
        return self._answer(row, status.HTTP_201_CREATED)
