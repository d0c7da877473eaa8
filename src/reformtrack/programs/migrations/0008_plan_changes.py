# Plan changes are requests: an enterprise asks, the launching organisation's chain decides.
# A programme may let its launching organisation enter its own progress directly (audited).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0007_versions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="direct_entry",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Off: progress changes only through approved progress reports. On: the "
                    "launching organisation's reform office may also set progress of its own "
                    "tasks directly (audited as direct entry)."
                ),
                verbose_name="launching organisation enters its own progress directly",
            ),
        ),
        migrations.CreateModel(
            name="PlanChangeRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("changes", models.JSONField(default=dict, verbose_name="requested changes")),
                ("reason", models.TextField(verbose_name="reason")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for approval"),
                            ("approved", "Approved and applied"),
                            ("returned", "Returned"),
                        ],
                        default="pending",
                        max_length=20,
                        verbose_name="state",
                    ),
                ),
                (
                    "task_version",
                    models.PositiveIntegerField(verbose_name="task version when asked"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                (
                    "requested_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "task",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="plan_changes",
                        to="programs.ledgertask",
                    ),
                ),
            ],
            options={
                "verbose_name": "plan change request",
                "verbose_name_plural": "plan change requests",
                "ordering": ["-created_at"],
            },
        ),
    ]
