"""Production settings: no start without a secret key, a clean `check --deploy`, and the
demo seeder refusing a production database. Each case runs Django in a fresh process
with its own environment, since settings are read once per process."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

BASE_DIR = Path(__file__).resolve().parent.parent
# Variables that would let a case pass for the wrong reason.
# DJANGO_ALLOW_ASYNC_UNSAFE is set in-process by the browser tests (tests/e2e/conftest.py).
SCRUBBED = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE")


def _run(args, **env):
    base = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    base.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=base, capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL,
    )


def _production_env(tmp_path):
    return {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-like-key-" + "Zq9!vR2#tL8@wK4$" * 3,
        "ALLOWED_HOSTS": "portal.example.gov.cn",
        "VAR_DIR": str(tmp_path),
        # Production must set the complainants' identity key (supervision.E201); a Fernet key.
        "COMPLAINT_IDENTITY_KEY": "dGVzdHMtb25seS1wcm9kdWN0aW9uLWxpa2Uta2V5ISE=",
    }


@pytest.mark.parametrize("debug", ["0", None], ids=["DEBUG=0", "DEBUG-unset"])
def test_production_refuses_to_start_without_secret_key(tmp_path, debug):
    env = {"VAR_DIR": str(tmp_path)}
    if debug is not None:
        env["DEBUG"] = debug
    result = _run(["-c", "import django; django.setup()"], **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_starts_without_secret_key_with_a_fixed_dev_key(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    first = _run(["-c", code], DEBUG="1", VAR_DIR=str(tmp_path))
    second = _run(["-c", code], DEBUG="1", VAR_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout  # never a random key that differs per process


def test_production_settings_are_secure(tmp_path):
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS > 0, s.ALLOWED_HOSTS]))"
    )
    result = _run(["-c", code], **_production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '[false, true, true, true, true, ["portal.example.gov.cn"]]'


def test_check_deploy_is_clean_with_production_environment(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **_production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_flags_a_weak_secret_key(tmp_path):
    env = dict(_production_env(tmp_path), SECRET_KEY="short")
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("seed_demo", "--password", "pw-secret-123")
    from powerlist.models import User

    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_runs_with_force(settings):
    settings.DEBUG = False
    out = io.StringIO()
    call_command("seed_demo", "--password", "pw-secret-123", "--force", stdout=out)
    assert "Demo data ready" in out.getvalue()
    from powerlist.models import User

    assert User.objects.filter(username="clerk").exists()


def test_seed_demo_refuses_in_a_production_process(tmp_path):
    """The same refusal end to end: a production-configured process, no --force."""
    env = _production_env(tmp_path)
    result = _run(["manage.py", "seed_demo", "--password", "pw-secret-123"], **env)
    assert result.returncode != 0
    assert "seed_demo refuses to run with DEBUG off" in result.stderr


def test_offline_commands_run_without_a_secret_key_but_nothing_else_does(tmp_path):
    env = {"VAR_DIR": str(tmp_path)}
    migrations = _run(["manage.py", "makemigrations", "--check", "--dry-run"], **env)
    assert migrations.returncode == 0, migrations.stderr
    serving = _run(["manage.py", "check"], **env)
    assert serving.returncode != 0 and "SECRET_KEY is not set" in serving.stderr
