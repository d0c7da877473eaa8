"""The ledger in Excel: export (programme × subtree), a blank template, and the import page.

Importing is two jobs (services/ledger_import_jobs.py): the upload is kept aside under a token
and checked, its page shows the preview (each task's changed fields old → new, which become
progress reports and which are plan changes, conflicts and errors); "confirm" imports that same
file. Nothing is written before, and no request reads the file itself.
"""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from reformtrack.core.exporters import bytes_response
from reformtrack.core.models import Job
from reformtrack.core.models.jobs import JobState
from reformtrack.core.scoping import Action
from reformtrack.core.views.mixins import BusinessViewMixin
from reformtrack.orgs.models import Organisation

from ..exporters import ledger_filename, ledger_xlsx, template_xlsx
from ..models import Programme
from ..services import ledger_import_jobs as jobs


class LedgerImportForm(forms.Form):
    file = forms.FileField(
        label=_("Ledger file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class LedgerFileMixin(BusinessViewMixin):
    """The programme in the URL and the optional `?org=<pk>` subtree, both within the user's
    scope for `scope_action`: anything else is a 404."""

    model = Programme
    scope_action = Action.VIEW

    def load(self, request, code: str) -> None:
        self.programme = get_object_or_404(
            Programme.objects.visible_to(request.user, self.scope_action), code=code
        )
        self.root = None
        org = request.GET.get("org", "")
        if org:
            if not org.isdigit():
                raise Http404
            self.root = get_object_or_404(
                Organisation.objects.visible_to(request.user, self.scope_action), pk=org
            )
        self.language = "en" if request.GET.get("lang") == "en" else "zh"


class LedgerExportView(LedgerFileMixin, View):
    def get(self, request, code):
        self.load(request, code)
        data = ledger_xlsx(
            user=request.user, programme=self.programme, root=self.root, language=self.language
        )
        return bytes_response(ledger_filename(self.programme, self.root), data)


class LedgerTemplateView(LedgerFileMixin, View):
    def get(self, request, code):
        self.load(request, code)
        data = template_xlsx(programme=self.programme, language=self.language)
        return bytes_response(ledger_filename(self.programme, blank=True), data)


class LedgerImportView(LedgerFileMixin, View):
    """Upload a ledger file: a preview job checks it; its page shows every change (or every
    error by row and column) and "confirm" starts the job that imports that same file."""

    scope_action = Action.CHANGE
    template_name = "programs/ledger_import.html"

    def get(self, request, code):
        self.load(request, code)
        job = None
        preview = request.GET.get("preview", "")
        if preview.isdigit():
            job = (
                Job.objects.visible_to(request.user)
                .filter(pk=preview, owner=request.user, kind="ledger_import_preview")
                .first()
            )
            if job is None:
                raise Http404
        return self.page(request, LedgerImportForm(), job=job)

    def post(self, request, code):
        self.load(request, code)
        if "token" in request.POST:
            return self.confirm(request, request.POST["token"])
        form = LedgerImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, form)
        job = jobs.start_preview(user=request.user, programme=self.programme, root=self.root,
                                 upload=form.cleaned_data["file"])  # fmt: skip
        return redirect(jobs.import_url(self.programme, self.root, preview=job.pk))

    def confirm(self, request, token: str):
        path = jobs.kept_upload(token, user=request.user, programme=self.programme, root=self.root)
        if path is None:
            notice = _("That preview has expired or was imported already; upload the file again.")
            return self.page(request, LedgerImportForm(), notice=notice)
        job = jobs.start_import(
            user=request.user, programme=self.programme, root=self.root, token=token
        )
        return redirect("core:job", pk=job.pk)

    def page(self, request, form, *, job=None, notice=""):
        context = {
            "programme": self.programme,
            "root": self.root,
            "form": form,
            "job": job,
            "preview": job.result if job is not None and job.state == JobState.DONE else None,
            "notice": notice,
            "query": request.GET.urlencode(),
            "org_query": f"org={self.root.pk}" if self.root else "",
        }
        return render(request, self.template_name, context)
