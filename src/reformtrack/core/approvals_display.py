"""What an approver sees of the item they decide: each app registers, per model, a callable
that renders its object's changes, evidence and links on the approval page.

    register(ProgressReport, report_display)   # in the app's ready()

The callable gets (approval request, user) and returns a `Display` (template and context), or
None when the user may not see the object; it reads through the app's scoped selectors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from django.template.loader import render_to_string


class Display(NamedTuple):
    template: str
    context: dict


_registry: dict[str, Callable] = {}


def register(model, display: Callable) -> None:
    """Show approvals of `model` objects with `display(request_obj, user) -> Display | None`."""
    _registry[model._meta.label_lower] = display


def display_for(approval, user) -> Display | None:
    model = approval.content_type.model_class()
    display = _registry.get(model._meta.label_lower) if model is not None else None
    return display(approval, user) if display is not None else None


def render_display(approval, user, request=None) -> str:
    """The registered view of the approval's object as HTML, or "" when there is none."""
    shown = display_for(approval, user)
    if shown is None:
        return ""
    return render_to_string(shown.template, {"approval": approval, **shown.context}, request)
