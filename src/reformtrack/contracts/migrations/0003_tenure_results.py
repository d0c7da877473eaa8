"""Tenure results and tenure indicators (tenure scoring and the tenure incentive)."""

import django.db.models.deletion
import reformtrack.contracts.crypto
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0002_people"),
    ]

    operations = [
        migrations.CreateModel(
            name="TenureResult",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "version",
                    models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
                ),
                (
                    "annual_score",
                    models.DecimalField(
                        decimal_places=2, max_digits=7, verbose_name="mean annual score"
                    ),
                ),
                (
                    "indicator_score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=7,
                        null=True,
                        verbose_name="tenure indicators' score",
                    ),
                ),
                (
                    "score",
                    models.DecimalField(decimal_places=2, max_digits=7, verbose_name="score"),
                ),
                ("grade", models.CharField(max_length=10, verbose_name="grade")),
                ("grade_label", models.CharField(max_length=40, verbose_name="grade name")),
                (
                    "incentive_share",
                    models.DecimalField(
                        decimal_places=4, max_digits=6, verbose_name="incentive share"
                    ),
                ),
                (
                    "annual_pay",
                    reformtrack.contracts.crypto.EncryptedDecimalField(
                        places=2, verbose_name="annual pay over the tenure"
                    ),
                ),
                (
                    "accrued",
                    reformtrack.contracts.crypto.EncryptedDecimalField(
                        places=2, verbose_name="tenure incentive accrued in the years"
                    ),
                ),
                (
                    "incentive",
                    reformtrack.contracts.crypto.EncryptedDecimalField(
                        places=2, verbose_name="tenure incentive paid out"
                    ),
                ),
                ("capped", models.BooleanField(default=False, verbose_name="capped")),
                ("years", models.JSONField(default=list, verbose_name="annual scores")),
                ("points", models.JSONField(default=dict, verbose_name="points")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("pending", "Awaiting approval"),
                            ("approved", "Approved"),
                            ("returned", "Returned"),
                        ],
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "tenure",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="result",
                        to="contracts.tenurecontract",
                        verbose_name="tenure contract",
                    ),
                ),
            ],
            options={
                "verbose_name": "tenure result",
                "verbose_name_plural": "tenure results",
                "ordering": ["tenure"],
            },
        ),
        migrations.CreateModel(
            name="TenureIndicator",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=40, verbose_name="code")),
                ("name", models.CharField(max_length=200, verbose_name="indicator")),
                (
                    "weight",
                    models.DecimalField(decimal_places=2, max_digits=6, verbose_name="weight"),
                ),
                (
                    "baseline",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        max_digits=20,
                        null=True,
                        verbose_name="baseline",
                    ),
                ),
                (
                    "target",
                    models.DecimalField(decimal_places=4, max_digits=20, verbose_name="target"),
                ),
                (
                    "challenge",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        max_digits=20,
                        null=True,
                        verbose_name="challenge value",
                    ),
                ),
                ("rule", models.CharField(max_length=40, verbose_name="scoring rule")),
                ("is_key", models.BooleanField(default=False, verbose_name="key target")),
                (
                    "actual",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        max_digits=20,
                        null=True,
                        verbose_name="actual",
                    ),
                ),
                ("evidence", models.CharField(blank=True, max_length=300, verbose_name="evidence")),
                ("order", models.PositiveIntegerField(default=0)),
                (
                    "tenure",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="indicators",
                        to="contracts.tenurecontract",
                        verbose_name="tenure contract",
                    ),
                ),
            ],
            options={
                "verbose_name": "tenure indicator",
                "verbose_name_plural": "tenure indicators",
                "ordering": ["tenure", "order", "code"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("tenure", "code"), name="tenure_indicator_unique"
                    )
                ],
            },
        ),
    ]
