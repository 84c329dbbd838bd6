"""Every write of the supervision app, one module per topic."""

from supervision.services.calendar import (  # noqa: F401
    calendar_day_clear, calendar_day_set, calendar_seed_from_library, calendar_year_create,
    calendar_year_save,
)
