"""Placeholder: being written."""

from django.views.generic import View


class LedgerView(View):
    pass


class TaskDetailView(View):
    pass


class TaskEditView(View):
    pass


class MeasureCreateView(View):
    pass


class ReportEditView(View):
    pass


class EvidenceUploadView(View):
    pass


class ReportDetailView(View):
    pass


class ReportSubmitView(View):
    pass


class EvidenceDownloadView(View):
    pass
