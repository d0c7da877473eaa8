# Jobs: long work on the task queue, with the progress its page polls (core/models/jobs.py).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_accounts_tokens"),
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name='Job',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=60, verbose_name='kind')),
                ('title', models.CharField(blank=True, max_length=300, verbose_name='title')),
                ('state', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10, verbose_name='state')),
                ('function', models.CharField(max_length=200)),
                ('kwargs', models.JSONField(blank=True, default=dict)),
                ('task_id', models.CharField(blank=True, max_length=64)),
                ('total', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='total')),
                ('done', models.PositiveBigIntegerField(default=0, verbose_name='done')),
                ('current_item', models.CharField(blank=True, max_length=300, verbose_name='working on')),
                ('messages', models.JSONField(blank=True, default=list, verbose_name='messages')),
                ('error_count', models.PositiveIntegerField(default=0, verbose_name='errors')),
                ('result', models.JSONField(blank=True, default=dict, verbose_name='result')),
                ('result_file', models.FileField(blank=True, upload_to='jobs/%Y/%m/', verbose_name='result file')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='jobs', to='orgs.organisation', verbose_name='organisation')),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='jobs', to=settings.AUTH_USER_MODEL, verbose_name='started by')),
            ],
            options={
                'verbose_name': 'job',
                'verbose_name_plural': 'jobs',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['owner', '-created_at'], name='core_job_owner_i_169a06_idx')],
            },
        ),
    ]
