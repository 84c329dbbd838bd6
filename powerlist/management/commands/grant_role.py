from django.core.management.base import BaseCommand, CommandError

from powerlist.org.models import RoleAssignment, User
from powerlist.org.roles import Role


class Command(BaseCommand):
    help = "Grant a role to a user, e.g. `grant_role alice administrator`."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[r.value for r in Role])

    def handle(self, *args, username, role, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}.")
        RoleAssignment.objects.get_or_create(user=user, role=role)
        self.stdout.write(self.style.SUCCESS(f"{username}: {role} granted."))
