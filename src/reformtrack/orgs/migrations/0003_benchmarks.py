"""Management benchmarks move into orgs (issue 19): the Benchmark model, and the designation kinds
of a benchmark project and model beside the benchmark enterprise of 0002. The rows themselves are
copied over by chains 0002_benchmarks_to_orgs."""

import django.db.models.deletion
from django.db import migrations, models

KINDS = [
    ("MGMT_BENCHMARK_PROJECT", "管理标杆项目", "Management benchmark project", 41),
    ("MGMT_BENCHMARK_MODEL", "管理标杆模式", "Management benchmark model", 42),
]


def add_kinds(apps, schema_editor):
    DesignationKind = apps.get_model("orgs", "DesignationKind")
    for code, name_zh, name_en, order in KINDS:
        DesignationKind.objects.get_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en, "sort_order": order}
        )


def remove_kinds(apps, schema_editor):
    DesignationKind = apps.get_model("orgs", "DesignationKind")
    Designation = apps.get_model("orgs", "Designation")
    codes = [code for code, *_rest in KINDS]
    if not Designation.objects.filter(kind__code__in=codes).exists():
        DesignationKind.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_designation_kinds")]

    operations = [
        migrations.CreateModel(
            name="Benchmark",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("enterprise", "Benchmark enterprise"),
                            ("project", "Benchmark project"),
                            ("model", "Benchmark model"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "areas",
                    models.JSONField(blank=True, default=list, verbose_name="management areas"),
                ),
                ("year", models.PositiveIntegerField(verbose_name="year")),
                ("named_on", models.DateField(blank=True, null=True, verbose_name="named on")),
                ("source", models.CharField(blank=True, max_length=300, verbose_name="source")),
                (
                    "designation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="orgs.designation",
                        verbose_name="designation",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="benchmarks",
                        to="orgs.organisation",
                        verbose_name="organisation",
                    ),
                ),
                (
                    "supervisor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.organisation",
                        verbose_name="named by",
                    ),
                ),
            ],
            options={
                "verbose_name": "management benchmark",
                "verbose_name_plural": "management benchmarks",
                "ordering": ["-year", "kind", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("supervisor", "year", "kind", "name"), name="orgs_benchmark_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(add_kinds, remove_kinds),
    ]
