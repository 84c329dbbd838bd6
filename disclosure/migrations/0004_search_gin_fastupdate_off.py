"""The search table's GIN indexes without a pending list (PostgreSQL only).

With fastupdate on (the default), new entries wait in a pending list that every search
scans in full until VACUUM merges it: after a province's publications that cost a
two-character query 100 ms. Publications are rare and per department, so entries go
straight into the index instead."""

from django.db import migrations

INDEXES = ("public_search_vector_gin", "public_search_name_gin")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0003_publication_file")]

    operations = [migrations.RunPython(forwards, backwards)]
