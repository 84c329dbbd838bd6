"""Public reads on a read replica (docs/scale.md).

When DATABASE_REPLICA_URL is set, settings add the database alias "replica" and
DATABASE_REPLICA_ALIAS names it. Code that serves the public (the disclosure portal's
pages, the open data API) runs inside `replica_reads()`; there, every read the ORM makes
goes to the replica. Everything else reads and writes the primary ("default"): staff
pages, services, background jobs, and any write, anywhere. With no replica configured
the router answers None and Django uses "default" as always.

A replica lags the primary by a moment: a citizen may see a publication a second after
it committed. Nothing that decides a write reads under replica_reads.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

_public = ContextVar("replica_reads", default=False)


def replica_alias():
    """The replica's alias when one is configured (and present in DATABASES), else None."""
    alias = getattr(settings, "DATABASE_REPLICA_ALIAS", None)
    return alias if alias and alias in settings.DATABASES else None


@contextmanager
def replica_reads():
    """Reads inside go to the replica (when configured). Nests; restores on exit."""
    token = _public.set(True)
    try:
        yield
    finally:
        _public.reset(token)


def reads_from_replica(view):
    """Decorator form of replica_reads for a view function."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Reads under replica_reads → the replica; all writes → default; relations and
    migrations as if there were one database (the replica is a copy of default)."""

    def db_for_read(self, model, **hints):
        if _public.get():
            return replica_alias()
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
