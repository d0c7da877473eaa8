"""The top menu in groups (dropdowns), so that it fits one line at 1280 px in either language:
the apps' entries (AppConfig.nav) are placed in a group by URL name; an entry no group names
is shown on its own."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Group label → URL names of the apps' menu entries it holds, in this order.
GROUPS = [
    (_("Reform work"), ["programs:programmes", "assessments:campaigns", "contracts:home"]),
    (_("Analysis"), ["kpis:home", "chains:list", "documents:list"]),
]


@register.simple_tag
def menu_groups(app_nav) -> list[dict]:
    """[{"label", "entries": [(url name, label)]}] for the business menu; a group with one
    entry is shown as a plain link (label None)."""
    declared = dict(app_nav or [])
    declared.setdefault("programs:programmes", _("Programmes"))
    placed: set[str] = set()
    menu = []
    for label, names in GROUPS:
        entries = [(name, declared[name]) for name in names if name in declared]
        placed.update(name for name, _label in entries)
        if entries:
            menu.append({"label": label if len(entries) > 1 else None, "entries": entries})
    menu.extend(
        {"label": None, "entries": [(name, text)]}
        for name, text in declared.items()
        if name not in placed
    )
    return menu
