"""API routes of the kpis app: (prefix, viewset, basename), registered on the one router."""

from .views import KpiSetViewSet, KpiTargetViewSet, KpiValueViewSet, StatementViewSet

routes: list[tuple] = [
    ("kpis/statements", StatementViewSet, "kpistatement"),
    ("kpis/values", KpiValueViewSet, "kpivalue"),
    ("kpis/targets", KpiTargetViewSet, "kpitarget"),
    ("kpis/sets", KpiSetViewSet, "kpiset"),
]
