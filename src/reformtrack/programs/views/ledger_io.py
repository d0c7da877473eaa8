"""The ledger in Excel: export (programme × subtree), a blank template, and the import page."""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from reformtrack.core.exporters import bytes_response
from reformtrack.core.scoping import Action
from reformtrack.core.views.mixins import BusinessViewMixin
from reformtrack.orgs.models import Organisation

from ..exporters import ledger_filename, ledger_xlsx, template_xlsx
from ..importers import LedgerImporter
from ..models import Programme


class LedgerImportForm(forms.Form):
    file = forms.FileField(
        label=_("Ledger file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    dry_run = forms.BooleanField(
        label=_("Check only: validate and count, write nothing"), required=False
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
    """Upload a ledger file: every error listed by row and column, or the counts."""

    scope_action = Action.CHANGE
    template_name = "programs/ledger_import.html"

    def get(self, request, code):
        self.load(request, code)
        return self.page(request, LedgerImportForm())

    def post(self, request, code):
        self.load(request, code)
        form = LedgerImportForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            importer = LedgerImporter(user=request.user, programme=self.programme, root=self.root)
            result = importer.run(form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
        return self.page(request, form, result)

    def page(self, request, form, result=None):
        context = {
            "programme": self.programme,
            "root": self.root,
            "form": form,
            "result": result,
            "query": request.GET.urlencode(),
        }
        return render(request, self.template_name, context)
