"""Root URLs: the pages of each app, the API under /api/, language switching under /i18n/."""

from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("reformtrack.api_urls")),
    path("", include("reformtrack.core.urls")),
    path("", include("reformtrack.orgs.urls")),
    path("", include("reformtrack.programs.urls")),
    path("", include("reformtrack.kpis.urls")),
    path("", include("reformtrack.assessments.urls")),
    path("", include("reformtrack.documents.urls")),
]
