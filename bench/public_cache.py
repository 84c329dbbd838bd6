"""Cached public pages against a static file, served by the same gunicorn (issue 11 item 2).

    .venv/bin/python bench/public_cache.py [--workers 2] [--connections 8] [--duration 10] [--rounds 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cache_bench (default), REDIS_URL=redis://127.0.0.1:6379/13

Target: a cached public power page reaches at least half the throughput (requests per
second) of a static file served by the same gunicorn, measured side by side.

What it does: migrates the database and runs seed_demo when it holds no publication;
collects the static files into a temporary STATIC_ROOT; starts gunicorn
(config.wsgi:application, sync workers, `--workers`) with production settings (DEBUG off,
WhiteNoise's compressed manifest storage, the Redis cache) behind a pretend TLS proxy
(every request carries X-Forwarded-Proto: https, as the reverse proxy in front of the
portal sends it); then, in `--rounds` rounds, drives each target for `--duration` seconds
with wrk (Debian's package; `scripts/system-packages.sh web wrk` installs it), one
target after the other in the same round, so that the machine's load falls alike on all:

- static: /static/css/portal.css through WhiteNoise (its hashed name);
- cached public power page: /p/<region>/<code>/ of a published demo power (warmed first,
  every answer checked to be a cache hit);
- cached public search: /search/?q=许可;
- staff page: the clerk's /powers/ with a session cookie (not cached: the comparison the
  issue gives, 0.015–0.035 of the static file's throughput before).

wrk and gunicorn share the machine's cores; the figures are requests per second with
wrk's latency percentiles. Any non-2xx answer fails the run. The results go into the
"Public page cache" section of bench/results.md.
"""

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results.md"
START, END = "<!-- public-cache bench: start -->", "<!-- public-cache bench: end -->"
PORT = 8765


def _env(database, redis, static_root):
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
        "SECRET_KEY": env.get("SECRET_KEY") or "bench-only-secret-key-not-for-production-use-0123456789abcdef",
        "COMPLAINT_IDENTITY_KEY": env.get("COMPLAINT_IDENTITY_KEY") or Fernet.generate_key().decode(),
        "DATABASE_URL": database, "REDIS_URL": redis, "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(static_root), "CELERY_TASK_ALWAYS_EAGER": "1",
    })
    return env


def _manage(env, *args):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)


def _django(env):
    os.environ.update(env)
    import django

    django.setup()


def prepare(env):
    _manage(env, "migrate", "--noinput")
    _django(env)
    from disclosure.models import PublishedPower

    if not PublishedPower.objects.filter(is_current=True).exists():
        _manage(env, "seed_demo", "--force", "--password", "bench-demo-pass-2026")
    _manage(env, "collectstatic", "--noinput")


def targets():
    """(name, path, extra headers) of each target, read from the database."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.test import Client

    from disclosure.models import PublishedPower
    from powerlist.models import User

    power = (PublishedPower.objects.filter(is_current=True).select_related("region").order_by("region__code", "code")
             .first())
    client = Client()
    client.force_login(User.objects.get(username="clerk"))
    session = client.cookies["sessionid"].value
    return [
        ("static file", staticfiles_storage.url("css/portal.css"), []),
        ("cached public power page", power.get_absolute_url(), []),
        ("cached public search (许可)", "/search/?q=%E8%AE%B8%E5%8F%AF", []),
        ("staff page (/powers/, signed in)", "/powers/", [f"Cookie: sessionid={session}"]),
    ]


def _get(path, headers):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}",
                                     headers={"X-Forwarded-Proto": "https", **dict(h.split(": ", 1) for h in headers)})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers)


def start_gunicorn(env, workers):
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "--workers", str(workers),
         "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        env=env, cwd=ROOT)
    for _ in range(120):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("gunicorn did not start")


def wrk(path, headers, *, connections, duration):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-H", "X-Forwarded-Proto: https"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run([*args, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in out or "Socket errors" in out:
        raise SystemExit(f"{path}: errors in the run:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {p: _ms(re.search(rf"^\s+{p}%\s+(\S+)", out, re.M).group(1)) for p in ("50", "99")}
    return rps, latency


def _ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def write_results(rows, args, loads):
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    text = re.sub(re.escape(START) + r".*?" + re.escape(END) + r"\n?", "", text, flags=re.S).rstrip() + "\n\n"
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    import django

    static = rows[0][1]
    out = [START, "", f"## Public page cache (`bench/public_cache.py`) — run {now}", "",
           f"gunicorn {args.workers} sync workers, production settings (DEBUG off, WhiteNoise, Redis cache), "
           f"Django {django.get_version()}, Python {platform.python_version()}, {os.cpu_count()} CPUs shared by "
           f"gunicorn, Redis, PostgreSQL and wrk (`-t2 -c{args.connections}`, {args.duration} s per target, "
           f"{args.rounds} rounds, the targets one after the other in each round); load average "
           f"{loads[0]:.1f} before, {loads[1]:.1f} after. Median over the rounds. Target (issue 11): a cached public "
           "power page at least half the static file's throughput.", "",
           "| target | requests/s (median) | each round | p50 latency | p99 latency | share of the static file |",
           "|---|---:|---|---:|---:|---:|"]
    for name, rps, rounds, p50, p99 in rows:
        out.append(f"| {name} | {rps:,.0f} | {' / '.join(f'{r:,.0f}' for r in rounds)} | {p50:.1f} ms | "
                   f"{p99:.1f} ms | **{rps / static:.2f}** |")
    page = rows[1][1] / static
    out += ["", f"Target: the cached public power page at {page:.2f} of the static file — "
            f"**{'met' if page >= 0.5 else 'missed'}**.", "", END, ""]
    RESULTS.write_text(text + "\n".join(out), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="Print only; leave bench/results.md alone.")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: bash scripts/system-packages.sh web wrk")
    database = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cache_bench")
    redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13")
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env = _env(database, redis, static_root)
    prepare(env)
    plan = targets()
    gunicorn = start_gunicorn(env, args.workers)
    try:
        for name, path, headers in plan:
            for _ in range(3):  # warm: the first answer of a public page fills the cache
                status, response_headers = _get(path, headers)
            assert status == 200, (name, status)
            if name.startswith("cached"):
                assert response_headers.get("X-Public-Cache") == "hit", (name, response_headers)
        loads = [os.getloadavg()[0]]
        measured = {name: [] for name, _p, _h in plan}
        for round_ in range(args.rounds):
            for name, path, headers in plan:
                rps, latency = wrk(path, headers, connections=args.connections, duration=args.duration)
                measured[name].append((rps, latency))
                print(f"round {round_ + 1} {name}: {rps:,.0f} req/s, p50 {latency['50']:.1f} ms, "
                      f"p99 {latency['99']:.1f} ms", flush=True)
        loads.append(os.getloadavg()[0])
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
    rows = []
    for name, _p, _h in plan:
        runs = measured[name]
        rows.append((name, statistics.median(r for r, _l in runs), [r for r, _l in runs],
                     statistics.median(lat["50"] for _r, lat in runs), statistics.median(lat["99"] for _r, lat in runs)))
    for name, rps, _rounds, p50, p99 in rows:
        print(f"{name}: {rps:,.0f} req/s ({rps / rows[0][1]:.2f} of the static file), p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    if not args.no_write:
        write_results(rows, args, loads)


if __name__ == "__main__":
    main()
