"""Documents and briefs belong to an organisation (issue 16). Existing rows: the uploader's (or
the brief's author's) organisation; what the operator ingested or built goes to the first
supervisor at the top of the tree (public policies and news); a brief for one organisation
built by the operator goes to that organisation. A file is unique per owner, not overall, and
stored 0600 in 0700 folders (files stored before are made so)."""

from pathlib import Path

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import reformtrack.documents.storage

WRITERS = {"report": ["supervisor_admin", "reform_office", "contributor"],
           "change": ["supervisor_admin", "reform_office"]}  # fmt: skip


def _home(apps, user_id, action):
    """The topmost organisation the user holds `action` on (their office), or None."""
    if user_id is None:
        return None
    role = (
        apps.get_model("orgs", "RoleAssignment")
        .objects.filter(user_id=user_id, role__in=WRITERS[action])
        .select_related("organisation")
        .order_by("organisation__depth", "organisation__path")
        .first()
    )
    return role.organisation if role else None


def set_owners(apps, schema_editor):
    Organisation = apps.get_model("orgs", "Organisation")
    Document = apps.get_model("documents", "Document")
    Brief = apps.get_model("documents", "Brief")
    root = Organisation.objects.filter(depth=1, kind="supervisor").order_by("path").first()
    for document in Document.objects.filter(parent__isnull=True, owner__isnull=True):
        owner = _home(apps, document.uploaded_by_id, "report") or root
        Document.objects.filter(models.Q(pk=document.pk) | models.Q(parent=document)).update(
            owner=owner
        )
    for brief in Brief.objects.filter(owner__isnull=True):
        brief.owner = _home(apps, brief.created_by_id, "change") or brief.organisation or root
        brief.save(update_fields=["owner"])


def make_files_private(apps, schema_editor):
    """Files stored before this change were 0644 in 0755 folders: now the service's alone."""
    folder = Path(settings.MEDIA_ROOT) / "documents"
    if not folder.is_dir():
        return
    folder.chmod(0o700)
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_source_inferred"), ("orgs", "0002_designation_kinds")]

    operations = [
        migrations.AddField(
            model_name="brief",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.organisation",
                verbose_name="owner",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.organisation",
                verbose_name="owner",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="checksum",
            field=models.CharField(db_index=True, max_length=64, verbose_name="checksum"),
        ),
        migrations.AlterField(
            model_name="document",
            name="file",
            field=models.FileField(
                storage=reformtrack.documents.storage.private_storage,
                upload_to="documents/%Y/%m/",
                verbose_name="file",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                fields=("owner", "checksum"), name="document_owner_checksum"
            ),
        ),
        # Last: on PostgreSQL no ALTER TABLE may follow row updates in the same transaction.
        migrations.RunPython(set_owners, migrations.RunPython.noop),
        migrations.RunPython(make_files_private, migrations.RunPython.noop),
    ]
