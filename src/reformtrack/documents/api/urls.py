"""API routes of the documents app: (prefix, viewset, basename), registered on the one router."""

routes: list[tuple] = []
