"""Login lockout, API throttling, the JSON parser's depth limit, JSON error answers under
/api/, the Content-Security-Policy header and the lock files (docs/security.md)."""

import io
import json
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.parsers import JSONParser

from config.auth import client_ip
from config.parsers import BoundedJSONParser, json_depth

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "pw-secret-123"  # what tests/powerlist/factories.py sets for every user
LOCKED_TITLE = "登录已被暂时锁定"


def _login(client, username, password, *, ip="10.1.1.1", path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _signed_in(client):
    return "_auth_user_id" in client.session


# --- Login lockout -------------------------------------------------------------------


@pytest.mark.django_db
def test_thirty_wrong_passwords_then_the_right_one_is_refused_with_the_lockout_page(client, org):
    answers = [_login(client, "clerk", f"wrong-{n}").status_code for n in range(30)]
    # Four ordinary refusals, then the lockout from the fifth failure on.
    assert answers[:4] == [200] * 4
    assert set(answers[4:]) == {429}
    response = _login(client, "clerk", PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert LOCKED_TITLE in text
    assert "请在 15 分钟后再试" in text
    assert 'role="alert"' in text
    assert not _signed_in(client)


@pytest.mark.django_db
def test_four_failures_then_the_right_password_logs_in_and_clears_the_count(client, org):
    for n in range(4):
        assert _login(client, "clerk", f"wrong-{n}").status_code == 200
    response = _login(client, "clerk", PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)
    assert AccessAttempt.objects.count() == 0


@pytest.mark.django_db
def test_a_username_is_locked_from_every_address(client, org):
    for n in range(5):
        _login(client, "clerk", "wrong", ip=f"10.2.0.{n}")
    assert _login(client, "clerk", PASSWORD, ip="10.9.9.9").status_code == 429
    # Another user from a fresh address is not affected.
    assert _login(client, "other_clerk", PASSWORD, ip="10.9.9.8").status_code == 302


@pytest.mark.django_db
def test_an_address_is_locked_for_every_username(client, org):
    for n in range(5):
        _login(client, f"guess{n}", "wrong", ip="10.3.0.1")
    assert _login(client, "clerk", PASSWORD, ip="10.3.0.1").status_code == 429
    assert _login(client, "clerk", PASSWORD, ip="10.3.0.2").status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_give_a_fresh_address(client, org):
    for n in range(5):
        client.post("/accounts/login/", {"username": f"guess{n}", "password": "x"},
                    REMOTE_ADDR="10.4.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD},
                           REMOTE_ADDR="10.4.0.1", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429


def test_client_ip_trusts_only_the_configured_number_of_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.5"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # what our proxy saw, not what the client wrote
    settings.TRUSTED_PROXY_COUNT = 3  # fewer hops than proxies: the header is not trusted
    assert client_ip(request) == "10.0.0.5"


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(client, org):
    for n in range(5):
        _login(client, "clerk", "wrong")
    assert _login(client, "clerk", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, "clerk", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_admin_login_is_locked_too(client, org):
    for n in range(5):
        _login(client, "admin", "wrong", path="/admin/login/")
    response = _login(client, "admin", PASSWORD, path="/admin/login/")
    assert response.status_code == 429
    assert LOCKED_TITLE in response.content.decode()
    assert not _signed_in(client)


@pytest.mark.django_db
def test_an_administrator_unlocks_a_username_with_the_management_command(client, org):
    for n in range(5):
        _login(client, "clerk", "wrong")
    assert _login(client, "clerk", PASSWORD, ip="10.5.0.1").status_code == 429
    call_command("axes_reset_username", "clerk", stdout=io.StringIO())
    assert _login(client, "clerk", PASSWORD, ip="10.5.0.1").status_code == 302


@pytest.mark.django_db
def test_administrators_see_and_delete_lockouts_in_the_admin(client, org):
    for n in range(5):
        _login(client, "clerk", "wrong")
    attempt = AccessAttempt.objects.get()
    client.force_login(org.admin)
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert _login(client, "clerk", PASSWORD).status_code == 302


def test_lockout_runs_before_the_password_backends():
    backends = settings.AUTHENTICATION_BACKENDS
    assert backends[0] == "config.auth.LockoutBackend"
    assert backends.index("config.auth.LockoutBackend") < backends.index("django.contrib.auth.backends.ModelBackend")
    assert "guardian.backends.ObjectPermissionBackend" in backends
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


@pytest.mark.django_db
def test_the_test_client_login_without_a_request_still_works(client, org):
    assert client.login(username="clerk", password=PASSWORD)


# --- API throttling -------------------------------------------------------------------


@pytest.fixture
def throttled(settings):
    settings.API_THROTTLE_ENABLED = True
    settings.API_THROTTLE_RATES = {"anon": "3/min", "user": "4/min", "token_failure": "3/min"}
    cache.clear()
    yield settings
    cache.clear()


@pytest.mark.django_db
def test_a_user_past_the_rate_gets_429_with_retry_after(client, org, throttled):
    token = Token.objects.create(user=org.clerk)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert [client.get("/api/v1/powers/", **auth).status_code for _ in range(4)] == [200] * 4
    response = client.get("/api/v1/powers/", **auth)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"] == "请求已被限流。 预计 60 秒后可用。"


@pytest.mark.django_db
def test_wrong_tokens_from_one_address_are_refused_at_speed(client, org, throttled):
    token = Token.objects.create(user=org.clerk)
    wrong = {"HTTP_AUTHORIZATION": "Token " + "0" * 40, "REMOTE_ADDR": "10.6.0.1"}
    # 403, not 401: the session authentication comes first and sends no WWW-Authenticate.
    assert [client.get("/api/v1/powers/", **wrong).status_code for _ in range(3)] == [403] * 3
    assert client.get("/api/v1/powers/", **wrong).status_code == 429
    # The address stays blocked for tokens, even the right one, until the window passes ...
    right = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get("/api/v1/powers/", REMOTE_ADDR="10.6.0.1", **right).status_code == 429
    # ... while other addresses are not affected.
    assert client.get("/api/v1/powers/", REMOTE_ADDR="10.6.0.2", **right).status_code == 200


@pytest.mark.django_db
def test_throttling_reads_its_rates_from_settings(client, org, throttled):
    throttled.API_THROTTLE_RATES = {"anon": "3/min", "user": "2/min", "token_failure": "3/min"}
    client.force_login(org.clerk)
    assert [client.get("/api/v1/powers/").status_code for _ in range(3)] == [200, 200, 429]


# --- JSON depth -----------------------------------------------------------------------


@pytest.mark.parametrize(("data", "depth"), [(1, 0), ([], 1), ({"a": [1, {"b": []}]}, 4), ([[[[]]], []], 4)])
def test_json_depth(data, depth):
    assert json_depth(data) == depth


@pytest.mark.parametrize("levels", [100_000, 33])
@pytest.mark.django_db
def test_deeply_nested_json_is_a_400(client, org, levels):
    client.force_login(org.clerk)
    body = "[" * levels + "]" * levels
    response = client.post("/api/v1/powers/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON 嵌套过深(最多 32 层)。"}


def test_json_within_the_limit_parses():
    assert BoundedJSONParser().parse(io.BytesIO(b'{"a": [[1]]}')) == {"a": [[1]]}
    body = ("[" * 32 + "]" * 32).encode()
    assert json_depth(BoundedJSONParser().parse(io.BytesIO(body))) == 32


def _views(resolver=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry)
        elif isinstance(entry, URLPattern):
            yield str(entry.pattern), entry.callback


def test_every_api_view_parses_json_with_the_depth_limit():
    checked = 0
    for route, callback in _views():
        view_class = getattr(callback, "cls", None)
        if view_class is None or not hasattr(view_class, "parser_classes"):
            continue
        json_parsers = [p for p in view_class.parser_classes if issubclass(p, JSONParser)]
        assert all(issubclass(p, BoundedJSONParser) for p in json_parsers), route
        checked += 1
    assert checked >= 10


# --- JSON errors under /api/ ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v1/powers/1/no-such-action/", "/api/nothing"])
def test_unknown_api_urls_answer_json_404(client, org, path):
    client.force_login(org.clerk)
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到。"}


@pytest.mark.django_db
def test_unknown_pages_still_answer_the_html_404(client):
    response = client.get("/no-such-page-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_locked_out_login_over_xhr_answers_json(client, org):
    for n in range(5):
        _login(client, "clerk", "wrong")
    response = client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD},
                           REMOTE_ADDR="10.1.1.1", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 429
    assert "15 分钟" in response.json()["detail"]


# --- Content-Security-Policy ------------------------------------------------------------


def _policy(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/login/"])
def test_pages_send_the_policy(client, path):
    policy = _policy(client.get(path))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert policy["style-src"][0] == "'self'"
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    assert "'unsafe-eval'" not in policy["script-src"]


@pytest.mark.django_db
def test_signed_in_pages_and_the_api_send_the_policy(client, org):
    client.force_login(org.clerk)
    for path in ("/workspace/", "/powers/", "/api/v1/powers/", "/api/swagger/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _policy(response)["frame-ancestors"] == ["'none'"], path


@pytest.mark.django_db
def test_the_swagger_page_has_no_inline_script_and_a_nonce_on_its_style(client, org):
    client.force_login(org.clerk)
    response = client.get("/api/swagger/")
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<style nonce="{nonce}">' in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>", re.I)
INLINE_STYLE_ELEMENT = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["']""", re.I)
EVENT_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
# Pages the policy relaxes on purpose (config/urls.py), with why.
RELAXED = {"drf_spectacular/redoc.html": "Redoc styles itself inline; style-src 'unsafe-inline' for that view"}
# Templates that never reach a browser: WeasyPrint lays them out into PDFs (render_to_string
# in a Celery task), where no Content-Security-Policy applies and a stylesheet inline is
# the plain way to give the PDF its page rules (@page, footers).
PDF_ONLY = {"disclosure/pdf/directory.html", "disclosure/pdf/power.html", "supervision/assessment_pdf.html"}


def test_templates_carry_no_inline_code_the_policy_would_refuse():
    found = []
    for path in sorted((BASE_DIR / "templates").rglob("*.html")) + sorted(BASE_DIR.glob("*/templates/**/*.html")):
        name = str(path.relative_to(BASE_DIR)).split("templates/", 1)[1]
        if name in RELAXED:
            continue
        text = path.read_text(encoding="utf-8")
        if name in PDF_ONLY:
            # Only the stylesheet is allowed there: no script, no handler.
            patterns = (INLINE_SCRIPT, STYLE_ATTRIBUTE, EVENT_HANDLER)
            found += [f"{name}: {m.group(0).strip()}" for p in patterns for m in p.finditer(text)]
            continue
        for pattern in (INLINE_SCRIPT, INLINE_STYLE_ELEMENT, STYLE_ATTRIBUTE, EVENT_HANDLER):
            found += [f"{name}: {m.group(0).strip()}" for m in pattern.finditer(text)]
    assert found == []


# --- Lock files -------------------------------------------------------------------------


def _lock_copy(tmp_path):
    for name in ("pyproject.toml", "requirements.lock", "requirements-test.lock", "scripts/lock.sh"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(BASE_DIR / name, tmp_path / name)
    return tmp_path


def _lock_check(root):
    return subprocess.run(["bash", "scripts/lock.sh", "check"], cwd=root, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)


def test_the_committed_locks_match_pyproject(tmp_path):
    result = _lock_check(_lock_copy(tmp_path))
    assert result.returncode == 0, result.stderr


def test_a_dependency_added_without_relocking_fails_the_check(tmp_path):
    root = _lock_copy(tmp_path)
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(text.replace('dependencies = [\n', 'dependencies = [\n    "requests>=2",\n', 1))
    result = _lock_check(root)
    assert result.returncode == 1
    assert "requirements.lock is stale" in result.stderr


def test_a_change_outside_the_dependency_lists_does_not_stale_the_lock(tmp_path):
    root = _lock_copy(tmp_path)
    with (root / "pyproject.toml").open("a") as f:
        f.write('\n[tool.example]\nkey = "value"\n')
    assert _lock_check(root).returncode == 0


def test_every_locked_package_has_a_hash():
    for name in ("requirements.lock", "requirements-test.lock"):
        text = (BASE_DIR / name).read_text()
        pins = re.findall(r"^([A-Za-z0-9][\w.-]*)==(\S+) \\\n((?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", text, re.M)
        names = re.findall(r"^[A-Za-z0-9][\w.-]*==", text, re.M)
        assert len(pins) == len(names) > 50, name
        assert json.dumps(sorted(p[0].lower() for p in pins)).count('"django"') == 1
