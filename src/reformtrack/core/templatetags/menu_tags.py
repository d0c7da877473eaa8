"""The top menu in groups (dropdowns), so that it fits one line at 1280 px in either language:
the apps' entries (AppConfig.nav) are placed in a group by URL name; an entry no group names
is shown on its own."""

from __future__ import annotations

from types import SimpleNamespace

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..context_processors import nav_for

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


# Rendered menus: (template, language, admin role, entries shown, URL prefix, urlconf) → HTML.
# What they show is fixed once the apps and URLs are loaded (no data; per user only the admin
# role and which entries they can open), so each is rendered once per process instead of
# reversing a dozen URLs on every page.
_rendered: dict[tuple, str] = {}


def _once(template_name: str, context, with_entries: bool = False) -> str:
    user = context.get("user")
    role = getattr(user, "admin_role", "") or ""
    entries = nav_for(user) if with_entries and not role and user is not None else ()
    names = tuple(name for name, _label in entries)
    key = (template_name, get_language(), role, names, get_script_prefix(), get_urlconf())
    html = _rendered.get(key)
    if html is None:
        shown = {"user": SimpleNamespace(admin_role=role), "app_nav": entries}
        html = _rendered[key] = mark_safe(render_to_string(template_name, shown))
    return html


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    """The business menu of base.html's header (core/main_menu.html), as the user's admin role
    and language show it."""
    return _once("core/main_menu.html", context, with_entries=True)


@register.simple_tag(takes_context=True)
def account_links(context) -> str:
    """The account menu's links (core/account_links.html), before the sign-out form."""
    return _once("core/account_links.html", context)
