"""API routes of the assessments app: (prefix, viewset, basename), registered on the one router."""

routes: list[tuple] = []
