"""Pages of the assessments app."""

from django.urls import path

from .views import campaigns as views

app_name = "assessments"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/<str:code>/", views.CampaignDetailView.as_view(), name="campaign"),
    path(
        "campaigns/<str:code>/report.<str:fmt>",
        views.CampaignReportView.as_view(),
        name="campaign-report",
    ),  # fmt: skip
    path("<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment"),
    path(
        "<int:pk>/report.<str:fmt>", views.AssessmentReportView.as_view(), name="assessment-report"
    ),  # fmt: skip
]
