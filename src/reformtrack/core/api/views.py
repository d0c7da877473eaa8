"""REST endpoints of approvals (read and decide) and of the caller's own notifications."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..selectors.inbox import approvals_visible_to, notifications_for
from ..services import approvals
from .serializers import ApprovalSerializer, DecisionSerializer, NotificationSerializer


class DecisionConflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"


class ApprovalViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ApprovalSerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        return (
            approvals_visible_to(self.request.user)
            .select_related("organisation", "current_organisation", "submitted_by", "content_type")
            .prefetch_related("steps__actor", "steps__organisation")
        )

    @extend_schema(request=DecisionSerializer, responses=ApprovalSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        decision = DecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        try:
            result = approvals.decide(
                request=self.get_object(), user=request.user, **decision.validated_data
            )
        except approvals.DecisionConflict as exc:
            raise DecisionConflict(exc.text) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc
        return Response(ApprovalSerializer(result).data)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        return notifications_for(self.request.user)
