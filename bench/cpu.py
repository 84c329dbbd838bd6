"""CPU seconds of a bench and of the PostgreSQL backend serving it: on a machine shared
with other work the wall clock swings with the load, CPU time much less."""

import os
import time
from pathlib import Path

from django.db import connection


def backend_cpu():
    """CPU seconds the database backend serving this connection has used so far (0 when
    it is not a local PostgreSQL process we can read)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_now():
    """This process's CPU seconds plus its database backend's."""
    return time.process_time() + backend_cpu()
