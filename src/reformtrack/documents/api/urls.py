"""API routes of the documents app: (prefix, viewset, basename), registered on the one router."""

from .views import BriefViewSet, DocumentViewSet

routes: list[tuple] = [
    ("documents/documents", DocumentViewSet, "document"),
    ("documents/briefs", BriefViewSet, "brief"),
]
