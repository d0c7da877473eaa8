"""Pages of programmes and ledgers."""

from django.urls import path

from .views import dashboard, ledger_bulk, ledger_io, programmes, tasks

app_name = "programs"

urlpatterns = [
    path("programmes/", programmes.ProgrammeListView.as_view(), name="programmes"),
    path("programmes/load/", programmes.LibraryUploadView.as_view(), name="library-upload"),
    path("programmes/<str:code>/", programmes.ProgrammeDetailView.as_view(), name="programme"),
    path("programmes/<str:code>/launch/", programmes.LaunchView.as_view(), name="launch"),
    path("programmes/<str:code>/dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path(
        "programmes/<str:code>/close-period/",
        dashboard.ClosePeriodView.as_view(),
        name="close-period",
    ),
    path("programmes/<str:code>/ledger/", tasks.LedgerView.as_view(), name="ledger"),
    path(
        "programmes/<str:code>/ledger/bulk/",
        ledger_bulk.LedgerBulkView.as_view(),
        name="ledger-bulk",
    ),
    path(
        "programmes/<str:code>/ledger/export/",
        ledger_io.LedgerExportView.as_view(),
        name="ledger-export",
    ),
    path(
        "programmes/<str:code>/ledger/template/",
        ledger_io.LedgerTemplateView.as_view(),
        name="ledger-template",
    ),
    path(
        "programmes/<str:code>/ledger/import/",
        ledger_io.LedgerImportView.as_view(),
        name="ledger-import",
    ),
    path("tasks/<int:pk>/", tasks.TaskDetailView.as_view(), name="task"),
    path("tasks/<int:pk>/edit/", tasks.TaskEditView.as_view(), name="task-edit"),
    path("tasks/<int:pk>/measures/new/", tasks.MeasureCreateView.as_view(), name="task-measure"),
    path("tasks/<int:pk>/report/", tasks.ReportEditView.as_view(), name="report-new"),
    path(
        "tasks/<int:pk>/plan-change/",
        tasks.PlanChangeCreateView.as_view(),
        name="plan-change-new",
    ),
    path("plan-changes/<int:pk>/", tasks.PlanChangeDetailView.as_view(), name="plan-change"),
    path("tasks/<int:pk>/evidence/", tasks.EvidenceUploadView.as_view(), name="evidence-upload"),
    path("reports/<int:pk>/", tasks.ReportDetailView.as_view(), name="report"),
    path("reports/<int:pk>/submit/", tasks.ReportSubmitView.as_view(), name="report-submit"),
    path(
        "evidence/<int:pk>/download/",
        tasks.EvidenceDownloadView.as_view(),
        name="evidence-download",
    ),
]
