"""API routes of the documents app: (prefix, viewset, basename), registered on the one router."""

from .views import DocumentViewSet

routes: list[tuple] = [("documents/documents", DocumentViewSet, "document")]
