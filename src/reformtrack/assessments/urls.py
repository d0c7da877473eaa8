"""Pages of the assessments app (the project includes every app's URLs at the root)."""

from django.urls import path

from .views import campaigns as views

app_name = "assessments"

urlpatterns = [
    path("assessments/", views.CampaignListView.as_view(), name="campaigns"),
    path("assessments/campaigns/<str:code>/", views.CampaignDetailView.as_view(), name="campaign"),
    path(
        "assessments/campaigns/<str:code>/report.<str:fmt>",
        views.CampaignReportView.as_view(),
        name="campaign-report",
    ),  # fmt: skip
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment"),
    path(
        "assessments/<int:pk>/report.<str:fmt>",
        views.AssessmentReportView.as_view(),
        name="assessment-report",
    ),  # fmt: skip
]
