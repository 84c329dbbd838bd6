"""Unique constraints under concurrency: the loser of a race gets the same refusal as
the pre-check, never a server error.

A service checks "is this code / name / number free?" before it inserts, to refuse
with a message naming the field. Two requests at once both pass that check; the
database's unique constraint then lets one insert through and raises IntegrityError
in the other. `refuse_duplicate` runs the insert in a savepoint and, on
IntegrityError, runs the pre-check again: it now sees the winner's row and raises its
ValidationError. An IntegrityError the pre-check does not explain is raised as it is.
"""

from contextlib import contextmanager

from django.db import IntegrityError, transaction


@contextmanager
def refuse_duplicate(precheck):
    """Run the block in a savepoint; on IntegrityError call `precheck()` (which raises
    the ValidationError of the pre-check), else re-raise. The caller's transaction
    stays usable either way."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        precheck()
        raise
