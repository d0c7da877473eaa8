"""Roll-up figures in templates: percentages, signal badges, and each programme's summary of
an organisation's subtree (`{% programme_rollups org %}` on the organisation page)."""

from __future__ import annotations

from django import template

from ..choices import BASIS_LABELS, Signal
from ..selectors.dashboard import subtree_summaries

register = template.Library()

# The stylesheet's status colours: green, amber, red.
SIGNAL_CLASSES = {
    Signal.GREEN: "approved",
    Signal.AMBER: "pending",
    Signal.RED: "returned",
    Signal.NONE: "",
}


@register.filter
def pct(value) -> str:
    """97.8 → "97.8%"; no figure (nothing to count) → "—"."""
    return "—" if value is None or value == "" else f"{value}%"


@register.filter
def basis_label(value) -> str:
    """A target basis in the pages' words (see choices.BASIS_LABELS)."""
    return str(BASIS_LABELS.get(value, value))


@register.filter
def signal_class(value) -> str:
    return f"rag-{value} {SIGNAL_CLASSES.get(value, '')}".strip()


@register.filter
def signal_label(value) -> str:
    try:
        return str(Signal(value).label)
    except ValueError:
        return ""


@register.inclusion_tag("programs/_rollup.html", takes_context=True)
def programme_rollups(context, organisation):
    """For each programme with rows in the organisation's subtree that the user sees: the
    headline figures against the target, linking to the programme's dashboard of that subtree."""
    from ..views.dashboard import dashboard_url

    request = context.get("request")
    user = getattr(request, "user", None)
    summaries = subtree_summaries(user, organisation) if user is not None else []
    for summary in summaries:
        summary.url = dashboard_url(summary.programme, organisation)
    return {"rollups": summaries, "compact": True, "organisation": organisation}


@register.inclusion_tag("programs/_overdue_home.html", takes_context=True)
def overdue_tasks_by_programme(context):
    """The home page's overdue count of each programme, each linking to its filtered ledger."""
    from django.urls import reverse

    from ..selectors.ledger import overdue_by_programme

    request = context.get("request")
    user = getattr(request, "user", None)
    rows = overdue_by_programme(user) if user is not None else []
    return {
        "overdue": [
            (p, n, reverse("programs:ledger", args=[p.code]) + "?overdue=on") for p, n in rows
        ]
    }
