import importlib
import secrets

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from powerlist.org.roles import Role


class Command(BaseCommand):
    help = (
        "Create the demo province (辽宁省, 沈阳市, 康平县), departments, offices and one user per role. "
        "Idempotent. Each app's demo.seed() adds its own demo records."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for every demo user (generated when absent).")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, password=None, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo refuses to run with DEBUG off (a production database?). Use --force.")
        generated = not password
        password = password or secrets.token_urlsafe(12)
        ctx = {"password": password, "stdout": self.stdout}
        with transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins (username / password):"))
        for username, user in ctx["users"].items():
            roles = ", ".join(sorted(str(Role(r).label) for r in user.role_set()))
            self.stdout.write(f"  {username:<16} {password}   {user.display_name} · {user.department} · {roles}")
        if generated:
            self.stdout.write(self.style.WARNING("The password was generated; pass --password to choose one."))
