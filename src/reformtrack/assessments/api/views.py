"""REST API: rule sets, campaigns (results, record, finalise, publish), assessments (submit,
review, gaps, rectify), scores (self-score, adjust) and their evidence files. Thin: the services
do the work."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, parsers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reformtrack.core.api.versioning import VersionedViewSetMixin
from reformtrack.core.api.viewsets import ScopedViewSetMixin
from reformtrack.core.scoping import Action
from reformtrack.core.services.versioning import StaleEdit
from reformtrack.orgs.models import Organisation

from .. import selectors
from ..models import Assessment, Campaign, EvidenceFile, RuleSet, Score
from ..services import campaigns as services
from ..services.evidence import add_score_evidence
from ..services.rectification import rectify
from ..services.results import record_result
from ..services.rules import request_extension
from . import serializers as s

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description='The ETag the object was read with ("3"); or send `version` in the body.',
)  # fmt: skip


def _call(func, **kwargs):
    try:
        return func(**kwargs)
    except StaleEdit:
        raise  # the versioned viewset answers 412
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        raise exceptions.ValidationError(detail) from exc


class RuleSetViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Rule sets loaded from libraries (load them with `reformtrack library load`)."""

    model = RuleSet
    write_action = None
    serializer_class = s.RuleSetSerializer
    filterset_fields = ["code"]

    def get_queryset(self):
        return selectors.rule_sets_for(self.request.user).prefetch_related(
            "bands", "vetoes", "dimensions__indicators"
        )


class CampaignViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    mixins.CreateModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    """Campaigns; POST opens one (`manage` on `organisation`), targets by code or designation."""

    model = Campaign
    write_action = Action.MANAGE
    serializer_class = s.CampaignSerializer
    filterset_fields = ["code", "year", "status"]

    def get_queryset(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS") or self.action == "record":
            return selectors.campaigns_for(self.request.user)
        return super().get_queryset()

    def get_serializer_class(self):
        return s.CampaignCreateSerializer if self.action == "create" else s.CampaignSerializer

    def _organisation(self, code: str, action: str):
        org = Organisation.objects.visible_to(self.request.user, action).filter(code=code).first()
        if org is None:
            raise exceptions.ValidationError({"organisation": _("No such organisation: %(c)s.")
                                              % {"c": code}})  # fmt: skip
        return org

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organisation = self._organisation(data.pop("organisation"), Action.MANAGE)
        targets = data.pop("targets", None)
        if targets is not None:
            targets = [self._organisation(code, Action.VIEW) for code in targets]
        serializer.instance = _call(services.open_campaign, user=self.request.user,
                                    organisation=organisation, targets=targets, **data)  # fmt: skip

    @extend_schema(responses=s.ResultsSerializer)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Ranking with score and rating; the rating distribution."""
        campaign = self.get_object()
        rows = selectors.results(campaign, selectors.campaign_assessments(request.user, campaign))
        distribution = [
            {"rating": label, "count": n} for label, n in selectors.distribution(campaign, rows)
        ]
        return Response(s.ResultsSerializer({"results": rows, "distribution": distribution}).data)

    @extend_schema(request=s.ResultSerializer, responses=s.AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """A final result from outside (evaluator, news): organisation code, rating, score."""
        campaign = self.get_object()
        body = s.ResultSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        organisation = self._organisation(data.pop("organisation"), Action.VIEW)
        assessment = _call(record_result, user=request.user, campaign=campaign,
                           organisation=organisation, **data)  # fmt: skip
        return Response(s.AssessmentSerializer(assessment).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        campaign = _call(services.finalise_campaign, user=request.user, campaign=self.get_object())
        return Response(self.get_serializer(campaign).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        campaign = _call(services.publish_campaign, user=request.user, campaign=self.get_object())
        return Response(self.get_serializer(campaign).data)


class AssessmentViewSet(VersionedViewSetMixin, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Assessments; POST submit (`report`; with If-Match or `version`, only the version the
    caller read is submitted), review (approve/return), rectify (`change`)."""

    model = Assessment
    write_action = Action.REPORT
    serializer_class = s.AssessmentSerializer
    filterset_fields = ["campaign__code", "status", "rating"]

    def get_queryset(self):
        return super().get_queryset().select_related("campaign__rule_set", "organisation")

    @extend_schema(request=s.SubmitSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        body = s.SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        raw = request.headers.get("If-Match") or body.validated_data.get("version")
        assessment = _call(services.submit_assessment, user=request.user,
                           assessment=self.get_object(), comment=body.validated_data["comment"],
                           expected_version=raw)  # fmt: skip
        self._versioned_instance = assessment
        return Response(self.get_serializer(assessment).data)

    @extend_schema(request=s.ExtensionSerializer)
    @action(detail=True, methods=["post"])
    def extension(self, request, pk=None):
        """Ask for a later deadline; it counts once the level above approves it (inbox)."""
        body = s.ExtensionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        extension = _call(request_extension, user=request.user, assessment=self.get_object(),
                          **body.validated_data)  # fmt: skip
        return Response({"id": extension.pk, "kind": extension.kind, "status": extension.status,
                         "new_date": extension.new_date.isoformat()}, status=201)  # fmt: skip

    @extend_schema(request=s.ReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """{"approve": true} or {"approve": false, "comment": "…"} (returned once at most)."""
        body = s.ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = _call(services.review, user=request.user, assessment=self.get_object(),
                           **body.validated_data)  # fmt: skip
        self._versioned_instance = assessment
        return Response(self.get_serializer(assessment).data)

    @extend_schema(responses=s.GapSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def gaps(self, request, pk=None):
        return Response(s.GapSerializer(selectors.gaps(self.get_object()), many=True).data)

    @extend_schema(request=s.RectifySerializer, responses=s.RectificationSerializer(many=True))
    @action(detail=True, methods=["post"], pagination_class=None)
    def rectify(self, request, pk=None):
        """{"indicators": [...], "owner": "…", "deadline": "YYYY-MM-DD"}: gaps → ledger tasks."""
        body = s.RectifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        made = _call(rectify, user=request.user, assessment=self.get_object(),
                     indicator_codes=data.get("indicators") or None, owner=data["owner"],
                     department=data["department"], deadline=data["deadline"])  # fmt: skip
        return Response(s.RectificationSerializer(made, many=True).data)


class ScoreViewSet(VersionedViewSetMixin, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Per-indicator scores; POST self_score (enterprise) or adjust (supervisor, with reason),
    each with the version read (If-Match or `version`; missing 428, stale 412)."""

    model = Score
    write_action = Action.REPORT
    serializer_class = s.ScoreSerializer
    filterset_fields = ["assessment"]

    def get_queryset(self):
        return super().get_queryset().select_related("indicator", "assessment")

    @extend_schema(request=s.SelfScoreSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"], url_path="self-score")
    def self_score(self, request, pk=None):
        return self._save(request, services.save_self_score, s.SelfScoreSerializer)

    @extend_schema(request=s.AdjustSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        return self._save(request, services.adjust_score, s.AdjustSerializer)

    def _save(self, request, service, body_class):
        score = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        values.pop("version", None)
        score = _call(service, user=request.user, score=score,
                      expected_version=self.expected_version(request), **values)  # fmt: skip
        self._versioned_instance = score
        return Response(self.get_serializer(score).data)


class EvidenceFileViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Evidence files of self-assessed indicators; POST (multipart: score, file, title) adds a
    version while the self-assessment is open. Filter by `score` or `score__assessment`."""

    model = EvidenceFile
    write_action = Action.REPORT
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    filterset_fields = ["score", "score__assessment"]

    def get_queryset(self):
        return super().get_queryset().select_related("score__indicator")

    def get_serializer_class(self):
        if self.action == "create":
            return s.ScoreEvidenceUploadSerializer
        return s.EvidenceFileSerializer

    @extend_schema(responses={201: s.EvidenceFileSerializer})
    def create(self, request, *args, **kwargs):
        body = s.ScoreEvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        scores = Score.objects.visible_to(request.user, Action.REPORT)
        score = scores.filter(pk=data["score"]).first()
        if score is None:
            raise exceptions.ValidationError({"score": _("No such score you may report on.")})
        version = _call(add_score_evidence, user=request.user, score=score, upload=data["file"],
                        title=data.get("title", ""))  # fmt: skip
        return Response(s.EvidenceFileSerializer(version).data, status=201)
