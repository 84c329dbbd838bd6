"""The public's pages, without an account: file a complaint, look it up with the
tracking code and phrase, rate the reply, reopen or withdraw it.

Spam is held off here without any outside service: an offline captcha (django-simple-
captcha, images served by the portal) and a limit per client address (django-ratelimit
on the shared cache; settings.COMPLAINT_FILE_RATE, COMPLAINT_TRACK_RATE), refused with
429 and a message in Chinese. Every page works without JavaScript. Nothing here is
cached: a page may carry the phrase or the complainant's own complaint.
"""

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from config.auth import client_ip
from disclosure.models import PublishedPower
from powerlist.catalogue.models import Power
from powerlist.org.models import Region
from powerlist.pages import apply_errors
from powerlist.review.permissions import available_actions
from supervision.complaints import services
from supervision.complaints.flow import ComplaintAction
from supervision.complaints.forms import (
    ComplaintForm, RateForm, ReopenForm, TrackForm, WithdrawForm, department_choices, region_choices,
)
from supervision.complaints.models import Complaint, ComplaintSubject
from supervision.complaints.principal import complainant_actor, complainant_authenticate
from supervision.complaints.selectors import complaint_public_timeline

SESSION_KEY = "complaint_principal"
# Never in an error report: who the complainant is, what they wrote, the phrase.
SENSITIVE = ("name", "phone", "id_number", "address", "content", "title", "phrase", "reason", "comment")
SESSION_SECONDS = 30 * 60


def _client_key(group, request):
    return client_ip(request) or "unknown"


def _limited(request, group, rate):
    return is_ratelimited(request=request, group=group, key=_client_key, rate=rate, method="POST", increment=True)


def _too_many(request):
    response = render(request, "supervision/complaints/too_many.html", {}, status=429)
    response["Retry-After"] = "3600"
    return response


def _private(response):
    add_never_cache_headers(response)
    return response


def _published_power(power_id):
    """A power the public can see (it has a publication), or None."""
    if not power_id or not str(power_id).isdigit() or len(str(power_id)) > 18:
        return None
    power = Power.objects.select_related("department__region").filter(pk=int(power_id)).first()
    if power is None or not PublishedPower.objects.filter(power_id=power.pk).exists():
        return None
    return power


def _region(region_id):
    if not region_id or not str(region_id).isdigit() or len(str(region_id)) > 18:
        return None
    return Region.objects.filter(pk=int(region_id)).first()


@sensitive_variables()
@sensitive_post_parameters(*SENSITIVE)
@require_http_methods(["GET", "POST"])
def complaint_new_view(request):
    """Step 1 (no power, no region yet): choose the region. Step 2: the form."""
    source = request.POST if request.method == "POST" else request.GET
    power = _published_power(source.get("power"))
    region = power.department.region if power else _region(source.get("region"))
    if region is None:
        return _private(render(request, "supervision/complaints/new_region.html", {"regions": region_choices()}))
    departments = [] if power else department_choices(region.pk)
    form_kwargs = {"departments": departments, "regions": [(region.pk, region.name)]}
    if request.method == "POST":
        if _limited(request, "complaint-file", settings.COMPLAINT_FILE_RATE):
            return _too_many(request)
        form = ComplaintForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            subject = ComplaintSubject.POWER if power else data["subject"]
            try:
                complaint, phrase = services.complaint_file(
                    subject=subject, power=power, department=data["department_obj"],
                    case_number=data["case_number"], title=data["title"], content=data["content"],
                    is_anonymous=data["is_anonymous"],
                    identity={k: data[k] for k in services.IDENTITY_FIELDS}, attachments=data["attachments"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return _private(render(request, "supervision/complaints/filed.html", {
                    "complaint": complaint, "phrase": phrase}))
    else:
        form = ComplaintForm(initial={"region": region.pk, "power": power.pk if power else None,
                                      "subject": ComplaintSubject.POWER if power else ComplaintSubject.DEPARTMENT},
                             **form_kwargs)
    if power:
        form.fields["subject"].choices = [(ComplaintSubject.POWER, ComplaintSubject.POWER.label)]
    else:
        form.fields["subject"].choices = [c for c in ComplaintSubject.choices if c[0] != ComplaintSubject.POWER]
    return _private(render(request, "supervision/complaints/new.html", {
        "form": form, "power": power, "region": region}))


def _principal(request):
    """(complaint, bound actor) the session proved with code and phrase, else (None, None)."""
    held = request.session.get(SESSION_KEY) or {}
    if not held or held.get("until", 0) < time.time():
        return None, None
    complaint = Complaint.objects.select_related("region", "department", "power").filter(pk=held.get("id")).first()
    if complaint is None:
        return None, None
    return complaint, complainant_actor(complaint.pk)


@sensitive_post_parameters(*SENSITIVE)
@require_http_methods(["GET", "POST"])
def complaint_track_view(request):
    form = TrackForm(request.POST or None)
    if request.method == "POST":
        if _limited(request, "complaint-track", settings.COMPLAINT_TRACK_RATE):
            return _too_many(request)
        if form.is_valid():
            complaint, _actor = complainant_authenticate(**form.cleaned_data)
            if complaint is not None:
                request.session.cycle_key()
                request.session[SESSION_KEY] = {"id": complaint.pk, "until": time.time() + SESSION_SECONDS}
                return redirect("complaints:status")
            form.add_error(None, _("查询码或查询密语不正确。"))
    return _private(render(request, "supervision/complaints/track.html", {"form": form},
                           ))


def _status_context(complaint, actor, **forms):
    actions = {b.action for b in available_actions(actor, complaint)}
    return {
        "complaint": complaint, "timeline": complaint_public_timeline(complaint),
        "can_rate": ComplaintAction.RATE in actions and complaint.rated_at is None,
        "can_reopen": ComplaintAction.REOPEN in actions, "can_withdraw": ComplaintAction.WITHDRAW in actions,
        "rate_form": forms.get("rate_form") or RateForm(), "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
    }


def complaint_status_view(request):
    complaint, actor = _principal(request)
    if complaint is None:
        return redirect("complaints:track")
    return _private(render(request, "supervision/complaints/status.html", _status_context(complaint, actor)))


ACTION_FORMS = {
    ComplaintAction.RATE: ("rate_form", RateForm,
                           lambda actor, c, d: services.complaint_rate(actor=actor, complaint=c, rating=d["rating"],
                                                                        comment=d["comment"])),
    ComplaintAction.REOPEN: ("reopen_form", ReopenForm,
                             lambda actor, c, d: services.complaint_reopen(actor=actor, complaint=c,
                                                                            reason=d["reason"])),
    ComplaintAction.WITHDRAW: ("withdraw_form", WithdrawForm,
                               lambda actor, c, d: services.complaint_withdraw(actor=actor, complaint=c,
                                                                                comment=d["comment"])),
}


@sensitive_post_parameters(*SENSITIVE)
@require_POST
def complaint_status_action_view(request, action):
    """The complainant's actions; the engine checks the complainant's role and the state."""
    if action not in ACTION_FORMS:
        raise Http404
    complaint, actor = _principal(request)
    if complaint is None:
        return redirect("complaints:track")
    name, form_class, apply = ACTION_FORMS[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            apply(actor, complaint, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("complaints:status")
    complaint.refresh_from_db()
    return _private(render(request, "supervision/complaints/status.html",
                           _status_context(complaint, actor, **{name: form}), status=400))


@require_POST
def complaint_track_end_view(request):
    request.session.pop(SESSION_KEY, None)
    return redirect("complaints:track")
