"""Job pages: one job's progress (polled by htmx while it runs), its result file, my jobs."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView

from ..models import Job
from ..tables import JobTable, TableViewMixin
from .mixins import BusinessViewMixin, ScopedViewMixin


class JobDetailView(ScopedViewMixin, DetailView):
    """The whole page, or (for htmx's poll) only the progress block, which stops polling once
    the job has finished."""

    model = Job
    context_object_name = "job"

    def get_queryset(self):
        return super().get_queryset().select_related("owner", "organisation")

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return ["core/job_progress.html"]
        return ["core/job_detail.html"]

    def get_context_data(self, **kwargs):
        job = self.object
        return super().get_context_data(
            errors=[m for m in job.messages if m.get("level") == "error"],
            notes=[m for m in job.messages if m.get("level") == "info"],
            **kwargs,
        )


class JobResultView(ScopedViewMixin, DetailView):
    """The file a job produced, to whoever may see the job."""

    model = Job

    def get(self, request, *args, **kwargs):
        job = self.get_object()
        if not job.result_file:
            raise Http404
        try:
            handle = job.result_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=Path(job.result_file.name).name)


class MyJobsView(BusinessViewMixin, TableViewMixin, TemplateView):
    """The jobs the user started, newest first."""

    template_name = "core/job_list.html"
    table_key = "core.jobs"
    table_class = JobTable
    export_name = "jobs"
    export_title = gettext_lazy("My jobs")

    def get_table_rows(self):
        return Job.objects.filter(owner=self.request.user).select_related("organisation")
