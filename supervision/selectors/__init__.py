"""Every read the supervision pages need, one module per topic."""

from supervision.selectors.calendar import (  # noqa: F401
    calendar_change_list, calendar_next_year_missing, calendar_warning, calendar_year_list,
    calendar_years_missing,
)
from supervision.selectors.cases import (  # noqa: F401,E402
    alert_get, alert_list, board, case_count, case_events, case_get, case_list, open_alert_count, overdue_today,
)
