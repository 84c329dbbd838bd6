"""Demo data of the supervision app, called by seed_demo (idempotent)."""

from supervision.services.calendar import calendar_seed_from_library


def seed(ctx):
    """The working-day calendar of every year chinesecalendar knows."""
    result = calendar_seed_from_library()
    if result["created"] or result["synced"]:
        ctx["stdout"].write(f"Working-day calendar: {len(result['created']) + len(result['synced'])} years loaded.")
