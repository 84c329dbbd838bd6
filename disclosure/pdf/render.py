"""HTML for the PDFs, from published rows only, and WeasyPrint to lay it out.

Chinese stays real, searchable text only when the CSS names an installed CJK font
(WeasyPrint drops glyphs it has no font for, silently): the font list starts with
settings.CJK_FONT_FAMILY, the font Graphviz also draws the flowcharts with."""

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

FALLBACK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC")
_SAFE_FONT = re.compile(r"^[\w .-]+$")


def font_stack():
    """The CSS font-family list (quoted, safe inside <style>)."""
    names = [settings.CJK_FONT_FAMILY, *FALLBACK_FONTS]
    names = [n for n in dict.fromkeys(names) if _SAFE_FONT.match(n)]
    return mark_safe(", ".join(f'"{n}"' for n in names) + ", sans-serif")


def _groups(rows):
    groups = []
    for row in rows:
        if not groups or groups[-1]["category"] != row.data["category"]:
            groups.append({"category": row.data["category"], "rows": []})
        groups[-1]["rows"].append(row)
    return groups


def directory_html(publication, rows) -> str:
    """The directory of `publication`: cover, table of contents by category, every row.
    `rows` are the publication's PublishedPower rows in category order."""
    with translation.override("zh-hans"):
        return render_to_string("disclosure/pdf/directory.html", {
            "publication": publication, "rows": rows, "groups": _groups(rows), "font": font_stack(),
        })


def power_html(publication, row) -> str:
    with translation.override("zh-hans"):
        return render_to_string("disclosure/pdf/power.html", {
            "publication": publication, "row": row, "font": font_stack(),
        })


def html_to_pdf(html, *, progress=None) -> tuple:
    """(pdf bytes, page count). `progress(percent)` is told when layout is done."""
    from weasyprint import HTML  # imported late: loading Pango costs ~0.3 s

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    if progress is not None:
        progress(80)
    return document.write_pdf(), len(document.pages)
