"""The list pages' faster rendering (issue 21, item 3) draws exactly what Django and
django-tables2 drew: the filter forms' widgets written in Python (core/fast_widgets.py) and a
table's rows in one pass (core/templatetags/table_body.py)."""

from __future__ import annotations

import re

from django.forms.renderers import get_default_renderer
from django.test import RequestFactory

from reformtrack.core.fast_widgets import FastWidgetRenderer
from reformtrack.core.filtersets import AuditRecordFilterSet
from reformtrack.core.models import AuditRecord
from reformtrack.core.tables import AuditRecordTable
from reformtrack.orgs.filtersets import OrganisationFilterSet
from reformtrack.orgs.models import Organisation
from reformtrack.orgs.tables import OrganisationTable
from reformtrack.programs.filtersets import LedgerFilterSet
from reformtrack.programs.models import LedgerTask


def fields_html(form, renderer) -> list[str]:
    form.renderer = renderer
    return [str(field) for field in form]


def both_renderings(form):
    return fields_html(form, get_default_renderer()), fields_html(form, FastWidgetRenderer())


def test_the_ledger_filters_read_the_same_empty_and_filled(people, programme, tree):
    request = RequestFactory().get("/")
    request.user = people["reform_office"]
    rows = LedgerTask.objects.all()
    empty = LedgerFilterSet(None, queryset=rows, request=request, programme=programme)
    django, fast = both_renderings(empty.form)
    assert fast == django and any("<option" in html for html in fast)
    area = programme.areas.first()
    data = {
        "q": 'a "quoted" <b>&amp; text', "org": str(tree["GROUP-A"].pk), "area": str(area.pk),
        "status": "done", "kind": "one_off", "main": "on", "overdue": "on",
    }  # fmt: skip
    filled = LedgerFilterSet(data, queryset=rows, request=request, programme=programme)
    django, fast = both_renderings(filled.form)
    assert fast == django
    assert any(" selected>" in html for html in fast) and any("checked" in html for html in fast)
    assert any("&lt;b&gt;&amp;amp;" in html for html in fast)  # the search text, escaped


def test_other_filter_forms_read_the_same(people, tree):
    request = RequestFactory().get("/")
    request.user = people["supervisor_admin"]
    for filterset in (
        OrganisationFilterSet({"q": "<x>"}, queryset=Organisation.objects.all(), request=request),
        AuditRecordFilterSet({}, queryset=AuditRecord.objects.all(), request=request),
    ):
        django, fast = both_renderings(filterset.form)
        assert fast == django


def squeezed(html: str) -> str:
    """The HTML with runs of whitespace and the space before '>' taken out (the templates
    indent; the one-pass rows do not)."""
    html = re.sub(r"\s+", " ", html)
    return re.sub(r" >", ">", re.sub(r"> <", "><", html))


def test_table_rows_read_as_django_tables2_draws_them(people, tree):
    request = RequestFactory().get("/")
    request.user = people["supervisor_admin"]
    for table in (
        OrganisationTable(Organisation.objects.all()),
        AuditRecordTable(AuditRecord.objects.all()),
    ):
        table.paginate(page=1, per_page=25)
        fast = table.as_html(request)
        table.template_name = "django_tables2/table.html"
        django = table.as_html(request)
        assert "<td" in fast and squeezed(fast) == squeezed(django)


def test_choice_labels_read_as_get_display_in_both_languages(programme):
    from django.utils import translation

    from reformtrack.core.templatetags.choice_labels import choice_label

    task = LedgerTask.objects.filter(programme=programme).first()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for status in ("not_started", "done", "no-such-status"):
                task.status = status
                assert choice_label(task, "status") == task.get_status_display()
            assert choice_label(task, "kind") == task.get_kind_display()
    with translation.override("en"):
        task.status = "done"
        english = choice_label(task, "status")
    with translation.override("zh-hans"):
        assert choice_label(task, "status") != english  # kept per language, not shared
