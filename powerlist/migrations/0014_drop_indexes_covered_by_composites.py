"""Four single-column indexes that composite indexes already cover, dropped: each was one
more index entry to write per row, and an import writes tens of thousands of these rows
(bench/results.md, import bench). The composite indexes lead with the same column, so
look-ups by it (and the foreign keys' checks on delete) use them instead:
  responsibilityitem.power_id          -> responsibility_power_idx (power_id, order)
  accountabilitycircumstance.power_id  -> circumstance_power_idx (power_id, order)
  reviewlogentry.content_type_id       -> reviewlog_item_idx (content_type_id, object_id, seq)
  reviewlogentry.region_id             -> reviewlog_region_idx (region_id, seq)
Only the indexes go: AlterField on a foreign key would drop and re-add (re-validate) the
constraint on PostgreSQL, a full scan of the operation record."""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = (
    ("powerlist_responsibilityitem_power_id_e563209b", "powerlist_responsibilityitem", "power_id"),
    ("powerlist_accountabilitycircumstance_power_id_0c92c627", "powerlist_accountabilitycircumstance", "power_id"),
    ("powerlist_reviewlogentry_content_type_id_51aad918", "powerlist_reviewlogentry", "content_type_id"),
    ("powerlist_reviewlogentry_region_id_105495b8", "powerlist_reviewlogentry", "region_id"),
)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('powerlist', '0013_search_tokens_inlined'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(f'DROP INDEX IF EXISTS "{name}"', f'CREATE INDEX "{name}" ON "{table}" ("{column}")')
                for name, table, column in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='accountabilitycircumstance',
                    name='power',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='accountability_circumstances', to='powerlist.power', verbose_name='行政权力'),
                ),
                migrations.AlterField(
                    model_name='responsibilityitem',
                    name='power',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='responsibility_items', to='powerlist.power', verbose_name='行政权力'),
                ),
                migrations.AlterField(
                    model_name='reviewlogentry',
                    name='content_type',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype'),
                ),
                migrations.AlterField(
                    model_name='reviewlogentry',
                    name='region',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='powerlist.region', verbose_name='行政区划'),
                ),
            ],
        ),
    ]
