"""Management benchmarks move from chains to orgs (issue 19): every row is copied to
orgs.Benchmark (linked to the organisation's benchmark designation in force when it was named,
if there is one), then the chains model goes. Reversible: the rows are copied back."""

import datetime as dt

from django.db import migrations

DESIGNATION_OF = {
    "enterprise": "MGMT_BENCHMARK",
    "project": "MGMT_BENCHMARK_PROJECT",
    "model": "MGMT_BENCHMARK_MODEL",
}
FIELDS = ("kind", "organisation_id", "name", "areas", "supervisor_id", "year", "source")


def to_orgs(apps, schema_editor):
    Old = apps.get_model("chains", "Benchmark")
    New = apps.get_model("orgs", "Benchmark")
    Designation = apps.get_model("orgs", "Designation")
    for old in Old.objects.order_by("pk"):
        values = {f: getattr(old, f) for f in FIELDS}
        designation = None
        if old.organisation_id:
            day = dt.date(old.year, 12, 31)
            designation = (
                Designation.objects.filter(
                    organisation_id=old.organisation_id,
                    kind__code=DESIGNATION_OF.get(old.kind, ""),
                    valid_from__lte=day,
                )
                .order_by("valid_from")
                .first()
            )
        New.objects.update_or_create(
            supervisor_id=old.supervisor_id, year=old.year, kind=old.kind, name=old.name,
            defaults={**values, "designation": designation},
        )  # fmt: skip


def to_chains(apps, schema_editor):
    Old = apps.get_model("chains", "Benchmark")
    New = apps.get_model("orgs", "Benchmark")
    for new in New.objects.order_by("pk"):
        Old.objects.update_or_create(
            supervisor_id=new.supervisor_id, year=new.year, kind=new.kind, name=new.name,
            defaults={f: getattr(new, f) for f in FIELDS},
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("chains", "0001_initial"), ("orgs", "0003_benchmarks")]

    operations = [
        migrations.RunPython(to_orgs, to_chains),
        migrations.RemoveConstraint(model_name="benchmark", name="chains_benchmark_unique"),
        migrations.DeleteModel(name="Benchmark"),
    ]
