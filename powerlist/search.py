"""Chinese search: the tokens stored for a power and the query built from what a person
types. One cut for both users of it: the public portal (disclosure stores the tokens of
every published power in its search table) and the staff power lists (on PostgreSQL the
stored column powerlist_power.search_vector, generated from name and code by the same cut
written in SQL: migrations powerlist 0012 and 0013).

Text is cut into runs of Chinese characters and runs of letters/digits. A Chinese run
becomes its overlapping character bigrams (社会保险 → 社会 会保 保险; a single character
stays itself); a letter/digit run becomes one lower-case word. Codes split on their
separators (210000-XK-001 → 210000 xk 001). The same cut serves the stored vector and
the query, so a query term matches exactly the tokens the text produced:
  许可          → 许可
  社会保险      → 社会 <-> 会保 <-> 保险   (the bigrams next to each other: the phrase)
  低保 许可     → 低保 & 许可             (space-separated terms: all of them)
  210000-XK-001 → 210000 <-> xk <-> 001
  许            → 许:*                    (a single character: any bigram starting with it)
A few everyday words also match their official names (低保 → 最低生活保障, SYNONYMS).
"""

import re

from django.db import connection

# CJK unified ideographs (with extension A) and compatibility ideographs.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[{_CJK}]+|[A-Za-z0-9]+")
_IS_CJK = re.compile(f"^[{_CJK}]")
MAX_QUERY_TERMS = 8
MAX_QUERY_LENGTH = 100


def _run_tokens(run):
    if not _IS_CJK.match(run):
        return [run.lower()]
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def text_tokens(text) -> list:
    """The tokens of `text` in order (bigrams of Chinese runs, lower-case words)."""
    tokens = []
    for run in _RUN.findall(text or ""):
        tokens.extend(_run_tokens(run))
    return tokens


def search_tokens(*, name, code, body) -> str:
    """The token text the stored vector is built from: name | code | body."""
    return "|".join(" ".join(text_tokens(part)) for part in (name, code, body))


# Words citizens type for the official names they mean (a query term matches either).
SYNONYMS = {
    "低保": ("最低生活保障",),
    "社保": ("社会保险",),
    "环评": ("环境影响评价",),
    "医保": ("医疗保障", "医疗保险"),
    "公积金": ("住房公积金",),
    "排污": ("污染物排放", "排放污染物"),
}


def query_groups(q) -> list:
    """What a query asks for: one group per space-separated term, each the term and its
    synonyms (a row must match one of each group). Terms without letters, digits or
    Chinese characters are dropped."""
    groups = []
    for chunk in (q or "")[:MAX_QUERY_LENGTH].split():
        if _RUN.search(chunk):
            groups.append([chunk, *SYNONYMS.get(chunk, ())])
    return groups[:MAX_QUERY_TERMS]


def _alternative(text, weight=""):
    tokens = text_tokens(text)
    suffix = f":{weight}" if weight else ""
    if len(tokens) == 1 and _IS_CJK.match(tokens[0]) and len(tokens[0]) == 1:
        return f"{tokens[0]}:*{weight}"
    if len(tokens) == 1:
        return tokens[0] + suffix
    return "(" + " <-> ".join(t + suffix for t in tokens) + ")"


def tsquery(groups, *, weight="") -> str:
    """The to_tsquery('simple', …) text for `groups`; with `weight` ("A") only tokens of
    that weight (the name) match. Tokens hold only letters, digits and Chinese
    characters, so nothing in it needs quoting."""
    return " & ".join(
        "(" + " | ".join(_alternative(alt, weight) for alt in group) + ")" for group in groups
    )


def like_needles(q) -> list:
    """Every substring the query may match (terms and synonyms), for LIKE and highlighting."""
    return [alt for group in query_groups(q) for alt in group]


def highlight_spans(text, q) -> list:
    """`text` cut into [(piece, is_match)] around every occurrence of a query term
    (case-insensitive), for the template to mark; the template escapes each piece."""
    needles = sorted({n.lower() for n in like_needles(q)}, key=len, reverse=True)
    if not text or not needles:
        return [(text or "", False)]
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        if match.start() > last:
            pieces.append((text[last:match.start()], False))
        pieces.append((match.group(0), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def snippet(text, q, width=60) -> str:
    """About `width` characters of `text` around the first match of the query."""
    text = " ".join((text or "").split())
    needles = [n.lower() for n in like_needles(q)]
    lower = text.lower()
    positions = [lower.find(n) for n in needles if lower.find(n) >= 0]
    if not positions:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(0, min(positions) - width // 3)
    end = start + width
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def staff_search_filter(qs, q, *, table="powerlist_power"):
    """`qs` (Powers) limited to those whose name or code matches `q`: on PostgreSQL the
    GIN-indexed tsvector column generated from name and code (the portal's query),
    elsewhere `icontains` on name and code. A query with no term leaves `qs` as it is."""
    from django.db.models import Q

    groups = query_groups(q)
    if not groups:
        return qs
    if connection.vendor == "postgresql":
        return qs.extra(where=[f"{table}.search_vector @@ to_tsquery('simple', %s)"], params=[tsquery(groups)])
    for group in groups:
        condition = Q()
        for alternative in group:
            condition |= Q(name__icontains=alternative) | Q(code__icontains=alternative)
        qs = qs.filter(condition)
    return qs


def capped_count(qs, cap) -> tuple:
    """(count, capped): counts at most `cap` + 1 rows, so a common query never pays for
    an exact COUNT over tens of thousands of hits."""
    n = qs.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap
