"""Helpers for the public pages: a solved captcha, a filled form."""

from captcha.models import CaptchaStore
from django.urls import reverse


def captcha_solved():
    key = CaptchaStore.generate_key()
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def form_data(dept, **overrides):
    data = {
        "region": dept.region_id, "subject": "department", "department": dept.pk, "case_number": "",
        "title": "窗口推诿", "content": "办理时窗口工作人员推诿,要求多次补交材料。", "name": "张三",
        "phone": "13800001111", "id_number": "", "address": "", **captcha_solved(),
    }
    data.update(overrides)
    return data


def file_through_form(client, dept, **overrides):
    """POST the form; returns (response, tracking code, phrase) read from the page."""
    response = client.post(reverse("complaints:new"), form_data(dept, **overrides))
    context = response.context
    if context is None or "phrase" not in context:
        return response, None, None
    return response, context["complaint"].tracking_code, context["phrase"]
