"""Forms of the flowchart editor and the post pages.

The editor posts the whole chart each time (steps formset, transitions formset,
title). Buttons name an operation ("add_step", "insert_after:1", "up:2", "delete:3",
"add_transition", "delete_tr:1", "preview", "save"); every operation except "save" only changes what
the page shows, so the editor works without JavaScript, and with htmx the same
data goes to the preview endpoint on every change.
"""

import re
import secrets

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from powerlist.flowcharts.models import Flowchart
from powerlist.flowcharts.selectors import flowchart_list
from powerlist.inputs import MAX_LIMIT_DAYS, IdFilter, given
from powerlist.posts.models import Post
from powerlist.review.models import ReviewState

STEP_PREFIX = "step"
TRANSITION_PREFIX = "tr"
MAX_STEPS = 200
KEY = re.compile(r"^(\d{1,18}|new-[0-9a-z-]{1,30})$")
TEXT_FIELDS = ("handling_rules", "duty_requirements", "checkpoint_note", "counterpart_rights", "complaint_channels")


class FlowchartFilter(django_filters.FilterSet):
    """The flowchart list's query string, for the page and the API (powerlist/inputs.py).
    The filtering itself is selectors.flowchart_list's."""

    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Flowchart.Kind.choices)
    state = django_filters.ChoiceFilter(label=_("审核状态"), choices=ReviewState.choices)
    category = IdFilter(label=_("职权类别编号"))
    department = IdFilter(label=_("部门编号"))

    class Meta:
        model = Flowchart
        fields = ["kind", "state", "category", "department"]

    def filter_queryset(self, queryset):
        return flowchart_list(user=self.request.user, filters=given(self.form.cleaned_data))


def new_key():
    return f"new-{secrets.token_hex(4)}"


class StepForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("环节名称"), max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": _("如:受理")}))
    post = forms.ModelChoiceField(label=_("承办岗位"), queryset=Post.objects.none(), required=False,
                                  empty_label=_("—请选择岗位—"))
    time_limit_days = forms.IntegerField(label=_("时限(工作日)"), min_value=0, max_value=MAX_LIMIT_DAYS,
                                         required=False)
    is_checkpoint = forms.BooleanField(label=_("监督制约环节"), required=False)
    checkpoint_note = forms.CharField(label=_("监督制约内容"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    is_final = forms.BooleanField(label=_("终止环节(办结)"), required=False)
    handling_rules = forms.CharField(label=_("办理制度"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    duty_requirements = forms.CharField(label=_("职责要求"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    counterpart_rights = forms.CharField(label=_("相对人的权利"), required=False,
                                         help_text=_("如:陈述、申辩、听证、申请复议、提起诉讼"),
                                         widget=forms.Textarea(attrs={"rows": 2}))
    complaint_channels = forms.CharField(label=_("投诉举报途径和方式"), required=False,
                                         help_text=_("电话、地址、网址"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, posts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts if posts is not None else Post.objects.none()

    def clean_key(self):
        key = self.cleaned_data["key"]
        return key if KEY.match(key) else new_key()


class TransitionForm(forms.Form):
    source = forms.ChoiceField(label=_("从环节"), required=False)
    target = forms.ChoiceField(label=_("到环节"), required=False)
    label = forms.CharField(label=_("条件"), max_length=50, required=False,
                            widget=forms.TextInput(attrs={"placeholder": _("如:符合条件 / 不符合条件 / 需要听证")}))

    def __init__(self, *args, step_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("—请选择—"))] + list(step_choices)
        self.fields["source"].choices = choices
        self.fields["target"].choices = choices

    def clean(self):
        data = super().clean()
        if bool(data.get("source")) != bool(data.get("target")):
            raise forms.ValidationError(_("请同时选择起始环节和下一环节。"))
        return data


StepFormSet = forms.formset_factory(StepForm, extra=0, max_num=MAX_STEPS, absolute_max=MAX_STEPS)
TransitionFormSet = forms.formset_factory(TransitionForm, extra=0, max_num=MAX_STEPS * 4,
                                          absolute_max=MAX_STEPS * 4)


# ---------------------------------------------------------------- editor state


def _int_or_none(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _count(data, prefix, limit):
    return max(0, min(_int_or_none(data.get(f"{prefix}-TOTAL_FORMS")) or 0, limit))


def editor_content(data, *, post_names):
    """The chart as the page currently holds it (lenient: nothing is rejected here;
    incomplete transitions are kept so the page shows them again). `post_names` maps
    the department's post ids to names."""
    steps = []
    for i in range(_count(data, STEP_PREFIX, MAX_STEPS)):
        p = f"{STEP_PREFIX}-{i}-"
        key = data.get(p + "key") or ""
        post_id = _int_or_none(data.get(p + "post"))
        if post_id not in post_names:
            post_id = None
        step = {
            "key": key if KEY.match(key) else new_key(),
            "name": (data.get(p + "name") or "").strip()[:100],
            "post_id": post_id,
            "post": post_names.get(post_id, ""),
            "time_limit_days": _int_or_none(data.get(p + "time_limit_days")),
            "is_checkpoint": bool(data.get(p + "is_checkpoint")),
            "is_final": bool(data.get(p + "is_final")),
        }
        for name in TEXT_FIELDS:
            step[name] = (data.get(p + name) or "").strip()
        steps.append(step)
    transitions = []
    for i in range(_count(data, TRANSITION_PREFIX, MAX_STEPS * 4)):
        p = f"{TRANSITION_PREFIX}-{i}-"
        transitions.append({
            "source": data.get(p + "source") or "",
            "target": data.get(p + "target") or "",
            "label": (data.get(p + "label") or "").strip()[:50],
        })
    return {"title": (data.get("title") or "").strip()[:200], "steps": steps, "transitions": transitions}


def complete(content):
    """Content without transitions that do not (yet) join two steps."""
    keys = {s["key"] for s in content["steps"]}
    return dict(content, transitions=[
        t for t in content["transitions"] if t["source"] in keys and t["target"] in keys
    ])


def _blank_step():
    step = {"key": new_key(), "name": "", "post_id": None, "post": "", "time_limit_days": None,
            "is_checkpoint": False, "is_final": False}
    step.update({name: "" for name in TEXT_FIELDS})
    return step


def _before_end_steps(steps):
    """Where "新增环节" goes: after the last step that is not an end step, so the end
    steps (办结, 不予许可 …) stay last; -1 (the top) when every step is an end step."""
    for index in range(len(steps) - 1, -1, -1):
        if not steps[index]["is_final"]:
            return index
    return -1


def _insert_step(steps, transitions, index):
    """A blank step right after steps[index] (index -1: at the top), joined into the
    chain: when that step leads to exactly one step, the new one goes between them
    (the link keeps its condition); when it leads nowhere and is no end step, it leads
    to the new one; a branching or end step is left as it is, for the clerk to join."""
    new = _blank_step()
    steps = steps[:index + 1] + [new] + steps[index + 1:]
    if index < 0:
        return steps, transitions
    key = steps[index]["key"]
    outgoing = [i for i, t in enumerate(transitions) if t["source"] == key and t["target"] != key]
    if len(outgoing) == 1:
        old = transitions[outgoing[0]]
        transitions = list(transitions)
        transitions[outgoing[0]] = {"source": key, "target": new["key"], "label": old["label"]}
        transitions.append({"source": new["key"], "target": old["target"], "label": ""})
    elif not outgoing and not steps[index]["is_final"]:
        transitions = transitions + [{"source": key, "target": new["key"], "label": ""}]
    return steps, transitions


def editor_apply(content, op):
    """Apply an editor operation to the content and return the new content."""
    steps, transitions = list(content["steps"]), list(content["transitions"])
    name, _sep, arg = (op or "").partition(":")
    index = _int_or_none(arg)
    if name == "add_step":
        steps, transitions = _insert_step(steps, transitions, _before_end_steps(steps))
    elif name == "insert_after" and index is not None and 0 <= index < len(steps):
        steps, transitions = _insert_step(steps, transitions, index)
    elif name in ("up", "down") and index is not None and 0 <= index < len(steps):
        other = index - 1 if name == "up" else index + 1
        if 0 <= other < len(steps):
            steps[index], steps[other] = steps[other], steps[index]
    elif name == "delete" and index is not None and 0 <= index < len(steps):
        key = steps.pop(index)["key"]
        incoming = [t for t in transitions if t["target"] == key and t["source"] != key]
        outgoing = [t for t in transitions if t["source"] == key and t["target"] != key]
        transitions = [t for t in transitions if key not in (t["source"], t["target"])]
        # Removing a step in the middle of a chain keeps the chain joined.
        if len(incoming) == 1 and len(outgoing) == 1:
            joined = {"source": incoming[0]["source"], "target": outgoing[0]["target"], "label": incoming[0]["label"]}
            if joined not in transitions:
                transitions.append(joined)
    elif name == "add_transition":
        transitions.append({"source": steps[-1]["key"] if steps else "", "target": "", "label": ""})
    elif name == "delete_tr" and index is not None and 0 <= index < len(transitions):
        transitions.pop(index)
    return dict(content, steps=steps, transitions=transitions)


def step_choices(content):
    return [
        (s["key"], f"{i + 1}. {s['name'] or _('(未命名环节)')}") for i, s in enumerate(content["steps"])
    ]


def editor_formsets(content, *, posts, data=None):
    """(step formset, transition formset) showing `content`, bound to `data` when given."""
    choices = step_choices(content)
    if data is not None:
        return (
            StepFormSet(data, prefix=STEP_PREFIX, form_kwargs={"posts": posts}),
            TransitionFormSet(data, prefix=TRANSITION_PREFIX, form_kwargs={"step_choices": choices}),
        )
    step_initial = [dict(s, post=s["post_id"]) for s in content["steps"]]
    return (
        StepFormSet(initial=step_initial, prefix=STEP_PREFIX, form_kwargs={"posts": posts}),
        TransitionFormSet(initial=content["transitions"], prefix=TRANSITION_PREFIX,
                          form_kwargs={"step_choices": choices}),
    )


def content_from_formsets(title, step_formset, transition_formset):
    """The content of valid formsets, for saving."""
    steps = []
    for form in step_formset.forms:
        data = form.cleaned_data
        step = {name: data.get(name) for name in ("key", "name", "time_limit_days") + TEXT_FIELDS}
        step["post_id"] = data["post"].pk if data.get("post") else None
        step["post"] = data["post"].name if data.get("post") else ""
        step["is_checkpoint"] = bool(data.get("is_checkpoint"))
        step["is_final"] = bool(data.get("is_final"))
        steps.append(step)
    transitions = [
        {"source": f.cleaned_data["source"], "target": f.cleaned_data["target"], "label": f.cleaned_data["label"]}
        for f in transition_formset.forms
        if f.cleaned_data.get("source") and f.cleaned_data.get("target")
    ]
    return {"title": title, "steps": steps, "transitions": transitions}


class FlowchartStartForm(forms.Form):
    start = forms.ChoiceField(
        label=_("从哪里开始"),
        choices=[("template", _("复制本类别的流程图模板(推荐)")), ("blank", _("空白流程图"))],
        initial="template",
        widget=forms.RadioSelect,
    )


