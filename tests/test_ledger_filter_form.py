"""The ledger filter's form class is built once per key (the programme and the reader's grants)
and kept; its choices and its validation still read the database fresh on every request. The
form must draw and clean exactly as one built for the request alone, and a rename must show on
the very next read. The ledger table copies its columns one by one, and draws the same.

These tests run inside a transaction, where the page cache is neither read nor kept: every
read below is a cold one."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import translation

from reformtrack.core.tables import FILTER_RENDERER, ColumnsCopiedOneByOne
from reformtrack.orgs.models import Organisation
from reformtrack.programs.filtersets import LedgerFilterSet
from reformtrack.programs.models import Area
from reformtrack.programs.selectors.ledger import ledger
from reformtrack.programs.tables import LedgerTable

LEDGER = "/programmes/MINI/ledger/"


def drawn(user, programme, query: str, *, kept: bool):
    request = RequestFactory().get(LEDGER, QueryDict(query))
    request.user = user
    filterset = LedgerFilterSet(
        request.GET or None, queryset=ledger(user, programme), request=request,
        programme=programme,
    )  # fmt: skip
    if not kept:
        filterset.form_key = None  # a form class of its own, as django-filter builds it
    form = filterset.form
    form.renderer = FILTER_RENDERER
    valid = not filterset.is_bound or filterset.is_valid()
    html = [(field.name, field.label_tag(), str(field), str(field.errors)) for field in form]
    cleaned = sorted(form.cleaned_data.items()) if filterset.is_bound else None
    rows = sorted(filterset.qs.values_list("pk", flat=True)) if valid else None
    return type(form), (valid, html, cleaned, rows)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_kept_form_class_draws_and_cleans_as_a_new_one(people, programme, tree, language):
    sub, other = tree["A-SUB"], tree["GROUP-B"]
    area = Area.objects.filter(programme=programme).order_by("position").first()
    queries = [
        "",
        f"org={sub.pk}",
        f"org={other.pk}",
        f"area={area.pk}",
        "area=999999",
        "status=done&kind=one_off",
        "status=nonsense",
        "q=%E4%BB%BB&main=on&overdue=on",
        f"org={tree['GROUP-A'].pk}&area={area.pk}&status=in_progress",
    ]
    with translation.override(language):
        for reader in ("reform_office", "contributor", "viewer", "outsider", "supervisor_admin"):
            user = people[reader]
            classes = set()
            for query in queries:
                kept_class, kept = drawn(user, programme, query, kept=True)
                new_class, new = drawn(user, programme, query, kept=False)
                assert kept == new, (reader, query)
                assert kept_class is not new_class
                classes.add(kept_class)
            assert len(classes) == 1  # built once for this reader, then kept
        assert (
            drawn(people["viewer"], programme, "", kept=True)[0]
            is drawn(people["reform_office"], programme, "", kept=True)[0]
        )  # the same grants (group A): the same form class
        assert (
            drawn(people["outsider"], programme, "", kept=True)[0]
            is not drawn(people["reform_office"], programme, "", kept=True)[0]
        )


def test_a_rename_shows_in_the_kept_form_at_once(client_for, people, programme, tree):
    client = client_for(people["reform_office"])
    area = Area.objects.filter(programme=programme).order_by("position").first()
    sub = tree["A-SUB"]
    client.get(LEDGER)  # the form class is kept from here on
    Area.objects.filter(pk=area.pk).update(name_zh="改名的领域")
    Organisation.objects.filter(pk=sub.pk).update(name_zh="改名的子公司")
    html = client.get(f"{LEDGER}?area={area.pk}&org={sub.pk}").content.decode()
    assert f'<option value="{area.pk}" selected>改名的领域</option>' in html
    assert "改名的子公司" in html.split('<select name="org"')[1].split("</select>")[0]
    added = Area.objects.create(
        programme=programme, code="NEW-AREA", name_zh="新加的领域", name_en="Added", position=99
    )
    html = client.get(f"{LEDGER}?area={added.pk}").content.decode()  # a choice at once
    assert f'<option value="{added.pk}" selected>新加的领域</option>' in html


def test_the_ledger_table_copies_its_columns_one_by_one_and_draws_the_same(people, programme, rf):
    """The ledger table's columns are copied one by one, not deeply: each table still has its
    own (hiding a column on one leaves the class and the next table alone), and the table draws
    what one of deep-copied columns draws."""
    # a subclass of its own: django-tables2 deep-copies its columns
    deep = type("DeepCopiedLedgerTable", (LedgerTable,), {"Meta": LedgerTable.Meta})
    assert not isinstance(deep.base_columns, ColumnsCopiedOneByOne)
    user = people["reform_office"]
    rows = ledger(user, programme)
    for query, hidden in (({}, ()), ({"sort": "-deadline"}, ("area", "select")), ({}, ("code",))):
        request = rf.get(LEDGER, query)
        request.user = user
        drawn = []
        for table_class in (LedgerTable, deep):
            table = table_class(rows, order_by=query.get("sort"))
            for name in hidden:
                table.columns.hide(name)
            table.paginate(per_page=3)
            drawn.append(table.as_html(request))
        assert drawn[0] == drawn[1]
    one, two = LedgerTable(rows), LedgerTable(rows)
    one.columns.hide("title")
    assert not one.columns["title"].visible and two.columns["title"].visible
    assert LedgerTable.base_columns["title"].visible
    assert one.columns["title"].column is not LedgerTable.base_columns["title"]
    assert one.columns["kind"].column.attrs is not two.columns["kind"].column.attrs
