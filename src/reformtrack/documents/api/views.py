"""REST: documents are read by their owner's subtree and the supervisors above it, a
supervisor's also by everyone under it (search with ?q=, filters; a query too long is a 400);
POST a file (multipart `file`, optional `owner` code, default the user's office, optional
`address`: the page it was fetched from) to ingest it — the same file twice returns the first
copy the user reads (200)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from reformtrack.core.api.viewsets import ScopedViewSetMixin
from reformtrack.core.scoping import Action

from .. import selectors, services
from ..models import Brief, Document
from .serializers import (
    BriefSerializer,
    DocumentDetailSerializer,
    DocumentSerializer,
    UploadSerializer,
)

SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q", {"type": "string", "maxLength": selectors.MAX_QUERY_CHARS},
        description=f"words to find (at most {selectors.MAX_QUERY_CHARS} characters and "
        f"{selectors.MAX_QUERY_TERMS} words; longer is a 400)",
    ),
    OpenApiParameter("language", str, description="zh-Hans, zh-Hant, en, he"),
    OpenApiParameter("source", str, description="part of the publisher's name"),
    OpenApiParameter("organisation", str, description="an organisation code the text names"),
    OpenApiParameter("programme", str, description="a programme code the text names"),
]  # fmt: skip


@extend_schema_view(
    list=extend_schema(parameters=SEARCH_PARAMETERS),
    create=extend_schema(request=UploadSerializer, responses=DocumentDetailSerializer),
)
class DocumentViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = Document
    write_action = Action.REPORT
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        params = self.request.query_params
        if self.action == "list":
            try:
                return selectors.search(
                    user=self.request.user,
                    query=params.get("q", ""),
                    language=params.get("language", ""),
                    source=params.get("source", ""),
                    organisation=params.get("organisation", ""),
                    programme=params.get("programme", ""),
                ).select_related("owner")
            except ValidationError as exc:
                raise exceptions.ValidationError({"q": exc.messages}) from None
        return super().get_queryset().select_related("owner").prefetch_related("items")

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer

    def create(self, request, *args, **kwargs):
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload, code = data.validated_data["file"], data.validated_data.get("owner", "")
        address = data.validated_data.get("address", "")
        try:
            owner = (
                selectors.organisation(user=request.user, code=code, action=Action.REPORT)
                if code
                else None
            )
            document, created = services.ingest(
                user=request.user,
                data=upload.read(),
                filename=upload.name,
                owner=owner,
                address=address,
            )
        except ValidationError as exc:
            raise exceptions.ValidationError(getattr(exc, "message_dict", exc.messages)) from None
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(DocumentDetailSerializer(document).data, status=code)


class BriefViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Weekly briefs: a draft is read by its owner's subtree and the supervisors above, a
    published brief also by every organisation under the owner. Read-only here."""

    model = Brief
    serializer_class = BriefSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("owner", "organisation")
            .prefetch_related("entries")
        )
