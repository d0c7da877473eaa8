"""Organisation list, tree browser, detail, create, edit and move."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, TemplateView

from reformtrack.core.exporters import csv_response, xlsx_response
from reformtrack.core.scoping import Action, can
from reformtrack.core.selectors.audit import history_of
from reformtrack.core.selectors.inbox import approvals_visible_to
from reformtrack.core.tables import TableViewMixin
from reformtrack.core.views.mixins import ScopedViewMixin

from .. import selectors, services
from ..filtersets import OrganisationFilterSet
from ..forms import MoveForm, OrganisationForm
from ..models import Organisation
from ..tables import OrganisationTable

EXPORT_COLUMNS = {
    "code": gettext_lazy("Code"),
    "uscc": gettext_lazy("Unified social credit code"),
    "name_zh": gettext_lazy("Name (Chinese)"),
    "name_en": gettext_lazy("Name (English)"),
    "short_name_zh": gettext_lazy("Short name (Chinese)"),
    "short_name_en": gettext_lazy("Short name (English)"),
    "parent": gettext_lazy("Parent code"),
    "kind": gettext_lazy("Kind"),
    "level": gettext_lazy("Level"),
    "active": gettext_lazy("Active"),
    "designations": gettext_lazy("Designations"),
}


class OrganisationListView(ScopedViewMixin, TableViewMixin, TemplateView):
    """`?export=` is the full record (the import's columns); `?shown=` exports what is shown."""

    model = Organisation
    table_key = "orgs.organisations"
    table_class = OrganisationTable
    filterset_class = OrganisationFilterSet
    template_name = "orgs/organisation_list.html"
    export_param = "shown"
    export_name = "organisations"
    export_title = gettext_lazy("Organisations")

    def get_queryset(self):
        return selectors.organisation_list(self.request.user)

    def get_table_rows(self):
        return self.get_queryset()

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            rows = self._export_rows()
            header = [str(label) for label in EXPORT_COLUMNS.values()]
            name = f"organisations-{timezone.localdate():%Y%m%d}.{export}"
            if export == "csv":
                return csv_response(name, header, rows)
            return xlsx_response(name, _("Organisations"), header, rows)
        return super().get(request, *args, **kwargs)

    def _export_rows(self):
        filtered = self.filterset_class(self.request.GET, queryset=self.get_queryset()).qs
        for record in selectors.organisation_records(filtered):
            record["designations"] = ", ".join(record["designations"])
            yield [record[key] for key in EXPORT_COLUMNS]


class OrganisationTreeView(ScopedViewMixin, TemplateView):
    model = Organisation
    template_name = "orgs/organisation_tree.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(nodes=selectors.top_organisations(self.request.user))


class OrganisationChildrenView(ScopedViewMixin, DetailView):
    """The children of one node, as list items for the tree browser (loaded on demand)."""

    model = Organisation
    template_name = "orgs/tree_children.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(nodes=selectors.children_of(self.request.user, self.object))


class OrganisationDetailView(ScopedViewMixin, DetailView):
    model = Organisation
    template_name = "orgs/organisation_detail.html"
    context_object_name = "org"

    def get_context_data(self, **kwargs):
        user, org = self.request.user, self.object
        children = selectors.children_of(user, org)
        return super().get_context_data(
            ancestors=selectors.ancestors_of(user, org),
            designations=selectors.designations_of(user, org),
            children=children[:100],
            children_count=children.count(),
            history=history_of(org)[:50],
            approvals=approvals_visible_to(user).filter(organisation=org)[:20],
            can_manage=can(user, Action.MANAGE, org),
            today=timezone.localdate(),
            **kwargs,
        )


class ServiceFormMixin:
    """Runs a service on a valid form; its ValidationErrors land on the form's fields."""

    def form_valid(self, form):
        try:
            self.result = self.run_service(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_success_url(self):
        return self.result.get_absolute_url()


class ManagedOrganisationMixin(ScopedViewMixin):
    """Pages that change the tree need `manage` on the organisation in the URL."""

    model = Organisation
    scope_action = Action.MANAGE

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.organisation = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(org=self.organisation, **kwargs)


class OrganisationCreateView(ManagedOrganisationMixin, ServiceFormMixin, FormView):
    """A new child of the organisation in the URL."""

    form_class = OrganisationForm
    template_name = "orgs/organisation_form.html"
    success_message = gettext_lazy("The organisation was created.")

    def get_initial(self):
        return {"kind": "subsidiary", "is_active": True}

    def get_context_data(self, **kwargs):
        title = _("New organisation under %(org)s") % {"org": self.organisation}
        return super().get_context_data(title=title, **kwargs)

    def run_service(self, form):
        return services.create_organisation(
            user=self.request.user, parent=self.organisation, **form.cleaned_data
        )


class OrganisationUpdateView(ManagedOrganisationMixin, ServiceFormMixin, FormView):
    form_class = OrganisationForm
    template_name = "orgs/organisation_form.html"
    success_message = gettext_lazy("The organisation was saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.organisation}

    def get_context_data(self, **kwargs):
        title = _("Edit %(org)s") % {"org": self.organisation}
        return super().get_context_data(title=title, **kwargs)

    def run_service(self, form):
        return services.update_organisation(
            user=self.request.user, organisation=self.organisation, **form.cleaned_data
        )


class OrganisationMoveView(ManagedOrganisationMixin, ServiceFormMixin, FormView):
    form_class = MoveForm
    template_name = "orgs/organisation_move.html"
    success_message = gettext_lazy("The organisation was moved with its subtree.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "parents": self.get_queryset()}

    def run_service(self, form):
        return services.move_organisation(
            user=self.request.user,
            organisation=self.organisation,
            new_parent=form.cleaned_data["parent_code"],
        )
