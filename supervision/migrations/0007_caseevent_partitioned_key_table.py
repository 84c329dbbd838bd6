"""The idempotency key moves to the unpartitioned CaseEventKey (its rows copied from the
events), and on PostgreSQL the event table becomes PARTITION BY RANGE (occurred_at), one
partition per month and a default one (supervision.partitions). SQLite keeps the plain
table. docs/supervision.md, "Partitioning"."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_keys(apps, schema_editor):
    CaseEvent = apps.get_model("supervision", "CaseEvent")
    CaseEventKey = apps.get_model("supervision", "CaseEventKey")
    rows = CaseEvent.objects.filter(system__isnull=False).values_list(
        "system_id", "event_id", "case_id", "id", "occurred_at", "digest")
    CaseEventKey.objects.bulk_create(
        (CaseEventKey(system_id=s, event_id=e, case_id=c, event_pk=pk, occurred_at=at, digest=d)
         for s, e, c, pk, at, d in rows.iterator(chunk_size=5000)), batch_size=5000)


def partition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from supervision.partitions import event_table_partition
        event_table_partition(schema_editor)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from supervision.partitions import event_table_unpartition
        event_table_unpartition(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0006_assessment_published'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseEventKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event_id', models.CharField(max_length=64, verbose_name='事件编号')),
                ('event_pk', models.BigIntegerField(verbose_name='事件')),
                ('occurred_at', models.DateTimeField(verbose_name='发生时间')),
                ('digest', models.CharField(max_length=64, verbose_name='摘要值')),
            ],
            options={
                'verbose_name': '办件事件编号',
                'verbose_name_plural': '办件事件编号',
            },
        ),
        migrations.RemoveConstraint(
            model_name='caseevent',
            name='case_event_idempotency_key',
        ),
        migrations.AddField(
            model_name='caseeventkey',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='supervision.case', verbose_name='办件'),
        ),
        migrations.AddField(
            model_name='caseeventkey',
            name='system',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='supervision.casesystem', verbose_name='审批系统'),
        ),
        migrations.AddConstraint(
            model_name='caseeventkey',
            constraint=models.UniqueConstraint(fields=('system', 'event_id'), name='case_event_key_unique'),
        ),
        migrations.RunPython(copy_keys, migrations.RunPython.noop),
        migrations.RunPython(partition, unpartition),
        migrations.AlterField(
            model_name='caseevent',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='events', to='supervision.case', verbose_name='办件'),
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='recorded_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入人'),
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='system',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='supervision.casesystem', verbose_name='审批系统'),
        ),
    ]
