# A user's saved views of a table (columns, filters, sort, page size).
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0009_jobs")]

    operations = [
        migrations.CreateModel(
            name="SavedView",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("table", models.CharField(max_length=60, verbose_name="table")),
                ("name", models.CharField(max_length=80, verbose_name="name")),
                ("columns", models.JSONField(blank=True, default=list, verbose_name="columns")),
                ("filters", models.JSONField(blank=True, default=dict, verbose_name="filters")),
                ("sort", models.CharField(blank=True, max_length=200, verbose_name="sort")),
                ("per_page", models.PositiveSmallIntegerField(default=50, verbose_name="rows per page")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="created")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="saved_views", to=settings.AUTH_USER_MODEL, verbose_name="user")),
            ],
            options={
                "verbose_name": "saved view",
                "verbose_name_plural": "saved views",
                "ordering": ["name"],
                "constraints": [models.UniqueConstraint(fields=("user", "table", "name"), name="saved_view_unique_name")],
            },
        ),
    ]  # fmt: skip
