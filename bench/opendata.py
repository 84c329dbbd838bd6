"""Open data benchmark on PostgreSQL: building the province's bulk files (CSV, XLSX, JSON
and checksums, disclosure.opendata.services.dataset_build_province) and reading the open
API's power list, on a synthetic province whose powers in force are all published.

    .venv/bin/python bench/opendata.py --powers 50000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_opendata (default)

The province comes from powerlist.demo.generate (about 65 % of its powers are in force) and is
published in bulk by bench/search.py's publish_up_to, whose snapshots are smaller than
real ones (name, code, category, department, region, legal bases; no flowchart): file
sizes and times are lower bounds for real publications. Peak memory is the peak RSS of
the process, before and after the build; files go to default storage (MEDIA_ROOT, a temporary
folder here). The figures and `uptime` go into the "Open data" section of bench/results.md.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import resource
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-000")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h_opendata")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="opendata-bench-"))
os.environ["API_THROTTLE_ENABLED"] = "0"
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from disclosure.models import PublishedPower  # noqa: E402
from disclosure.opendata.models import DatasetFile  # noqa: E402
from disclosure.opendata.services import dataset_build_province  # noqa: E402
from powerlist.demo.generate import generate_province  # noqa: E402
from powerlist.models import Region  # noqa: E402
from search import publish_up_to  # noqa: E402

RESULTS = ROOT / "bench" / "results.md"
START, END = "<!-- open-data bench: start -->", "<!-- open-data bench: end -->"
CODE = "980000"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--powers", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-build", action="store_true", help="measure the API only (files already built)")
    args = parser.parse_args()
    if not Region.objects.filter(code=CODE).exists():
        # About 65 % of generated powers are in force; generate enough to publish --powers.
        generate_province(powers=int(args.powers / 0.6), region_code=CODE, log=False)
    with transaction.atomic():
        publish_up_to(args.powers)
    province = Region.objects.get(code=CODE)
    published = PublishedPower.objects.filter(is_current=True, region__path__startswith=province.path).count()

    build = "not run (--no-build)"
    if not args.no_build:
        before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        dataset = dataset_build_province(province=province, force=True)
        build_s = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sizes = {f.format: f.size for f in DatasetFile.objects.filter(dataset=dataset)}
        build = (f"**{build_s:.1f} s**, peak RSS of the process {peak_mb:.0f} MiB ({before_mb:.0f} MiB before the "
                 "build); files " + ", ".join(f"{fmt} {size / 2**20:.1f} MiB" for fmt, size in sorted(sizes.items())))

    client = Client()
    samples = {}
    for label, url in (("powers/ page 1", "/api/open/v1/powers/?region=" + CODE),
                       ("powers/ page 100 (whole province)", "/api/open/v1/powers/?page=100"),
                       ("power detail", None)):
        if url is None:
            row = PublishedPower.objects.filter(region=province).only("code").first()
            url = f"/api/open/v1/powers/{CODE}/{row.code}/"
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        samples[label] = (statistics.median(times), times[max(0, int(round(0.95 * len(times))) - 1)])

    load = os.getloadavg()
    lines = [
        START,
        f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, `bench/opendata.py --powers {args.powers}`, "
        f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (2 cores shared by other engineers' "
        "tests: figures under load).",
        "",
        f"Province build ({published:,} published powers; bench snapshots, no flowcharts): {build}.",
        "",
        "| open API request (in process, test client) | median ms | p95 ms |",
        "|---|---|---|",
        *[f"| {label} | {m:.1f} | {p:.1f} |" for label, (m, p) in samples.items()],
        END,
    ]
    text = RESULTS.read_text() if RESULTS.exists() else ""
    block = "\n".join(lines)
    if START in text:
        text = text[:text.index(START)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Open data\n\n" + block + "\n"
    RESULTS.write_text(text)
    print(block)


if __name__ == "__main__":
    main()
