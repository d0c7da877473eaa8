"""The system administrator's pages: configuration data such as designation kinds."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, ListView, UpdateView

from reformtrack.core.models import AdminRole
from reformtrack.core.views.mixins import AdminRoleRequiredMixin

from ..forms import DesignationKindForm
from ..models import DesignationKind


class SystemAdminMixin(AdminRoleRequiredMixin):
    admin_role = AdminRole.SYSTEM
    model = DesignationKind


class DesignationKindListView(SystemAdminMixin, ListView):
    template_name = "orgs/designationkind_list.html"


class DesignationKindCreateView(SystemAdminMixin, CreateView):
    form_class = DesignationKindForm
    template_name = "orgs/designationkind_form.html"
    success_url = reverse_lazy("orgs:designation_kinds")
    extra_context = {"title": _("New designation kind")}


class DesignationKindUpdateView(SystemAdminMixin, UpdateView):
    form_class = DesignationKindForm
    template_name = "orgs/designationkind_form.html"
    success_url = reverse_lazy("orgs:designation_kinds")
    extra_context = {"title": _("Edit designation kind")}
