"""Responsibility items (责任事项) by stage, and accountability circumstances (追责情形), as
text: the stage templates per category, and the splitting and joining of the numbered
cells real lists carry ("1.立案责任:… 2.调查取证责任:…").

Pure functions without the database: the import, the export and the data migration that
moved the old `duty` / `accountability` texts (0009) all use them, so a text splits the
same way wherever it comes from. Splitting never loses text: what does not split becomes
one item of stage 其他 (or one circumstance) holding the whole text.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResponsibilityStage(models.TextChoices):
    FILING = "filing", _("立案")
    INVESTIGATION = "investigation", _("调查取证")
    HEARING = "hearing", _("审理")
    NOTICE = "notice", _("告知")
    ACCEPTANCE = "acceptance", _("受理")
    EXAMINATION = "examination", _("审查")
    INSPECTION = "inspection", _("检查")
    DECISION = "decision", _("决定")
    SERVICE = "service", _("送达")
    ENFORCEMENT = "enforcement", _("执行")
    HANDLING = "handling", _("处置")
    AFTERCARE = "aftercare", _("事后监管")
    OTHER = "other", _("其他")


S = ResponsibilityStage
# The stages a new power of each category starts with (national guidance on power and
# responsibility lists: a penalty 立案 → 执行, a licence 受理 → 事后监管), by category code
# (powerlist.catalogue.reference). Categories not named get GENERAL_STAGES.
GENERAL_STAGES = (S.ACCEPTANCE, S.EXAMINATION, S.DECISION, S.SERVICE, S.OTHER)
STAGES_BY_CATEGORY = {
    "CF": (S.FILING, S.INVESTIGATION, S.HEARING, S.NOTICE, S.DECISION, S.SERVICE, S.ENFORCEMENT, S.OTHER),
    "XK": (S.ACCEPTANCE, S.EXAMINATION, S.DECISION, S.SERVICE, S.AFTERCARE, S.OTHER),
    "SP": (S.ACCEPTANCE, S.EXAMINATION, S.DECISION, S.SERVICE, S.AFTERCARE, S.OTHER),
    "QZ": (S.NOTICE, S.DECISION, S.ENFORCEMENT, S.AFTERCARE, S.OTHER),
    "ZS": (S.NOTICE, S.DECISION, S.ENFORCEMENT, S.OTHER),
    "JC": (S.INSPECTION, S.HANDLING, S.AFTERCARE, S.OTHER),
    "ZD": (S.EXAMINATION, S.DECISION, S.ENFORCEMENT, S.OTHER),
}


def stages_for(category_code):
    """The stage template of a category (its code), as ResponsibilityStage members."""
    return STAGES_BY_CATEGORY.get(category_code, GENERAL_STAGES)


# How real lists name a stage in a heading ("X责任"): every label, plus the variants.
STAGE_BY_LABEL = {str(label): value for value, label in S.choices}
STAGE_BY_LABEL.update({
    "调查": S.INVESTIGATION, "取证": S.INVESTIGATION, "审核": S.EXAMINATION, "审批": S.EXAMINATION,
    "核查": S.EXAMINATION, "催告": S.NOTICE, "听证": S.HEARING, "处理": S.HANDLING, "监管": S.AFTERCARE,
    "事后管理": S.AFTERCARE, "监督": S.AFTERCARE, "实施": S.ENFORCEMENT, "征收": S.ENFORCEMENT,
    "检查实施": S.INSPECTION,
})
_LABELS = "|".join(sorted(map(re.escape, STAGE_BY_LABEL), key=len, reverse=True))
_NUMBER = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
# A numbering in front of an item: "1." "1、" "(1)" "(一)" "一、" "①".
_NUMBERING = rf"(?:[((]\s*{_NUMBER}\s*[))]|{_NUMBER}\s*[.、.．)）]|[①②③④⑤⑥⑦⑧⑨⑩])"
# A stage heading starts the text, a line, or a sentence; it is numbered or ends in a colon.
_HEADING = re.compile(
    rf"(?:^|(?<=[\n。;;]))[ \t]*(?P<num>{_NUMBERING})?[ \t]*(?P<label>{_LABELS})责任(?:事项)?[ \t]*(?P<colon>[::])?"
)
_ITEM_START = re.compile(rf"(?:^|(?<=[\n。;;]))[ \t]*{_NUMBERING}[ \t]*")


def split_responsibility_text(text):
    """A responsibility cell or the old `duty` text as [(stage, text)], in order.

    Headings "1.立案责任:" (numbered, or followed by a colon) start an item of that stage;
    text before the first heading is kept as an item of stage 其他 in front; a text with no
    heading becomes one 其他 item with the whole text. Blank text gives [].
    """
    text = (text or "").strip()
    if not text:
        return []
    headings = [m for m in _HEADING.finditer(text) if m.group("num") or m.group("colon")]
    if not headings:
        return [(str(S.OTHER), text)]
    items = []
    preamble = text[: headings[0].start()].strip()
    if preamble:
        items.append((str(S.OTHER), preamble))
    for i, match in enumerate(headings):
        end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
        body = text[match.end():end].strip()
        items.append((str(STAGE_BY_LABEL[match.group("label")]), body))
    return items


def _stage_and_text(item):
    if isinstance(item, dict):
        return item["stage"], item.get("text")
    if isinstance(item, (tuple, list)):
        return item[0], item[1]
    return item.stage, item.text


def join_responsibility_items(items):
    """[(stage, text)] (or dicts or objects with stage and text) as the numbered cell text;
    split_responsibility_text reads it back. Items without text are left out; a single
    其他 item is its text alone (so an unsplit text comes back exactly)."""
    pairs = [_stage_and_text(i) for i in items]
    pairs = [(stage, (body or "").strip()) for stage, body in pairs if (body or "").strip()]
    if len(pairs) == 1 and pairs[0][0] == S.OTHER:
        return pairs[0][1]
    return "\n".join(f"{n}.{S(stage).label}责任:{body}" for n, (stage, body) in enumerate(pairs, 1))


def split_circumstances(text):
    """An accountability cell or the old `accountability` text as [text], in order.

    Numbered items ("1." "(一)" "①"…) start a circumstance; without numbering each line is
    one; an introduction before the first number ("有下列情形之一的,…:") is kept as the
    first entry. Blank text gives []."""
    text = (text or "").strip()
    if not text:
        return []
    starts = list(_ITEM_START.finditer(text))
    if not starts:
        return [line.strip() for line in text.split("\n") if line.strip()]
    items = []
    preamble = text[: starts[0].start()].strip()
    if preamble:
        items.append(preamble)
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        body = text[match.end():end].strip()
        if body:
            items.append(body)
    return items


def join_circumstances(texts):
    """Circumstance texts as the numbered cell text; an introduction (ending in a colon)
    stays unnumbered, and a single circumstance is its text alone."""
    texts = [(getattr(t, "text", t) or "").strip() for t in texts]
    texts = [t for t in texts if t]
    if len(texts) == 1:
        return texts[0]
    lines, number = [], 0
    for t in texts:
        if t.endswith((":", ":")) and number == 0:
            lines.append(t)
            continue
        number += 1
        lines.append(f"{number}.{t}")
    return "\n".join(lines)
