"""Writing many new rows at once, without building the SQL per value: the power import,
case intake and raised alerts (supervision) share these.

Django's bulk_create prepares every value of every row through the field machinery;
for the tens of thousands of rows of a large import (powers, list rows, their
operation-record entries) that cost more than the database itself (bench/results.md,
import bench). These helpers convert only the values that need it (date-times, JSON)
and hand the database one parameterised statement per batch. The rows are complete
model instances, validated by the caller; model save() methods and signals do not run.
On PostgreSQL rows go in with COPY (new primary keys drawn from the table's sequence
first); elsewhere as multi-row INSERT statements.
"""

import operator

from django.db import connection, models
from django.db.models import Lookup

BATCH_PARAMETERS = 30000  # under SQLite's 32,766 bound parameters per statement


def _columns(model):
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    converters = [f if isinstance(f, (models.DateTimeField, models.JSONField)) else None for f in fields]
    return fields, converters


def _reader(fields, converters):
    """A function obj -> [column values]: one attrgetter call reads every attribute (a
    getattr per field and row was most of the cost of 11,000 rows), then only the
    date-time and JSON columns are converted. An import stamps every row with the same
    moment, so each distinct date-time is converted once."""
    get = operator.attrgetter(*(f.attname for f in fields))
    convert = [(i, f) for i, f in enumerate(converters) if f is not None]
    cache = {}

    def read(obj):
        values = list(get(obj))
        for i, field in convert:
            value = values[i]
            if value is None:
                continue
            if isinstance(field, models.DateTimeField):
                key = (i, value)
                if key not in cache:
                    cache[key] = field.get_db_prep_save(value, connection)
                values[i] = cache[key]
            else:
                values[i] = field.get_db_prep_save(value, connection)
        return values

    return read


def _insert_sql(model, fields, rows):
    quote = connection.ops.quote_name
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES {', '.join([placeholders] * rows)}")


def _copy(model, columns, rows):
    quote = connection.ops.quote_name
    # COPY is not one of the cursor calls Django wraps: without this a unique violation
    # would surface as psycopg's own error instead of django.db.IntegrityError.
    with connection.wrap_database_errors, connection.cursor() as cursor:
        with cursor.copy(f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
                         "FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _draw_ids(model, count):
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [model._meta.db_table, model._meta.pk.column, count])
        return [row[0] for row in cursor.fetchall()]


def insert_returning_ids(model, objs):
    """INSERT `objs` (new instances) and set each one's primary key: drawn from the
    sequence and copied in on PostgreSQL; elsewhere in batches with RETURNING (insert
    order, SQLite from 3.35)."""
    fields, converters = _columns(model)
    read = _reader(fields, converters)
    if connection.vendor == "postgresql" and objs:
        ids = _draw_ids(model, len(objs))
        for obj, pk in zip(objs, ids):
            obj.pk = pk
            obj._state.adding, obj._state.db = False, connection.alias
        _copy(model, [model._meta.pk.column, *(f.column for f in fields)],
              ([obj.pk, *read(obj)] for obj in objs))
        return objs
    per_batch = max(1, BATCH_PARAMETERS // len(fields))
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_batch):
            batch = objs[start:start + per_batch]
            params = [v for obj in batch for v in read(obj)]
            cursor.execute(f"{_insert_sql(model, fields, len(batch))} RETURNING {pk}", params)
            for obj, (value,) in zip(batch, cursor.fetchall()):
                obj.pk = value
                obj._state.adding, obj._state.db = False, connection.alias
    return objs


def insert_rows(model, objs):
    """INSERT `objs` (new instances) in batches; their primary keys stay unset."""
    fields, converters = _columns(model)
    read = _reader(fields, converters)
    insert_values(model, [f.column for f in fields], [read(obj) for obj in objs])


def insert_values(model, columns, rows):
    """INSERT plain value tuples into `model`'s table, many rows per statement (one
    round trip per batch: executemany would cost one per row on PostgreSQL)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(model, columns, rows)
        return
    quote = connection.ops.quote_name
    per_batch = max(1, BATCH_PARAMETERS // len(columns))
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_batch):
            batch = rows[start:start + per_batch]
            cursor.execute(head + ", ".join([placeholder] * len(batch)), [v for row in batch for v in row])


class AnyOf(Lookup):
    """`AnyOf(F("code"), values)` in a filter: `code = ANY(%s)` with the values as one
    array parameter on PostgreSQL (one short statement for thousands of codes, where IN
    builds and parses a placeholder per value), IN elsewhere. The values are compared as
    given (no field preparation)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, values]
        if not values:
            return "1 = 0", params
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*params, *values]
