"""Writing many new rows at once for the import, without building the SQL per value.

Django's bulk_create prepares every value of every row through the field machinery;
for the tens of thousands of rows of a large import (powers, list rows, their
operation-record entries) that cost more than the database itself (bench/results.md,
import bench). These helpers convert only the values that need it (date-times, JSON)
and hand the database one parameterised statement per batch. The rows are complete
model instances, validated by the caller; model save() methods and signals do not run.
"""

from django.db import connection, models

BATCH_PARAMETERS = 30000  # under SQLite's 32,766 bound parameters per statement


def _columns(model):
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    converters = []
    for field in fields:
        if isinstance(field, (models.DateTimeField, models.JSONField)):
            converters.append(field)
        else:
            converters.append(None)
    return fields, converters


def _values(obj, fields, converters, cache):
    values = []
    for field, converter in zip(fields, converters):
        value = getattr(obj, field.attname)
        if converter is not None and value is not None:
            # An import stamps every row with the same moment: convert it once.
            key = (field.attname, value) if isinstance(field, models.DateTimeField) else None
            if key is None:
                value = converter.get_db_prep_save(value, connection)
            elif key in cache:
                value = cache[key]
            else:
                value = cache[key] = converter.get_db_prep_save(value, connection)
        values.append(value)
    return values


def _insert_sql(model, fields, rows):
    quote = connection.ops.quote_name
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES {', '.join([placeholders] * rows)}")


def insert_returning_ids(model, objs):
    """INSERT `objs` (new instances) in batches and set each one's primary key from the
    database (RETURNING, in insert order: PostgreSQL, and SQLite from 3.35)."""
    fields, converters = _columns(model)
    per_batch = max(1, BATCH_PARAMETERS // len(fields))
    pk = connection.ops.quote_name(model._meta.pk.column)
    cache = {}
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_batch):
            batch = objs[start:start + per_batch]
            params = [v for obj in batch for v in _values(obj, fields, converters, cache)]
            cursor.execute(f"{_insert_sql(model, fields, len(batch))} RETURNING {pk}", params)
            for obj, (value,) in zip(batch, cursor.fetchall()):
                obj.pk = value
                obj._state.adding, obj._state.db = False, connection.alias
    return objs


def insert_rows(model, objs):
    """INSERT `objs` (new instances) in batches; their primary keys stay unset."""
    fields, converters = _columns(model)
    sql = _insert_sql(model, fields, 1)
    with connection.cursor() as cursor:
        cache = {}
        rows = [_values(obj, fields, converters, cache) for obj in objs]
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])
