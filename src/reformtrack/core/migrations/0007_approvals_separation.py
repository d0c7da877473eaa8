"""Separation of duties and race-safe decisions on approvals: a version and a round per request,
the round and return target of each step, who a blocked request is shown to, reminders."""

import django.db.models.deletion
from django.db import migrations, models


def number_rounds(apps, schema_editor):
    """Each submission opened a round: number the existing steps and requests accordingly."""
    Request = apps.get_model("core", "ApprovalRequest")
    Step = apps.get_model("core", "ApprovalStep")
    for request in Request.objects.all().iterator():
        round_ = 0
        for step in Step.objects.filter(request=request).order_by("at", "id"):
            if step.decision == "submit":
                round_ += 1
            Step.objects.filter(pk=step.pk).update(round=max(round_, 1))
        Request.objects.filter(pk=request.pk).update(
            round=max(round_, 1), waiting_since=request.submitted_at
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0006_audit_keyed"), ("orgs", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="approvalrequest",
            name="blocked_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="blocked since"),
        ),
        migrations.AddField(
            model_name="approvalrequest",
            name="chased_on",
            field=models.DateField(blank=True, null=True, verbose_name="last reminder"),
        ),
        migrations.AddField(
            model_name="approvalrequest",
            name="escalated_to",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.organisation",
                verbose_name="shown as blocked to",
            ),
        ),
        migrations.AddField(
            model_name="approvalrequest",
            name="round",
            field=models.PositiveSmallIntegerField(default=1, editable=False, verbose_name="round"),
        ),
        migrations.AddField(
            model_name="approvalrequest",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
        migrations.AddField(
            model_name="approvalrequest",
            name="waiting_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="waiting since"),
        ),
        migrations.AddField(
            model_name="approvalstep",
            name="round",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="round"),
        ),
        migrations.AddField(
            model_name="approvalstep",
            name="to_level",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="returned to level"
            ),
        ),
        migrations.RunPython(number_rounds, migrations.RunPython.noop),
    ]
