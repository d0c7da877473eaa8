"""The KPI demo: three years for SASAC's demo groups, targets by 一增一稳四提升, peer ranks;
loading twice changes nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from reformtrack.kpis import demo as kpi_demo
from reformtrack.kpis.engine import compute, kpiset_for
from reformtrack.kpis.models import KpiTarget, Statement, StatementRevision
from reformtrack.kpis.selectors import kpi_value, peers
from reformtrack.orgs import demo as org_demo
from reformtrack.orgs.models import Organisation


def test_demo_is_complete_and_idempotent(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    org_demo.load()
    kpi_demo.load()
    counts = (
        Statement.objects.count(),
        StatementRevision.objects.count(),
        KpiTarget.objects.count(),
    )
    kpi_demo.load()
    assert counts == (
        Statement.objects.count(), StatementRevision.objects.count(), KpiTarget.objects.count()
    )  # fmt: skip
    crrc = Organisation.objects.get(code="CRRC")
    assert set(crrc.statements.values_list("year", flat=True)) == {2023, 2024, 2025}
    assert KpiTarget.objects.filter(organisation=crrc, year=2025, shape="YZYW").count() == 6
    admin = get_user_model().objects.get(username="sasac_admin")
    table = peers(admin, crrc, year=2024)["table"]
    roe = next(t for t in table if t["code"] == "ROE")
    assert roe["count"] == 7 and sorted(r["rank"] for r in roe["rows"]) == list(range(1, 8))
    assert all(t["count"] == 7 for t in table)  # every 一利五率 value is computable
    for entry in table:  # illustrative, but groups differ so that ranks mean something
        assert len({r["value"] for r in entry["rows"]}) == 7, entry["code"]
    cash = [kpi_value(organisation=crrc, year=y, code="CASH_COLLECTION") for y in (2025,)]
    cash += [
        compute(crrc, year=y, kpiset=kpiset_for(2025)).by_code()["CASH_COLLECTION"].value
        for y in (2023, 2024)
    ]
    assert len(set(cash)) == 3  # and years differ too
