"""Pages of the kpis app."""

from django.urls import path

from . import views

app_name = "kpis"

urlpatterns = [
    path("kpis/", views.HomeView.as_view(), name="home"),
    path("kpis/org/<int:pk>/", views.OverviewView.as_view(), name="overview"),
    path("kpis/org/<int:pk>/peers/", views.PeersView.as_view(), name="peers"),
    path(
        "kpis/org/<int:pk>/statements/", views.StatementEntryView.as_view(), name="statement-entry"
    ),
    path("kpis/org/<int:pk>/targets/", views.TargetsView.as_view(), name="targets"),
    path("kpis/import/", views.ImportView.as_view(), name="import"),
    path("kpis/import/template/", views.TemplateView.as_view(), name="template"),
]
