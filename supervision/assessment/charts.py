"""The assessment's charts as plain server-side SVG (no script, no inline style: they
work without JavaScript, under the portal's CSP and in WeasyPrint's PDF). Each names
its font so Chinese labels render and stay searchable in the PDF; each has a <title>
and the page shows the same figures in a table beside it."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"


def _open(width, height, title):
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
            f'role="img" aria-label="{escape(title)}" class="chart" font-family="{FONT}">'
            f'<title>{escape(title)}</title>']


def bars_svg(*, title, rows, width=640, label_width=150, bar_height=18, peak=100) -> str:
    """Horizontal bars: `rows` are (label, value, colour), drawn top to bottom with the
    value written after each bar (ranking, breakdown)."""
    gap = 6
    height = 16 + len(rows) * (bar_height + gap)
    plot_w = width - label_width - 60
    parts = _open(width, height, title)
    for i, (label, value, colour) in enumerate(rows):
        y = 8 + i * (bar_height + gap)
        w = max(plot_w * float(value) / peak, 0)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" text-anchor="end" font-size="12" fill="#333">'
            f'{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{colour}">'
            f'<title>{escape(label)}:{value}</title></rect>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + bar_height - 5}" font-size="12" fill="#333">{value}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_svg(*, title, labels, series, width=640, height=220, peak=100) -> str:
    """A line per series over `labels` (quarters); `series` are (name, colour, values)
    with None where a quarter has no value."""
    left, right, top, bottom = 36, 12, 12, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(labels) - 1, 1)
    parts = _open(width, height, title)
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#555"/>'
                 f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="11" fill="#333">{peak}</text>'
                 f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" font-size="11" fill="#333">0</text>')
    for i, label in enumerate(labels):
        parts.append(f'<text x="{left + i * step:.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11" '
                     f'fill="#333">{escape(label)}</text>')
    legend_x = left
    for name, colour, values in series:
        points = [(left + i * step, top + plot_h - plot_h * float(v) / peak, v)
                  for i, v in enumerate(values) if v is not None]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
            for x, y, v in points:
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                             f'<title>{escape(name)}:{v}</title></circle>')
        parts.append(f'<rect x="{legend_x}" y="{height - 14}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{legend_x + 14}" y="{height - 5}" font-size="11" fill="#333">{escape(name)}</text>')
        legend_x += 24 + 13 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))
