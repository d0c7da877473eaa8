"""Root URLs: the pages of each app, the API under /api/, language switching under /i18n/."""

from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # Browsers ask for /favicon.ico by themselves; the icon is a static file.
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("reformtrack/favicon.ico"), permanent=True),
        name="favicon",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("reformtrack.api_urls")),
    path("", include("reformtrack.core.urls")),
    path("", include("reformtrack.orgs.urls")),
    path("", include("reformtrack.programs.urls")),
    path("", include("reformtrack.kpis.urls")),
    path("", include("reformtrack.assessments.urls")),
    path("", include("reformtrack.documents.urls")),
    path("", include("reformtrack.contracts.urls")),
    path("", include("reformtrack.chains.urls")),
]

# Under /api/ a missing page or a crash answers in JSON like every other API error.
handler404 = "reformtrack.core.api.errors.not_found"
handler500 = "reformtrack.core.api.errors.server_error"
