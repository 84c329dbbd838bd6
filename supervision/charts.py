"""Server-side SVG charts for the board: plain SVG with presentation attributes.

pygal is in the lock, but its output carries an inline <script> and an inline <style>
that the portal's Content-Security-Policy (nonce-only scripts and styles) blocks, so
its charts would lose their colours; these charts need neither, work without
JavaScript and read out through <title> and a table beside them."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    values: tuple


def stacked_bars_svg(*, title, labels, series, width=640, height=240, percent=False) -> str:
    """A stacked bar per label (month); `series` stack in order. With `percent`, values
    are 0–100 and the axis reads %."""
    left, bottom, top, right = 40, 40, 16, 8
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    peak = 100 if percent else max(totals + [1])
    step = plot_w / max(len(labels), 1)
    bar_w = max(step * 0.6, 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#555"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="11" fill="#333">'
        f'{peak}{"%" if percent else ""}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" font-size="11" fill="#333">0</text>',
    ]
    for i, label in enumerate(labels):
        x = left + i * step + (step - bar_w) / 2
        y = top + plot_h
        for s in series:
            value = s.values[i]
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{s.colour}">'
                f'<title>{escape(label)} {escape(s.label)}:{value}{"%" if percent else ""}</title></rect>'
            )
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11" '
                     f'fill="#333">{escape(label)}</text>')
    legend_x = left
    for s in series:
        parts.append(f'<rect x="{legend_x}" y="{height - 14}" width="10" height="10" fill="{s.colour}"/>'
                     f'<text x="{legend_x + 14}" y="{height - 5}" font-size="11" fill="#333">{escape(s.label)}</text>')
        legend_x += 24 + 13 * len(s.label)
    parts.append("</svg>")
    return mark_safe("".join(parts))
