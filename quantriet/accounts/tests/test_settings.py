"""Production defaults: two-factor sign-in required of admins and provincial staff unless the
environment says otherwise; under DEBUG (make run, the demo) of no one."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def _setting(name, tmp_path, **environment):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "OTP_REQUIRED_FOR"}}
    env.update(SECRET_KEY="k" * 60, SQLITE_PATH=str(tmp_path / "db.sqlite3"), **environment)
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(  # noqa: S603 - our own manage.py, a setting name from the test
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"DJANGO_DEBUG": "0"}, "['admins', 'province']"),
        ({"DJANGO_DEBUG": "0", "OTP_REQUIRED_FOR": ""}, "[]"),
        ({"DJANGO_DEBUG": "0", "OTP_REQUIRED_FOR": "admins"}, "['admins']"),
        ({"DJANGO_DEBUG": "1"}, "[]"),
    ],
)
def test_who_must_use_two_factor_sign_in_by_default(environment, expected, tmp_path):
    assert _setting("OTP_REQUIRED_FOR", tmp_path, **environment) == expected


def test_idle_limit_defaults_to_thirty_minutes_and_the_absolute_one_stays_eight_hours(tmp_path):
    assert _setting("SESSION_IDLE_MINUTES", tmp_path, DJANGO_DEBUG="0") == "30"
    assert _setting("SESSION_COOKIE_AGE", tmp_path, DJANGO_DEBUG="0") == str(8 * 3600)
