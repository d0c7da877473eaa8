"""The Word report templates a supervisor edits: download the one in use, upload a changed
copy (checked before it is stored), or go back to the shipped default."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from reformtrack.core.reports import docx as report_docx
from reformtrack.core.scoping import Action, granted_paths
from reformtrack.core.views.mixins import BusinessViewMixin

TEMPLATES = {
    "assessment-report": gettext_lazy("Enterprise evaluation report"),
    "campaign-summary": gettext_lazy("Campaign summary"),
}
MAX_BYTES = 10 * 2**20


class ReportTemplatesView(BusinessViewMixin, TemplateView):
    """Supervisor administrators (`manage`) only."""

    template_name = "assessments/report_templates.html"
    scope_action = Action.MANAGE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not granted_paths(request.user, Action.MANAGE):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        code = request.GET.get("download", "")
        if code in TEMPLATES:
            path = report_docx.docx_template_path(code)
            return FileResponse(path.open("rb"), as_attachment=True, filename=f"{code}.docx")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["templates"] = [
            {"code": code, "label": label, "custom": report_docx.override_path(code).exists()}
            for code, label in TEMPLATES.items()
        ]
        return context

    def post(self, request, *args, **kwargs):
        code = request.POST.get("code", "")
        if code not in TEMPLATES:
            raise PermissionDenied
        try:
            if request.POST.get("op") == "reset":
                report_docx.remove_override(code)
                messages.success(request, _("The shipped template is in use again."))
            else:
                upload = request.FILES.get("file")
                if upload is None or upload.size > MAX_BYTES:
                    raise ValidationError(_("Choose a Word file (.docx) of at most 10 MB."))
                report_docx.save_override(code, upload.read())
                messages.success(request, _("The new template is in use."))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("assessments:report-templates")
