"""Drawing flowcharts: DOT source built from steps and transitions, laid out by
Graphviz (dot) into SVG on the server. The same SVG goes into the editor, the power
page, the public portal and PDFs.

Input is plain data (ChartStep / ChartEdge), so a saved flowchart, a frozen revision
and the editor's unsaved form all draw the same way. Drawings are cached under the
hash of their DOT source: a chart is re-drawn only when what it shows changes.
"""

import hashlib
import re
from dataclasses import dataclass

import graphviz
from django.conf import settings
from django.core.cache import cache
from django.utils.html import escape
from django.utils.translation import gettext as _

CACHE_PREFIX = "flowchart-svg:"
CACHE_SECONDS = 60 * 60 * 24 * 30
# Graphviz accepts colour names and #rrggbb; anything else from a caller is dropped.
COLOUR = re.compile(r"^(#[0-9A-Fa-f]{6}|[a-z]{3,20})$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CHECKPOINT_FILL = "#fff3cd"
CHECKPOINT_BORDER = "#b35c00"


@dataclass(frozen=True)
class ChartStep:
    key: str  # a step's id (or the editor's key for an unsaved step)
    name: str
    post: str = ""
    time_limit_days: int | None = None
    is_checkpoint: bool = False
    is_final: bool = False


@dataclass(frozen=True)
class ChartEdge:
    source: str
    target: str
    label: str = ""


def _dot_escape(text) -> str:
    """`text` made safe inside a DOT double-quoted string: backslashes doubled (so
    `\\N`, `\\G`, `\\l` cannot act as escapes), quotes escaped, control characters
    dropped. Nothing a clerk types can close the string and inject attributes."""
    text = CONTROL.sub(" ", str(text or ""))
    return text.replace("\\", "\\\\").replace('"', '\\"')


def dot_quote(text) -> str:
    return f'"{_dot_escape(text)}"'


def dot_label(lines) -> str:
    """A quoted multi-line label (DOT's centred line break between lines)."""
    return '"' + "\\n".join(_dot_escape(line) for line in lines) + '"'


def _wrap(text, width=12):
    """Break long Chinese names into lines of `width` characters (dot does not wrap)."""
    text = str(text or "")
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def _node_lines(step):
    lines = _wrap(step.name)
    if step.post:
        lines.append(_("承办:%(post)s") % {"post": step.post})
    if step.time_limit_days is not None:
        lines.append(_("时限:%(n)s个工作日") % {"n": step.time_limit_days})
    if step.is_checkpoint:
        lines.append(_("◆监督制约环节"))
    return lines


def flowchart_dot(steps, edges, *, highlights=None, title="") -> str:
    """DOT source for the chart. `highlights` maps a step key to a colour (e.g. the
    risk level a later app computes for the step); invalid colours are ignored."""
    font = dot_quote(settings.CJK_FONT_FAMILY)
    highlights = {str(k): v for k, v in (highlights or {}).items()}
    ids = {str(step.key): f"s{i}" for i, step in enumerate(steps)}
    out = [
        "digraph flowchart {",
        f"  graph [fontname={font}, rankdir=TB, nodesep=0.5, ranksep=0.45, label={dot_quote(title)}, "
        'labelloc=t, fontsize=16];',
        f'  node [fontname={font}, shape=box, style="rounded,filled", fillcolor="#ffffff", '
        'color="#1f4e79", fontsize=12, margin="0.2,0.08"];',
        f'  edge [fontname={font}, fontsize=11, color="#333333"];',
    ]
    if steps:
        out.append(f'  start [label={dot_quote(_("开始"))}, shape=oval, fillcolor="#e8f0fe"];')
    for step in steps:
        attrs = [f"label={dot_label(_node_lines(step))}"]
        if step.is_checkpoint:
            attrs.append(f'fillcolor="{CHECKPOINT_FILL}", color="{CHECKPOINT_BORDER}", penwidth=2')
        if step.is_final:
            attrs.append("peripheries=2")
        colour = highlights.get(str(step.key))
        if colour and COLOUR.match(str(colour)):
            attrs.append(f'fillcolor="{colour}"')
        out.append(f"  {ids[str(step.key)]} [{', '.join(attrs)}];")
    if steps:
        out.append(f"  start -> {ids[str(steps[0].key)]};")
    for edge in edges:
        source, target = ids.get(str(edge.source)), ids.get(str(edge.target))
        if source is None or target is None:
            continue
        label = f" [label={dot_quote(edge.label)}]" if edge.label else ""
        out.append(f"  {source} -> {target}{label};")
    out.append("}")
    return "\n".join(out) + "\n"


def _inline_ready(svg: str, title: str) -> str:
    """Drop the XML prolog and doctype; label the drawing for assistive technology
    (the text outline beside it carries the full content)."""
    svg = svg[svg.index("<svg"):]
    label = escape(_("流程图:%(title)s") % {"title": title} if title else _("流程图"))
    return svg.replace("<svg", f'<svg role="img" aria-label="{label}" class="flowchart-svg"', 1)


def render_dot_svg(dot: str, *, title="") -> str:
    """SVG for a DOT source, from the cache when the same source was drawn before."""
    key = CACHE_PREFIX + hashlib.sha256(f"{title}\0{dot}".encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        raw = graphviz.Source(dot, engine="dot").pipe(format="svg").decode("utf-8")
        svg = _inline_ready(raw, title)
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def flowchart_svg(steps, edges, *, highlights=None, title="") -> str:
    return render_dot_svg(flowchart_dot(steps, edges, highlights=highlights, title=title), title=title)
