"""powerlist_search_tokens rewritten as one expression, so PostgreSQL inlines it.

The function of 0012 (regexp_matches, generate_series and string_agg over its rows) could
not be inlined: every new or renamed power ran it through the SQL-function executor, about
100 µs a row, which was a third of the database's share of a 5,000-row import
(bench/results.md, import bench). This body cuts the same tokens with four
regexp_replace passes and no FROM clause, so the planner folds it into the generated
column's expression (EXPLAIN VERBOSE shows regexp_replace, not the function), about a
third of the cost:
  1. every run of characters that is neither Chinese nor an ASCII letter or digit becomes
     one space (the separators between runs);
  2. ASCII letters lower-cased (only Chinese, ASCII letters, digits and spaces are left,
     as 0012 lowered only its letter runs);
  3. a space between a Chinese character and a letter or digit next to it (two runs);
  4. every Chinese character with Chinese characters on both sides doubled with a space
     between (社会保险 → 社会 会保 保险: the overlapping bigrams; a run of two stays one
     bigram, a single character stays itself);
then the spaces at both ends trimmed. The result is the same text for every input, so
the stored column need not be recomputed; tests/powerlist/catalogue/test_staff_search.py
compares it with the Python cut (powerlist.search.text_tokens) on generated text."""

import importlib

from django.db import migrations

CJK = importlib.import_module("powerlist.migrations.0012_power_search_vector").CJK
FUNCTION_0012 = importlib.import_module("powerlist.migrations.0012_power_search_vector").FUNCTION

FUNCTION = f"""
CREATE OR REPLACE FUNCTION powerlist_search_tokens(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT btrim(
    regexp_replace(
      regexp_replace(
        regexp_replace(
          lower(regexp_replace(t, '[^{CJK}A-Za-z0-9]+', ' ', 'g')),
          '([{CJK}])(?=[a-z0-9])', '\\1 ', 'g'),
        '([a-z0-9])(?=[{CJK}])', '\\1 ', 'g'),
      '(?<=[{CJK}])([{CJK}])(?=[{CJK}])', '\\1 \\1', 'g'),
    ' ')
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION_0012)


class Migration(migrations.Migration):
    dependencies = [("powerlist", "0012_power_search_vector")]

    operations = [migrations.RunPython(forwards, backwards)]
