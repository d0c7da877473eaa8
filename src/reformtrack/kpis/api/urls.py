"""API routes of the kpis app: (prefix, viewset, basename), registered on the one router."""

routes: list[tuple] = []
