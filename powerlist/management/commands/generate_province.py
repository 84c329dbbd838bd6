import time

from django.core.management.base import BaseCommand, CommandError

from powerlist.demo.generate import DEFAULT_PASSWORD, DEFAULT_REGION_CODE, generate_province, shape_for


class Command(BaseCommand):
    help = (
        "Generate a synthetic province (模拟省) for scale tests: cities, counties, departments, "
        "divisions, users and N powers along the review chain. Deterministic for a seed. "
        "Generated accounts: g<region code>-d<NN>-clerk / -reviewer, g<region code>-office / "
        "-establishment / -legal."
    )

    def add_arguments(self, parser):
        parser.add_argument("--powers", type=int, required=True, help="Number of powers to generate.")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--users-password", default=DEFAULT_PASSWORD,
                            help=f"Password of every generated account (default {DEFAULT_PASSWORD!r}).")
        parser.add_argument("--region-code", default=DEFAULT_REGION_CODE,
                            help="Six-digit code of the synthetic province (default 990000).")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--no-log", action="store_true",
                            help="Do not write the one 'create' review-log entry per power.")

    def handle(self, *args, powers, seed, users_password, region_code, batch_size, no_log, verbosity, **options):
        if powers < 1:
            raise CommandError("--powers must be at least 1.")
        shape = shape_for(powers)
        self.stdout.write(
            f"Generating {powers} powers: {shape.cities} cities, {shape.counties} counties, "
            f"{shape.departments_per_region} departments per region (seed {seed})."
        )
        started = time.monotonic()

        def progress(message):
            if verbosity > 1:
                self.stdout.write(f"  [{time.monotonic() - started:7.1f}s] {message}")

        try:
            stats = generate_province(
                powers=powers, seed=seed, password=users_password, region_code=region_code,
                batch_size=batch_size, log=not no_log, progress=progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc))
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(
            f"Done in {elapsed:.1f}s: {stats.regions} regions, {stats.departments} departments, "
            f"{stats.users} users, {stats.powers} powers, {stats.legal_bases} legal bases, "
            f"{stats.revisions} revisions, {stats.log_entries} review-log entries."
        ))
        self.stdout.write("By state: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.by_state.items())))
