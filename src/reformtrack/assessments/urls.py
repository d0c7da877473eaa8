"""Pages of the assessments app (the project includes every app's URLs at the root)."""

from django.urls import path

from .views import actions
from .views import campaigns as views
from .views.evidence import EvidenceDownloadView
from .views.new import CampaignCreateView
from .views.templates import ReportTemplatesView

app_name = "assessments"
campaign_report = views.CampaignReportView.as_view()
assessment_report = views.AssessmentReportView.as_view()

urlpatterns = [
    path("assessments/", views.CampaignListView.as_view(), name="campaigns"),
    path("assessments/campaigns/new/", CampaignCreateView.as_view(), name="campaign-new"),
    path("assessments/report-templates/", ReportTemplatesView.as_view(),
         name="report-templates"),
    path("assessments/campaigns/<str:code>/", views.CampaignDetailView.as_view(), name="campaign"),
    path("assessments/campaigns/<str:code>/act/", actions.CampaignActionView.as_view(),
         name="campaign-act"),
    path("assessments/campaigns/<str:code>/report.docx", campaign_report, {"fmt": "docx"},
         name="campaign-docx"),
    path("assessments/campaigns/<str:code>/report.pdf", campaign_report, {"fmt": "pdf"},
         name="campaign-pdf"),
    path("assessments/evidence/<int:evidence_pk>/", EvidenceDownloadView.as_view(),
         name="evidence-download"),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment"),
    path("assessments/<int:pk>/act/", actions.AssessmentActionView.as_view(),
         name="assessment-act"),
    path("assessments/<int:pk>/report.docx", assessment_report, {"fmt": "docx"},
         name="assessment-docx"),
    path("assessments/<int:pk>/report.pdf", assessment_report, {"fmt": "pdf"},
         name="assessment-pdf"),
]  # fmt: skip
