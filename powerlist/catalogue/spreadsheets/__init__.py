"""Spreadsheet import and export of powers (the department's Excel template).

columns.py  the template: headers, what each column means, cell normalisation
imports.py  power_import: all-or-nothing import with a row-by-row error report
exports.py  power_export / power_template: the same template, empty or filled
"""

from .exports import EXPORT_STREAM_LIMIT, power_export, power_export_start, power_export_to, power_template
from .imports import (
    ImportResult,
    import_upload_cleanup,
    import_upload_columns,
    import_upload_create,
    import_upload_passed,
    import_upload_preview,
    power_import,
    power_import_start,
    require_clerk_of,
    workbook_open,
    workbook_read,
)

__all__ = [
    "EXPORT_STREAM_LIMIT", "ImportResult", "import_upload_cleanup", "import_upload_columns", "import_upload_create", "import_upload_passed",
    "import_upload_preview", "power_export", "power_export_start", "power_export_to",
    "power_import", "power_import_start", "power_template", "require_clerk_of", "workbook_open",
    "workbook_read",
]
