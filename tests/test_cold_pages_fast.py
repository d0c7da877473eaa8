"""The first read after a write draws less (issue 21, item 3, cold pages, second round): what a
user or an API client gets must be what it was, and an edit must show on the very next read.

These tests run inside a transaction, where the page cache is neither read nor kept: every
read below is a cold one."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from django.core.paginator import EmptyPage

from reformtrack.programs.api.serializers import LedgerTaskSerializer
from reformtrack.programs.models import LedgerTask
from reformtrack.programs.services import tasks

TASKS = "/api/programs/tasks/"


def as_json(data):
    return json.loads(json.dumps(data, default=str))


def test_the_api_task_list_from_plain_values_is_the_serializer_of_whole_rows(
    api_for, people, programme
):
    """Every row of every page (nulls, decimals, dates, times, a parent's code) is what
    `LedgerTaskSerializer` writes of the whole task with its related rows."""
    rows = LedgerTask.objects.filter(programme=programme).order_by("code")
    first, second = rows[0], rows[1]
    LedgerTask.objects.filter(pk=second.pk).update(
        parent=first, weight=Decimal("2.50"), percent=Decimal("12.5"), indicator_target=None,
        completed_on=None, owner="",
    )  # fmt: skip
    client = api_for(people["reform_office"])
    for query in ("?limit=3", "?limit=3&offset=1", "?limit=500"):
        listed = client.get(f"{TASKS}{query}").json()
        ids = [row["id"] for row in listed["results"]]
        assert ids
        whole = LedgerTask.objects.select_related("programme", "area", "organisation", "parent")
        found = {task.pk: task for task in whole.filter(pk__in=ids)}
        expected = LedgerTaskSerializer([found[pk] for pk in ids], many=True).data
        assert listed["results"] == as_json(expected)
    assert any(row["parent"] == first.code for row in listed["results"])


def test_an_edit_shows_on_the_next_api_list_read(api_for, people, programme):
    user = people["reform_office"]
    client = api_for(user)
    task = LedgerTask.objects.filter(programme=programme).order_by("code").first()
    listed = {row["id"]: row for row in client.get(f"{TASKS}?limit=500").json()["results"]}
    assert task.pk in listed
    tasks.update_task(user=user, task=task, title="冷读新标题")
    listed = {row["id"]: row for row in client.get(f"{TASKS}?limit=500").json()["results"]}
    assert listed[task.pk]["title"] == "冷读新标题"
    assert listed[task.pk]["version"] == task.version + 1


def _stored_rows_by_orm(model, user, programme, root, children, *columns):
    """What `rollup._stored_rows` read through the ORM before its SQL was compiled once."""
    from reformtrack.orgs.models import Organisation
    from reformtrack.programs.selectors.rollup import _visible_parts

    stored = model.objects.filter(programme=programme)
    parts = _visible_parts(user, root)
    depth = len(root.path) // Organisation.steplen
    if parts is not None:
        found = stored.filter(subtree=True, org_path__in=parts)
    elif not children:
        found = stored.filter(subtree=True, depth=depth, org_path=root.path)
    else:
        below = stored.filter(subtree=True, depth=depth + 1, org_path__prefix=root.path)
        found = below.union(stored.filter(subtree=False, organisation=root), all=True)
    return list(found.values_list("org_path", "subtree", *columns))


def test_stored_tallies_read_by_compiled_sql_are_what_the_orm_reads(people, programme, tree):
    """The dashboard's stored tallies (`rollup._stored_rows`) through SQL compiled once per
    key: the same rows, converted alike (decimals, booleans), for a user who sees the whole
    subtree and one who sees a part of it, the root's own rows or its children's; a changed
    tally shows on the next read (the SQL is kept, the rows are read fresh)."""
    from reformtrack.programs.counting import TALLY_FIELDS
    from reformtrack.programs.models import CoverageTally, LedgerTally
    from reformtrack.programs.selectors.rollup import _stored_rows

    cases = [
        (people["supervisor_admin"], tree["SASAC"]),
        (people["reform_office"], tree["GROUP-A"]),
        (people["contributor"], tree["GROUP-A"]),  # sees only a part of the subtree
        (people["outsider"], tree["GROUP-A"]),  # sees none of it
        (None, tree["SASAC"]),
    ]
    tables = [
        (LedgerTally, ("area_id", *TALLY_FIELDS)),
        (CoverageTally, ("template_id", "applicable", "done")),
    ]
    for _twice in range(2):  # compiled on the first read, reused on the second
        for user, root in cases:
            for model, columns in tables:
                for children in (False, True):
                    got = _stored_rows(model, user, programme, root, children, *columns)
                    want = _stored_rows_by_orm(model, user, programme, root, children, *columns)
                    assert sorted(map(repr, got)) == sorted(map(repr, want))
    user, root = people["supervisor_admin"], tree["SASAC"]
    columns = ("area_id", *TALLY_FIELDS)
    before = _stored_rows(LedgerTally, user, programme, root, False, *columns)
    assert before
    LedgerTally.objects.filter(programme=programme, org_path=root.path, subtree=True).update(
        tasks=12345
    )
    after = _stored_rows(LedgerTally, user, programme, root, False, *columns)
    assert all(row[3 + TALLY_FIELDS.index("tasks")] == 12345 for row in after)


LEDGER = "/programmes/MINI/ledger/"


def _ledger_rows_without_compiled_sql(user, programme, query: dict, per_page: int):
    """The codes of the page's rows and the count, drawn the way the ledger did before its
    rows' and count's SQL was compiled once per key: the filter, the table's sort, the page."""
    from django.test import RequestFactory

    from reformtrack.programs.filtersets import LedgerFilterSet
    from reformtrack.programs.selectors import ledger as selectors
    from reformtrack.programs.tables import LedgerTable, page_rows

    request = RequestFactory().get(LEDGER, query)
    request.user = user
    data = {k: v for k, v in query.items() if k not in ("sort", "page", "per_page")}
    filterset = LedgerFilterSet(
        data or None, queryset=selectors.ledger(user, programme), request=request,
        programme=programme,
    )  # fmt: skip
    valid = not filterset.is_bound or filterset.is_valid()
    table = LedgerTable(filterset.qs if valid else selectors.ledger(user, programme).none())
    if query.get("sort"):
        table.order_by = query["sort"]
    try:
        table.paginate(page=int(query.get("page", 1)), per_page=per_page)
    except EmptyPage:  # as the view: past the last page, the first
        table.paginate(page=1, per_page=per_page)
    return [row.code for row in page_rows(table.paginated_rows.data)], table.paginator.count


def test_the_ledger_rows_and_count_by_compiled_sql_are_what_the_orm_reads(
    client_for, people, programme, tree
):
    """The ledger's page rows and count are read by SQL compiled once per programme, reader,
    grants, filter values and day (and the rows' order and bounds): for readers of different
    scopes, filters, sorts and pages, the rows and count shown are what the ORM reads; a
    second read (compiled SQL reused) reads fresh rows; readers never share another's rows."""
    from reformtrack.orgs.models import Organisation

    task = LedgerTask.objects.filter(programme=programme).order_by("code").first()
    for i in range(30):  # enough rows in group A's scope for a second page of 25
        copy = LedgerTask.objects.get(pk=task.pk)
        copy.pk, copy.code, copy.parent = None, f"{task.code}-C{i:02}", None
        copy.save()
    queries = [
        {}, {"sort": "-deadline"}, {"sort": "organisation", "per_page": "25", "page": "2"},
        {"status": "not_started"}, {"org": str(tree["A-SUB"].pk)}, {"q": task.code},
        {"main": "on"}, {"overdue": "on"}, {"org": "999999"},  # an invalid choice: no rows
    ]  # fmt: skip
    readers = ["reform_office", "outsider", "contributor", "supervisor_admin"]
    seen = {}
    for _twice in range(2):
        for name in readers:
            user = people[name]
            for query in queries:
                client = client_for(user)  # no table cookie (page size) from another query
                response = client.get(LEDGER, query)
                assert response.status_code == 200
                html = response.content.decode()
                per_page = int(query.get("per_page", 50))
                codes, count = _ledger_rows_without_compiled_sql(user, programme, query, per_page)
                shown = re.findall(r'<tr data-task="([^"]+)"', html)
                assert shown == codes, (name, query)
                seen[name, tuple(query.items())] = shown
                counted = re.search(r'data-testid="ledger-count">[^<]*?(\d+)', html).group(1)
                assert int(counted) == count, (name, query)
    assert seen["reform_office", ()] and seen["outsider", ()]  # both scopes hold rows
    assert not set(seen["reform_office", ()]) & set(seen["outsider", ()])
    assert seen["reform_office", (("status", "not_started"),)]
    assert len(seen["reform_office", ()]) > 25  # the sorted second page is a real one
    assert seen["reform_office", (("sort", "organisation"), ("per_page", "25"), ("page", "2"))]
    # fresh rows under a kept key: an edit and a rename read by the next page
    user = people["reform_office"]
    client = client_for(user)
    tasks.update_task(user=user, task=task, title="已编译的新标题")
    assert "已编译的新标题" in client.get(LEDGER).content.decode()
    Organisation.objects.filter(pk=tree["A-SUB"].pk).update(name_zh="改名的子公司二")
    html = client.get(LEDGER, {"org": str(tree["A-SUB"].pk)}).content.decode()
    assert "<td>改名的子公司二</td>" in html
