"""The ledger in Excel: export (programme × subtree), a blank template, and the import page.

Importing is two steps: the upload is checked and shown as a preview (each task's changed fields
old → new, which become progress reports and which are plan changes, conflicts and errors) and
kept aside under a token; "confirm" imports that same file. Nothing is written before.
"""

import json
import re
import time
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from reformtrack.core.exporters import bytes_response
from reformtrack.core.importer import no_progress
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


TOKEN = re.compile(r"^[0-9a-f]{32}$")
KEEP_SECONDS = 24 * 3600


def pending_dir() -> Path:
    """Where uploads wait between preview and confirmation: beside MEDIA_ROOT, not in it."""
    default = Path(settings.MEDIA_ROOT).parent / "ledger-imports"
    path = Path(getattr(settings, "REFORMTRACK_IMPORT_DIR", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep_upload(upload, *, user, programme, root) -> str:
    """Keep the previewed file for its confirmation; drop files older than a day."""
    folder = pending_dir()
    now = time.time()
    for old in folder.iterdir():
        if now - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = uuid.uuid4().hex
    with (folder / f"{token}.xlsx").open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    owner = {"user": user.pk, "programme": programme.pk, "root": root.pk if root else None}
    (folder / f"{token}.json").write_text(json.dumps(owner))
    return token


def kept_upload(token: str, *, user, programme, root) -> Path | None:
    """The file kept under `token` for this user, programme and subtree, or None."""
    if not TOKEN.match(token or ""):
        return None
    folder = pending_dir()
    try:
        owner = json.loads((folder / f"{token}.json").read_text())
    except (OSError, ValueError):
        return None
    expected = {"user": user.pk, "programme": programme.pk, "root": root.pk if root else None}
    return folder / f"{token}.xlsx" if owner == expected else None


def drop_upload(token: str) -> None:
    for suffix in (".xlsx", ".json"):
        (pending_dir() / f"{token}{suffix}").unlink(missing_ok=True)


class LedgerImportView(LedgerFileMixin, View):
    """Upload a ledger file: a preview (or every error by row and column), then "confirm"."""

    scope_action = Action.CHANGE
    template_name = "programs/ledger_import.html"

    def get(self, request, code):
        self.load(request, code)
        return self.page(request, LedgerImportForm())

    def post(self, request, code):
        self.load(request, code)
        if "token" in request.POST:
            return self.confirm(request, request.POST["token"])
        form = LedgerImportForm(request.POST, request.FILES)
        result, token = None, ""
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = self.importer(request).run(upload, dry_run=True)
            if result.ok and result.preview.changes:
                token = keep_upload(
                    upload, user=request.user, programme=self.programme, root=self.root
                )
        return self.page(request, form, result, token=token)

    def confirm(self, request, token: str):
        path = kept_upload(token, user=request.user, programme=self.programme, root=self.root)
        if path is None or not path.is_file():
            notice = _("That preview has expired or was imported already; upload the file again.")
            return self.page(request, LedgerImportForm(), notice=notice)
        with path.open("rb") as handle:
            result = self.importer(request).run(handle)
        if result.ok:
            drop_upload(token)
        return self.page(request, LedgerImportForm(), result, done=result.ok)

    def importer(self, request, progress=no_progress):
        return LedgerImporter(
            user=request.user, programme=self.programme, root=self.root, progress=progress
        )

    def page(self, request, form, result=None, *, token="", done=False, notice=""):
        context = {
            "programme": self.programme,
            "root": self.root,
            "form": form,
            "result": result,
            "token": token,
            "done": done,
            "notice": notice,
            "query": request.GET.urlencode(),
        }
        return render(request, self.template_name, context)
