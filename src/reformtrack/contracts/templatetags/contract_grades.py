"""`{% grade_name result %}`: a result's grade as the reader's language names it."""

from django import template
from django.utils.translation import get_language

from ..selectors import grade_names

register = template.Library()


@register.simple_tag(takes_context=True)
def grade_name(context, result) -> str:
    """The stored grade name is the rules' Chinese one (kept as scored); other languages read
    the rules libraries' own name for it (one query a page), else the stored one."""
    label = result.grade_label
    if (get_language() or "").startswith("zh"):
        return label
    names = context.render_context.get("grade_names")
    if names is None:
        names = context.render_context["grade_names"] = grade_names()
    return names.get(label, label)
