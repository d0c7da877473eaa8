"""Tables of the shared pages."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import AuditRecord


class AuditRecordTable(tables.Table):
    changes = tables.TemplateColumn(
        template_name="core/audit_changes_cell.html", orderable=False, verbose_name=_("Changes")
    )

    class Meta:
        model = AuditRecord
        fields = ("seq", "at", "actor_username", "ip", "action", "object_type", "object_repr")
        sequence = (*fields, "changes")
        order_by = "-seq"
