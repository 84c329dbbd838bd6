"""Monthly partitions of the case-event table on PostgreSQL (docs/supervision.md,
"Partitioning").

`supervision_caseevent` is `PARTITION BY RANGE (occurred_at)`: one partition per local
month (`supervision_caseevent_y2026m11`), created ahead by the beat
(`event_partitions_ensure`, task `supervision.ensure_event_partitions`), and a DEFAULT
partition so that an event dated outside every partition (an old case recorded late, a
month not created yet) is stored all the same. When a month is created for which the
default partition already holds rows, they are moved into the new partition in the same
transaction (PostgreSQL refuses to attach a range the default partition overlaps).

SQLite (tests, the demo) keeps the plain table: every function here is a no-op there.
The idempotency key (system, event_id) lives in the unpartitioned `CaseEventKey`, since a
unique index on a partitioned table must contain the partition key.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

TABLE = "supervision_caseevent"
DEFAULT_PARTITION = f"{TABLE}_default"
MONTHS_AHEAD = 3


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, n: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def partition_name(month: datetime.date) -> str:
    return f"{TABLE}_y{month.year}m{month.month:02d}"


def month_bounds(month: datetime.date) -> tuple:
    """The first instants of `month` and of the month after, in the portal's time zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return (datetime.datetime.combine(month, datetime.time(), tzinfo=zone),
            datetime.datetime.combine(add_months(month, 1), datetime.time(), tzinfo=zone))


def is_partitioned(using=connection) -> bool:
    if using.vendor != "postgresql":
        return False
    with using.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [TABLE])
        return cursor.fetchone() is not None


def event_partitions(using=connection) -> list:
    """The names of the event table's partitions (the default one included), sorted."""
    if not is_partitioned(using):
        return []
    with using.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname", [TABLE])
        return [row[0] for row in cursor.fetchall()]


def partition_of_event(event_pk, using=connection) -> str:
    """The partition that holds the event `event_pk` ('' on SQLite or when there is none)."""
    if not is_partitioned(using):
        return ""
    with using.cursor() as cursor:
        cursor.execute(f'SELECT tableoid::regclass::text FROM "{TABLE}" WHERE id = %s', [event_pk])
        row = cursor.fetchone()
    return row[0] if row else ""


def _create_month(cursor, month):
    name = partition_name(month)
    low, high = month_bounds(month)
    cursor.execute(f'CREATE TABLE "{name}" (LIKE "{TABLE}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)')
    # Rows already stored in the default partition for this month move into the new one.
    cursor.execute(
        f'WITH moved AS (DELETE FROM "{DEFAULT_PARTITION}" WHERE occurred_at >= %s AND occurred_at < %s '
        f'RETURNING *) INSERT INTO "{name}" SELECT * FROM moved', [low, high])
    cursor.execute(f'ALTER TABLE "{TABLE}" ATTACH PARTITION "{name}" FOR VALUES FROM (%s) TO (%s)', [low, high])
    return name


def event_partitions_ensure(*, since=None, through=None, months_ahead=MONTHS_AHEAD, using=connection) -> list:
    """Create the monthly partitions from `since`'s month (default: this month) through
    `through`'s month (default: this month) plus `months_ahead`, and the default partition,
    where missing; each month in its own transaction. Returns the names created."""
    if not is_partitioned(using):
        return []
    today = timezone.localdate()
    first = month_start(since or today)
    last = add_months(month_start(through or today), months_ahead)
    existing = set(event_partitions(using))
    created = []
    with transaction.atomic(using=using.alias), using.cursor() as cursor:
        if DEFAULT_PARTITION not in existing:
            cursor.execute(f'CREATE TABLE "{DEFAULT_PARTITION}" PARTITION OF "{TABLE}" DEFAULT')
            created.append(DEFAULT_PARTITION)
    month = first
    while month <= last:
        if partition_name(month) not in existing:
            with transaction.atomic(using=using.alias), using.cursor() as cursor:
                created.append(_create_month(cursor, month))
        month = add_months(month, 1)
    return created


def event_table_partition(schema_editor):
    """Turn the plain event table into the partitioned one, keeping its rows, columns,
    indexes (by name) and foreign keys (by name); the id sequence goes on from the
    largest id. For the migration; PostgreSQL only."""
    cursor = schema_editor.connection.cursor()
    plain = f"{TABLE}_plain"
    cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{plain}"')
    cursor.execute(f'ALTER INDEX "{TABLE}_pkey" RENAME TO "{plain}_pkey"')
    cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
                   "AND indexname <> %s", [plain, f"{plain}_pkey"])
    indexes = [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(%s) "
                   "AND contype = 'f'", [plain])
    foreign_keys = cursor.fetchall()
    cursor.execute(f'CREATE TABLE "{TABLE}" (LIKE "{plain}" INCLUDING DEFAULTS, PRIMARY KEY (id, occurred_at)) '
                   f"PARTITION BY RANGE (occurred_at)")
    cursor.execute(f'ALTER TABLE "{TABLE}" ALTER COLUMN id DROP IDENTITY IF EXISTS')
    cursor.execute(f'SELECT min(occurred_at), max(occurred_at), coalesce(max(id), 0) FROM "{plain}"')
    low, high, max_id = cursor.fetchone()
    cursor.execute(f'CREATE TABLE "{DEFAULT_PARTITION}" PARTITION OF "{TABLE}" DEFAULT')
    today = timezone.localdate()
    month = month_start(timezone.localtime(low).date()) if low else month_start(today)
    last = add_months(month_start(max(timezone.localtime(high).date(), today) if high else today), MONTHS_AHEAD)
    while month <= last:
        start, end = month_bounds(month)
        cursor.execute(f'CREATE TABLE "{partition_name(month)}" PARTITION OF "{TABLE}" FOR VALUES FROM (%s) TO (%s)',
                       [start, end])
        month = add_months(month, 1)
    cursor.execute(f'INSERT INTO "{TABLE}" SELECT * FROM "{plain}"')
    cursor.execute(f'DROP TABLE "{plain}"')
    cursor.execute(f'CREATE SEQUENCE "{TABLE}_id_seq" OWNED BY "{TABLE}".id')
    cursor.execute(f'ALTER TABLE "{TABLE}" ALTER COLUMN id SET DEFAULT nextval(\'"{TABLE}_id_seq"\')')
    cursor.execute(f"SELECT setval('\"{TABLE}_id_seq\"', %s, %s)", [max(max_id, 1), max_id > 0])
    for definition in indexes:
        cursor.execute(definition.replace(f" ON {plain} ", f' ON "{TABLE}" ')
                       .replace(f" ON public.{plain} ", f' ON "{TABLE}" '))
    for name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{name}" {definition}')


def event_table_unpartition(schema_editor):
    """The reverse: a plain table with the same rows, indexes and foreign keys."""
    cursor = schema_editor.connection.cursor()
    parted = f"{TABLE}_parted"
    cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
                   "AND indexname <> %s", [TABLE, f"{TABLE}_pkey"])
    indexes = [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(%s) "
                   "AND contype = 'f'", [TABLE])
    foreign_keys = cursor.fetchall()
    cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{parted}"')
    cursor.execute(f'CREATE TABLE "{TABLE}" (LIKE "{parted}")')
    cursor.execute(f'INSERT INTO "{TABLE}" SELECT * FROM "{parted}"')
    cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{TABLE}"')
    max_id = cursor.fetchone()[0]
    cursor.execute(f'DROP TABLE "{parted}" CASCADE')
    cursor.execute(f'ALTER TABLE "{TABLE}" ADD PRIMARY KEY (id)')
    cursor.execute(f'ALTER TABLE "{TABLE}" ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY')
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{TABLE}\"', 'id'), %s, %s)", [max(max_id, 1), max_id > 0])
    for definition in indexes:
        cursor.execute(definition.replace(" ONLY ", " "))
    for name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{name}" {definition}')
