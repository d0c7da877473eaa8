"""REST endpoints of the chains app: chains (read; detail = map + resilience), key items (read,
create or change by name), three-firsts items (reference), procurements (read, record), green
channels (read, with the summary by year). All scoped; writes go through the
services."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from reformtrack.core.api.viewsets import ScopedViewSetMixin
from reformtrack.core.scoping import Action
from reformtrack.orgs.models import Organisation

from .. import selectors, services
from ..models import Chain, FirstItem, GreenChannel, KeyItem, Link, Procurement
from .serializers import (
    ChainDetailSerializer,
    ChainSerializer,
    FirstItemSerializer,
    FirstsSummarySerializer,
    GreenChannelSerializer,
    KeyItemInSerializer,
    KeyItemSerializer,
    ProcurementInSerializer,
    ProcurementSerializer,
)


def _run(call):
    try:
        return call()
    except ValidationError as exc:
        raise exceptions.ValidationError(getattr(exc, "message_dict", exc.messages)) from None
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from None


class ChainViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Chains in the caller's scope; a chain's detail is its links (with upstream links,
    participants, key items, suppliers and ledger tasks) and its resilience summary."""

    model = Chain
    write_action = None
    serializer_class = ChainSerializer
    filterset_fields = ["code"]

    def get_queryset(self):
        return super().get_queryset().select_related("leader", "supervisor")

    @extend_schema(responses=ChainDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        chain = self.get_object()
        return Response({"id": chain.pk, **selectors.chain_json(chain, timezone.now().year)})


class KeyItemViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """POST {chain, link, kind, name, status, note, domestic[], foreign[]} creates the key item
    of the link or changes the one of that name, and replaces its suppliers."""

    model = KeyItem
    serializer_class = KeyItemSerializer
    filterset_fields = ["status", "kind"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("link__chain")
            .prefetch_related("suppliers", "tasks")
        )

    @extend_schema(request=KeyItemInSerializer, responses={201: KeyItemSerializer})
    def create(self, request, *args, **kwargs):
        data = KeyItemInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        link = get_object_or_404(
            Link.objects.visible_to(request.user, Action.CHANGE).select_related("chain"),
            chain__code=values["chain"].upper(), code=values["link"].upper(),
        )  # fmt: skip

        def write():
            item = services.save_item(
                user=request.user, link=link, kind=values["kind"], name=values["name"],
                status=values["status"], note=values["note"],
            )  # fmt: skip
            services.set_suppliers(
                user=request.user, item=item, domestic=values["domestic"],
                foreign=values["foreign"],
            )  # fmt: skip
            return item

        item = _run(write)
        return Response(KeyItemSerializer(item).data, status=status.HTTP_201_CREATED)


class FirstItemViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The three-firsts register (reference: every business user reads it)."""

    model = FirstItem
    write_action = None
    serializer_class = FirstItemSerializer
    filterset_fields = ["category"]


class ProcurementViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """POST {enterprise, item, date, amount (元), tender_ref, green_channel} records a purchase
    of a three-firsts item by an enterprise in the caller's `change` scope."""

    model = Procurement
    serializer_class = ProcurementSerializer
    filterset_fields = ["green_channel"]

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise", "item")

    @extend_schema(request=ProcurementInSerializer, responses={201: ProcurementSerializer})
    def create(self, request, *args, **kwargs):
        data = ProcurementInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enterprise = get_object_or_404(
            Organisation.objects.visible_to(request.user, Action.CHANGE),
            code=values.pop("enterprise").upper(),
        )
        item = get_object_or_404(FirstItem.objects.visible_to(request.user), pk=values.pop("item"))
        made = _run(
            lambda: services.record_procurement(
                user=request.user, enterprise=enterprise, item=item, **values
            )
        )
        return Response(ProcurementSerializer(made).data, status=status.HTTP_201_CREATED)


class GreenChannelViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Enterprises' green procurement channels; `summary/` counts them and the volume bought
    through them by year."""

    model = GreenChannel
    write_action = None
    serializer_class = GreenChannelSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("organisation")

    @extend_schema(responses=FirstsSummarySerializer)
    @action(detail=False, pagination_class=None, filter_backends=[])
    def summary(self, request):
        data = selectors.firsts_summary(request.user)
        return Response(
            FirstsSummarySerializer(
                {
                    "enterprises_with_channel": data["enterprises_with_channel"],
                    "trend": data["trend"],
                }
            ).data
        )
