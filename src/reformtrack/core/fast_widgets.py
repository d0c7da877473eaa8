"""A form renderer that writes the common widgets (inputs, checkboxes, selects) in Python.

Django renders every widget, every option of a select and every attribute list through its
template engine: on a list page's filter form that was a fifth of the page's time. This
renderer writes the same HTML as Django's own widget templates for those widgets and hands any
other template to Django's renderer, so a form looks and behaves the same either way
(tests/test_page_speed.py compares the two renderings of each filter form)."""

from __future__ import annotations

from django.forms.renderers import get_default_renderer
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
INPUTS = {
    WIDGETS + name + ".html"
    for name in (
        "input", "text", "checkbox", "date", "number", "search", "email", "url", "tel",
        "hidden", "password", "time", "datetime", "color",
    )
}  # fmt: skip


def _text(value) -> str:
    """`{{ value|stringformat:'s' }}`: formatted with %s, escaped unless it was safe."""
    text = "%s" % (value,)  # noqa: UP031 - the filter's own formatting, tuples included
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _label(value) -> str:
    """`{{ value }}`: localized (numbers, dates) and escaped."""
    return conditional_escape(value if isinstance(value, str) else localize(value))


def _attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"`, a bare name for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {name}")
        else:
            out.append(f' {name}="{_text(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_text(value)}"'
    return (
        f'<input type="{_label(widget["type"])}" '
        f'name="{_label(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_label(option['label'])}</option>"
    )


def _select(widget: dict) -> str:
    parts = [f'<select name="{_label(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_label(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != WIDGETS + "select_option.html":
                return ""  # an option drawn by another template: leave it to Django
            parts.append("\n  " + _option(option) + "\n")  # the option template's own newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FastWidgetRenderer:
    """Django's form renderer, with inputs and selects written in Python."""

    def __init__(self, fallback=None):
        self.fallback = fallback or get_default_renderer()
        self.form_template_name = self.fallback.form_template_name
        self.formset_template_name = self.fallback.formset_template_name
        self.field_template_name = self.fallback.field_template_name

    def get_template(self, template_name):
        return self.fallback.get_template(template_name)

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        html = ""
        if widget is not None:
            if template_name in INPUTS:
                html = _input(widget)
            elif template_name == WIDGETS + "select.html":
                html = _select(widget)
        if html:
            return mark_safe(html)  # noqa: S308 - every value above is escaped
        return self.fallback.render(template_name, context, request=request)
