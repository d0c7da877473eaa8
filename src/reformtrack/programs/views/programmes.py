"""Programmes: the list, a programme's page (source, targets, library tasks, launches), loading
a library from a YAML file and launching a programme down the tree."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from reformtrack.core.libraries import LibraryError, install_library
from reformtrack.core.scoping import Action
from reformtrack.core.views.mixins import ScopedViewMixin

from ..forms import LaunchForm, LibraryUploadForm
from ..models import Programme
from ..selectors import ledger as selectors
from ..services import programmes as services


def add_service_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: on its visible fields where they exist, else
    above the form (a refused field the form does not show, a stale hidden version)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            shown = field in form.fields and not form.fields[field].widget.is_hidden
            form.add_error(field if shown else None, errors)  # a stale version: on top
    else:
        form.add_error(None, exc)


class ProgrammeMixin(ScopedViewMixin):
    """The programme named in the URL (reference data: every business user reads it)."""

    model = Programme
    scope_action = Action.VIEW

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_administrator:
            try:
                self.programme = selectors.programme_by_code(user, kwargs["code"])
            except Programme.DoesNotExist:
                raise Http404(_("No such programme.")) from None
            self.check_action(user)
        return super().dispatch(request, *args, **kwargs)

    def check_action(self, user) -> None:
        """Pages that do more than read refuse users without the action (403)."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(programme=self.programme, **kwargs)


class ProgrammeListView(ScopedViewMixin, TemplateView):
    model = Programme
    template_name = "programs/programme_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            programmes=selectors.programme_list(user),
            may_load=services.may_load_libraries(user),
            **kwargs,
        )


class ProgrammeDetailView(ProgrammeMixin, TemplateView):
    template_name = "programs/programme_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        library = selectors.programme_library(self.programme)
        return super().get_context_data(
            areas=library["areas"],
            targets=library["targets"],
            launches=selectors.launches_of(user, self.programme),
            may_launch=selectors.managed_organisations(user).exists(),
            may_load=services.may_load_libraries(user),
            **kwargs,
        )


class LibraryUploadView(ScopedViewMixin, FormView):
    """Supervisor administrators load a programme library; a refused file lists every error."""

    model = Programme
    scope_action = Action.MANAGE
    form_class = LibraryUploadForm
    template_name = "programs/library_upload.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        business = user.is_authenticated and not user.is_administrator
        if business and not services.may_load_libraries(user):
            raise PermissionDenied(_("Only supervisor administrators load libraries."))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        name = PurePath(upload.name).name
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
            return self.form_invalid(form)
        try:
            library, outcome = install_library(text, user=self.request.user, origin=name)
        except LibraryError as exc:
            return self.render_to_response(
                self.get_context_data(form=form, errors=exc.errors, file_name=name)
            )
        words = {
            "created": _("%(code)s version %(version)s was loaded."),
            "updated": _("%(code)s was updated to version %(version)s."),
            "unchanged": _("%(code)s version %(version)s is already loaded; nothing changed."),
        }
        text = words.get(outcome, words["created"])
        messages.success(self.request, text % {"code": library.code, "version": library.version})
        programme = Programme.objects.filter(library=library).first()
        if programme is None:
            return redirect("programs:programmes")
        return redirect(programme)


class LaunchView(ProgrammeMixin, FormView):
    """Launch the programme to an organisation the user manages, or by designation."""

    scope_action = Action.MANAGE
    form_class = LaunchForm
    template_name = "programs/launch.html"

    def check_action(self, user) -> None:
        self.organisations = selectors.managed_organisations(user)
        if not self.organisations.exists():
            raise PermissionDenied(_("You may not launch programmes."))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisations": self.organisations}

    def form_valid(self, form):
        """Queue the launch (a job: national scale is batch work) and show its progress."""
        user, data = self.request.user, form.cleaned_data
        try:
            job = services.start_launch(
                user=user,
                programme=self.programme,
                organisation=data["organisation"],
                designation=data["designation"].code if data["organisation"] is None else "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return redirect("core:job", pk=job.pk)
