"""The REST API: one router, OpenAPI schema and offline docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from reformtrack.assessments.api.urls import routes as assessment_routes
from reformtrack.chains.api.urls import routes as chain_routes
from reformtrack.contracts.api.urls import routes as contract_routes
from reformtrack.core.api.views import ApprovalViewSet, NotificationViewSet
from reformtrack.documents.api.urls import routes as document_routes
from reformtrack.kpis.api.urls import routes as kpi_routes
from reformtrack.orgs.api.benchmarks import BenchmarkViewSet
from reformtrack.orgs.api.views import DesignationViewSet, OrganisationViewSet
from reformtrack.programs.api.views import (
    EvidenceViewSet,
    LedgerTaskViewSet,
    ProgrammeViewSet,
    ProgressReportViewSet,
)

router = DefaultRouter()
router.register("orgs/organisations", OrganisationViewSet, basename="organisation")
router.register("orgs/designations", DesignationViewSet, basename="designation")
router.register("orgs/benchmarks", BenchmarkViewSet, basename="benchmark")
router.register("programs/programmes", ProgrammeViewSet, basename="programme")
router.register("programs/tasks", LedgerTaskViewSet, basename="ledgertask")
router.register("programs/reports", ProgressReportViewSet, basename="progressreport")
router.register("programs/evidence", EvidenceViewSet, basename="evidence")
router.register("approvals", ApprovalViewSet, basename="approval")
router.register("notifications", NotificationViewSet, basename="notification")
# Apps from the KPI engine on keep their routes beside their views.
for prefix, viewset, basename in (
    *kpi_routes,
    *assessment_routes,
    *document_routes,
    *chain_routes,
    *contract_routes,
):
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
]
