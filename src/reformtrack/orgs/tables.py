"""Tables of the organisation pages."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..core.scoping import Action, can
from .models import Organisation


class OrganisationTable(tables.Table):
    code = tables.Column(linkify=True)
    name = tables.Column(
        linkify=True, order_by=("name_zh",), verbose_name=_("Name"), accessor="name"
    )
    short_name = tables.Column(
        order_by=("short_name_zh",), verbose_name=_("Short name"), accessor="short_name"
    )
    parent = tables.Column(verbose_name=_("Parent"))
    designations = tables.TemplateColumn(
        template_name="orgs/designations_cell.html",
        accessor="current_designations",
        orderable=False,
        verbose_name=_("Designations"),
    )
    is_active = tables.BooleanColumn(verbose_name=_("Active"))

    class Meta:
        model = Organisation
        fields = ("code", "name", "short_name", "kind", "level", "parent", "uscc", "is_active")
        sequence = ("code", "name", "short_name", "kind", "level", "parent", "designations", "uscc")
        order_by = "path"

    def render_parent(self, value):
        """A link only where the reader may open the parent: above their grant it is a name."""
        request = getattr(self, "request", None)
        if request is not None and can(request.user, Action.VIEW, value):
            return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value)
        return str(value)
