"""The audit administrator's pages: browse, filter, export, verify the chain."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from ..exporters import csv_response
from ..filtersets import AuditRecordFilterSet
from ..models import AdminRole
from ..selectors.audit import audit_records, verify_chain
from ..tables import AuditRecordTable, TableViewMixin
from .mixins import AdminRoleRequiredMixin


class AuditAdminMixin(AdminRoleRequiredMixin):
    admin_role = AdminRole.AUDIT


class AuditListView(AuditAdminMixin, TableViewMixin, TemplateView):
    table_key = "core.audit"
    table_class = AuditRecordTable
    filterset_class = AuditRecordFilterSet
    template_name = "core/audit_list.html"
    export_name = "audit"
    export_title = gettext_lazy("Audit log")

    def get_table_rows(self):
        return audit_records()


class AuditExportView(AuditAdminMixin, View):
    def get(self, request):
        records = AuditRecordFilterSet(request.GET, queryset=audit_records()).qs
        header = [
            _("Sequence"), _("Time"), _("User"), _("Address"), _("Action"),
            _("Object type"), _("Object id"), _("Object"), _("Changes"), _("On approval"),
            _("Key"), _("Hash"),
        ]  # fmt: skip
        rows = (
            (r.seq, r.at.isoformat(), r.actor_username, r.ip, r.action, r.object_type,
             r.object_id, r.object_repr, r.changes, r.on_approval or "", r.key_id, r.hash)
            for r in records.iterator(chunk_size=2000)
        )  # fmt: skip
        return csv_response("audit.csv", header, rows)


class AuditVerifyView(AuditAdminMixin, TemplateView):
    """Checks the chain against the newest checkpoint; reading it appends no checkpoint (the
    `audit verify` command does)."""

    template_name = "core/audit_verify.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=verify_chain(), **kwargs)
