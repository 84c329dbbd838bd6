"""The public search table (disclosure.search_models.PublicSearchEntry): one narrow row per
current published power with its own GIN indexes (PostgreSQL), filled from the current
rows; the wide table's search_vector and its GIN index go."""

import disclosure.search_field
import django.db.models.deletion
from django.db import migrations, models


def create_indexes_and_fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX public_search_vector_gin ON disclosure_publicsearchentry USING gin (vector)")
        schema_editor.execute(
            "CREATE INDEX public_search_name_gin ON disclosure_publicsearchentry USING gin (name_vector)")
        # The name's tokens are the A-weighted lexemes of the old vector (positions kept).
        schema_editor.execute("""
            INSERT INTO disclosure_publicsearchentry
                (published_id, region_id, department_id, category_id, level, code, code_key, vector, name_vector)
            SELECT id, region_id, department_id, category_id, level, code, lower(code), search_vector,
                   setweight(ts_filter(search_vector, '{a}'), 'D')
            FROM disclosure_publishedpower WHERE is_current""")
        return
    # Elsewhere the old column holds the token text "name|code|body".
    published = apps.get_model("disclosure", "PublishedPower")
    entry = apps.get_model("disclosure", "PublicSearchEntry")
    rows = published.objects.filter(is_current=True).values_list(
        "id", "region_id", "department_id", "category_id", "level", "code", "search_vector")
    entry.objects.bulk_create([
        entry(published_id=i, region_id=r, department_id=d, category_id=c, level=lv, code=code,
              code_key=code.lower(), vector=text or "", name_vector=(text or "").split("|", 1)[0])
        for i, r, d, c, lv, code, text in rows.iterator()
    ], batch_size=500)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS public_search_vector_gin")
        schema_editor.execute("DROP INDEX IF EXISTS public_search_name_gin")


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='PublicSearchEntry',
            fields=[
                ('published', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='disclosure.publishedpower', verbose_name='公开事项')),
                ('level', models.CharField(db_index=True, max_length=10, verbose_name='层级')),
                ('code', models.CharField(max_length=50, verbose_name='事项编码')),
                ('code_key', models.CharField(db_index=True, max_length=50, verbose_name='编码检索键')),
                ('vector', disclosure.search_field.SearchVectorField(verbose_name='检索向量')),
                ('name_vector', disclosure.search_field.SearchVectorField(verbose_name='名称检索向量', weighted=False)),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='powerlist.category', verbose_name='职权类别')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='powerlist.department', verbose_name='部门')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='powerlist.region', verbose_name='行政区划')),
            ],
            options={
                'verbose_name': '公开检索条目',
                'verbose_name_plural': '公开检索条目',
                'indexes': [models.Index(fields=['code', 'published'], name='public_search_code_idx')],
            },
        ),
        migrations.RunPython(create_indexes_and_fill, drop_indexes),
        migrations.RemoveField(
            model_name='publishedpower',
            name='search_vector',
        ),
    ]
