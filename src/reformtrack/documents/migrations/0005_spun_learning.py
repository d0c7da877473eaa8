# Swaps learned from clean and spun copies of one story, reviewed before repair uses them.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_ingest_speed"),
        ("orgs", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LearnedSubstitution",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("spun", models.CharField(max_length=12, verbose_name="spun form")),
                ("original", models.CharField(max_length=12, verbose_name="original form")),
                ("count", models.PositiveIntegerField(default=0, verbose_name="times seen")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "proposed"),
                            ("accepted", "accepted"),
                            ("rejected", "rejected"),
                        ],
                        default="proposed",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "learned_from",
                    models.JSONField(
                        blank=True, default=list, verbose_name="learned from documents"
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("version", models.PositiveIntegerField(default=1)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.organisation",
                        verbose_name="owner",
                    ),
                ),
            ],
            options={
                "verbose_name": "learned substitution",
                "verbose_name_plural": "learned substitutions",
                "ordering": ["status", "-count", "spun"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("owner", "spun", "original"), name="learned_substitution_unique"
                    )
                ],
            },
        ),
    ]
