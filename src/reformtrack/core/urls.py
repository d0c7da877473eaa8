from django.contrib.auth import views as auth_views
from django.urls import path

from .views import approvals, audit, auth, home, jobs
from .views.inbox_export import InboxExportView
from .views.saved_views import SavedViewCreateView, SavedViewDeleteView
from .views.tokens import MyTokensView

app_name = "core"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/otp/", auth.OTPView.as_view(), name="otp"),
    path("accounts/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/tokens/", MyTokensView.as_view(), name="tokens"),
    path("inbox/", home.InboxView.as_view(), name="inbox"),
    path("inbox/read/", home.MarkReadView.as_view(), name="inbox_read"),
    path("inbox/export/", InboxExportView.as_view(), name="inbox_export"),
    path("approvals/<int:pk>/", approvals.ApprovalDetailView.as_view(), name="approval"),
    path("inbox/decide/", approvals.ApprovalBatchView.as_view(), name="approval_batch"),
    path("audit/", audit.AuditListView.as_view(), name="audit"),
    path("audit/export.csv", audit.AuditExportView.as_view(), name="audit_export"),
    path("audit/verify/", audit.AuditVerifyView.as_view(), name="audit_verify"),
    path("tables/views/", SavedViewCreateView.as_view(), name="saved_view_new"),
    path("tables/views/<int:pk>/delete/", SavedViewDeleteView.as_view(), name="saved_view_delete"),
    path("jobs/", jobs.MyJobsView.as_view(), name="jobs"),
    path("jobs/<int:pk>/", jobs.JobDetailView.as_view(), name="job"),
    path("jobs/<int:pk>/result/", jobs.JobResultView.as_view(), name="job_result"),
]
