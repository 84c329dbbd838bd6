"""The staff power lists' search column (PostgreSQL only; SQLite searches with icontains).

powerlist_search_tokens(text) is powerlist.search.text_tokens in SQL: runs of Chinese
characters become their overlapping bigrams (a single character stays itself), runs of
letters and digits one lower-case word, joined by spaces in order.
`powerlist_power.search_vector` is a stored column generated from the name and the code,
so every write (save, bulk_create, bulk_update, update(), the generator's COPY) keeps it
current without Python; a GIN index serves it. tests/powerlist/catalogue/test_staff_search.py
checks that the SQL and the Python cut agree."""

from django.db import migrations

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

FUNCTION = f"""
CREATE OR REPLACE FUNCTION powerlist_search_tokens(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(string_agg(s.tok, ' ' ORDER BY s.n, s.i), '')
  FROM (
    SELECT m.n, g.i,
           CASE WHEN m.run ~ '^[A-Za-z0-9]' THEN lower(m.run)
                WHEN length(m.run) = 1 THEN m.run
                ELSE substr(m.run, g.i, 2) END AS tok
    FROM (SELECT x.r[1] AS run, x.n FROM regexp_matches(t, '[{CJK}]+|[A-Za-z0-9]+', 'g')
          WITH ORDINALITY AS x(r, n)) AS m,
         generate_series(1, CASE WHEN m.run ~ '^[A-Za-z0-9]' THEN 1
                                 ELSE greatest(length(m.run) - 1, 1) END) AS g(i)
  ) AS s
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        "ALTER TABLE powerlist_power ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
        "(to_tsvector('simple'::regconfig, powerlist_search_tokens(name || ' ' || code))) STORED"
    )
    schema_editor.execute("CREATE INDEX power_search_gin ON powerlist_power USING gin (search_vector)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE powerlist_power DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute("DROP FUNCTION IF EXISTS powerlist_search_tokens(text)")


class Migration(migrations.Migration):
    dependencies = [("powerlist", "0011_importupload_checked")]

    operations = [migrations.RunPython(forwards, backwards)]
