"""Property: nothing posted to the public complaint pages answers 5xx, and what is
refused saves nothing half-done (FUZZ_EXAMPLES examples per page, default 30)."""

import os

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supervision.complaints.models import Complaint, ComplaintIdentity
from tests.supervision.complaints.public import captcha_solved

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
HOSTILE = ["", " ", "a\x00b", "x" * 10_000, "投诉" * 3_000, "9" * 30, "-1", "0", "1.5", "NaN", "2147483648",
           "9223372036854775808", "<script>alert(1)</script>", "' OR 1=1 --", "%00", "\u202e", "😀", "power",
           "case", "department", "received", "../../etc/passwd", "TS" + "A" * 40]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60), st.integers(-(2**70), 2**70).map(str))
FIELDS = ["region", "subject", "department", "power", "case_number", "title", "content", "is_anonymous", "name",
          "phone", "id_number", "address", "captcha_0", "captcha_1"]
FILES = st.sampled_from([
    None, ("a.png", b"\x89PNG\r\n\x1a\n"), ("a.pdf", b"MZ\x90"), ("a.exe", b"MZ"), ("", b""), ("x" * 300 + ".jpg", b"\xff\xd8\xff"),
    ("a.docx", b"PK\x03\x04garbage"),
])


@pytest.mark.django_db
def test_public_form_never_answers_5xx(org):
    client = Client(raise_request_exception=False)
    base = {"region": org.province.pk, "subject": "department", "department": org.dept.pk, "title": "t",
            "content": "c", "name": "张三", "phone": "13800001111"}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(overrides=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=4), upload=FILES,
           solved=st.booleans())
    def probe(overrides, upload, solved):
        cache.clear()
        data = {**base, **(captcha_solved() if solved else {}), **overrides}
        if upload:
            data["attachments"] = SimpleUploadedFile(upload[0] or "blank", upload[1])
        before = Complaint.objects.count()
        response = client.post(reverse("complaints:new"), data)
        assert response.status_code < 500, (data, response.status_code)
        if response.context is None or "phrase" not in response.context:
            assert Complaint.objects.count() == before
        assert ComplaintIdentity.objects.count() <= Complaint.objects.count()

    probe()


@pytest.mark.django_db
def test_lookup_and_status_actions_never_answer_5xx(org):
    client = Client(raise_request_exception=False)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(code=VALUES, phrase=VALUES, action=st.sampled_from(["rate", "reopen", "withdraw", "x", "😀"]),
           body=st.dictionaries(st.sampled_from(["rating", "comment", "reason"]), VALUES, max_size=3))
    def probe(code, phrase, action, body):
        cache.clear()
        assert client.post(reverse("complaints:track"), {"tracking_code": code, "phrase": phrase}).status_code < 500
        assert client.post(f"/complaints/status/{action}/", body).status_code < 500
        assert client.get(reverse("complaints:new"), {"region": code, "power": phrase}).status_code < 500

    probe()
