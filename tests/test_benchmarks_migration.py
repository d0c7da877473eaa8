"""Benchmarks move from chains to orgs without losing a row: chains 0002 copies every
chains.Benchmark into orgs.Benchmark (linked to the organisation's benchmark designation when it
has one) and drops the old table; migrating back copies them back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("chains", "0001_initial"), ("orgs", "0002_designation_kinds")]
AFTER = [("chains", "0002_benchmarks_to_orgs"), ("orgs", "0003_benchmarks")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rows_survive_the_move_and_the_way_back():
    old = _migrate(BEFORE)
    Organisation = old.get_model("orgs", "Organisation")
    # The kind orgs 0002 puts in (get_or_create: a live-server test may have flushed it).
    kind, _new = old.get_model("orgs", "DesignationKind").objects.get_or_create(
        code="MGMT_BENCHMARK",
        defaults={"name_zh": "管理标杆企业", "name_en": "Management benchmark enterprise",
                  "sort_order": 40},
    )  # fmt: skip
    sasac = Organisation.objects.create(
        path="0009Z", depth=1, code="MIG-SASAC", name_zh="国资委", kind="supervisor", level=0
    )
    firm = Organisation.objects.create(
        path="0009Z00001", depth=2, code="MIG-FIRM", name_zh="标杆企业", kind="group", level=1,
        parent_id=sasac.pk,
    )  # fmt: skip
    held = old.get_model("orgs", "Designation").objects.create(
        organisation=firm, kind=kind, valid_from=dt.date(2021, 8, 1)
    )
    Old = old.get_model("chains", "Benchmark")
    Old.objects.create(kind="enterprise", organisation=firm, name="标杆企业", areas=["it"],
                       supervisor=sasac, year=2021, source="seeds/004")  # fmt: skip
    Old.objects.create(kind="model", name="某模式", areas=[], supervisor=sasac, year=2021)

    new = _migrate(AFTER)
    rows = {b.name: b for b in new.get_model("orgs", "Benchmark").objects.all()}
    assert set(rows) == {"标杆企业", "某模式"}
    assert rows["标杆企业"].organisation_id == firm.pk and rows["标杆企业"].areas == ["it"]
    assert rows["标杆企业"].designation_id == held.pk and rows["标杆企业"].source == "seeds/004"
    assert rows["某模式"].organisation_id is None and rows["某模式"].designation_id is None
    assert "chains_benchmark" not in connection.introspection.table_names()

    back = _migrate(BEFORE)
    names = set(back.get_model("chains", "Benchmark").objects.values_list("name", flat=True))
    assert names == {"标杆企业", "某模式"}
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
