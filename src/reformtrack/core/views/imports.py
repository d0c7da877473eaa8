"""The page of an all-or-nothing Excel import, shared by every app: the upload form, then the
importer's result (every bad row listed, or what was written)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.generic import View

from ..scoping import Action, granted_paths
from .mixins import BusinessViewMixin


class ExcelImportView(BusinessViewMixin, View):
    """Subclasses name `template_name`, `form_class` (a file and a `dry_run` box) and
    `importer_class` (built on core.importer, which checks each row's scope itself)."""

    scope_action = Action.CHANGE
    template_name: str = ""
    form_class = None
    importer_class = None

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_administrator
            and not granted_paths(user, Action.CHANGE)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": self.form_class()})

    def post(self, request):
        form = self.form_class(request.POST, request.FILES)
        result, warnings = None, []
        if form.is_valid():
            importer = self.importer_class(user=request.user)
            result = importer.run(form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
            warnings = getattr(importer, "warnings", [])
        context = {"form": form, "result": result, "warnings": warnings}
        return render(request, self.template_name, context)
