"""The English translation: every message translated, placeholders kept, and the pages
switch language by cookie, Accept-Language or the language form."""

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|\{\}")


def ensure_messages_compiled():
    """Compile the .mo when it is missing or older than the .po (it is not committed;
    `make messages` builds it), and make this process load the fresh catalogue."""
    if MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime:
        return
    if not shutil.which("msgfmt"):
        pytest.skip("gettext's msgfmt is not installed (apt-get install gettext)")
    call_command("compilemessages", "--ignore=.venv", "--ignore=node_modules", "--locale=en", verbosity=0)
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._default = None


def _entries():
    """(msgid, [msgstr forms], flags) for each entry of the English .po."""
    text = PO.read_text(encoding="utf-8")
    out = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields, current = {}, None
        for line in lines:
            m = re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if m:
                current = m.group(1)
                fields[current] = m.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            forms = [v for k, v in fields.items() if k.startswith("msgstr")]
            out.append((fields["msgid"], forms, flags))
    return out


def test_every_message_has_an_english_translation():
    entries = _entries()
    assert len(entries) > 500
    untranslated = [msgid for msgid, forms, flags in entries if not all(forms) or "fuzzy" in flags]
    assert untranslated == [], f"{len(untranslated)} untranslated or fuzzy, e.g. {untranslated[:5]}"


def test_translations_keep_placeholders_and_leave_no_chinese():
    problems = []
    for msgid, forms, _flags in _entries():
        for form in forms:
            if sorted(PLACEHOLDER.findall(form)) != sorted(PLACEHOLDER.findall(msgid)):
                problems.append(("placeholders", msgid, form))
            # Chinese may remain only inside quotation marks: values users type in Chinese
            # (spreadsheet headers, category words), as in “行政许可”.
            if re.search(r"[\u4e00-\u9fff]", re.sub(r"“[^”]*”", "", form)):
                problems.append(("chinese", msgid, form))
    assert problems == []


@pytest.fixture
def english():
    ensure_messages_compiled()


@pytest.mark.django_db
def test_workspace_in_english_by_language_cookie(client, org, english):
    client.force_login(org.clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/workspace/").content.decode()
    assert '<html lang="en">' in body
    assert "<h1>Workspace</h1>" in body
    assert "My items" in body
    assert "Skip to main content" in body
    assert "工作台" not in body


@pytest.mark.django_db
def test_workspace_in_english_by_accept_language(client, org, english):
    client.force_login(org.dept_reviewer)
    body = client.get("/workspace/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "<h1>Workspace</h1>" in body
    assert "Department review" in body


@pytest.mark.django_db
def test_chinese_is_the_default(client, org, english):
    client.force_login(org.clerk)
    body = client.get("/workspace/").content.decode()
    assert '<html lang="zh-hans">' in body
    assert "<h1>工作台</h1>" in body


@pytest.mark.django_db
def test_language_form_sets_the_cookie(client, org, english):
    client.force_login(org.clerk)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/workspace/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "<h1>Workspace</h1>" in client.get("/workspace/").content.decode()


@pytest.mark.django_db
def test_refusal_reasons_are_translated(client, org, english):
    client.force_login(org.clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/workspace/legal-confirmation/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Access denied" in body
    assert "This page is for the role “Legal office confirmer”, which your account does not have." in body


def test_validation_messages_are_translated(english):
    with translation.override("en"):
        assert translation.gettext("承诺时限不得超过法定时限。") == (
            "The promised time limit may not exceed the statutory time limit."
        )
        assert translation.ngettext("共 %(n)s 项", "共 %(n)s 项", 2) % {"n": 2} == "2 items"
        assert translation.ngettext("共 %(n)s 项", "共 %(n)s 项", 1) % {"n": 1} == "1 item"
