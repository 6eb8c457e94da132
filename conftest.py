"""Shared fixtures: a small demo province seeded once per test database, and its personas.

Each test runs in a transaction that is rolled back, so the seeded province is the same in
every test. The personas are the five demo logins of the README.
"""

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings

TEST_SCALE = 0.01
PERSONAS = ["admin", "tinh.tuyengiao", "xa1.bithu", "xa2.bithu", "dangvien1"]


@pytest.fixture(scope="session", autouse=True)
def test_settings(tmp_path_factory):
    """Background tasks run at once, inside the test (no worker process); uploads go to a temporary folder;
    two-factor sign-in is required of no one (as under DEBUG) unless a test says so (accounts/tests)."""
    tasks = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=tasks, MEDIA_ROOT=tmp_path_factory.mktemp("media"), OTP_REQUIRED_FOR=[]):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # Essays and quizzes tests build their own; the demo's would share their sample library.
        call_command("seed_demo", scale=TEST_SCALE, quiet=True, essays=False, stdout=open(os.devnull, "w"))


@pytest.fixture
def users(db):
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(username__in=PERSONAS)}


@pytest.fixture
def outsider(db):
    """A logged-in user with no grant and no member record."""
    return get_user_model().objects.create_user("nguoingoai", password="khong-quan-trong-123")  # noqa: S106


@pytest.fixture
def client_as(users, outsider):
    """client_as(name) → a Client logged in as that persona ("outsider" too, or None for anonymous)."""

    def make(name):
        client = Client()
        if name == "outsider":
            client.force_login(outsider)
        elif name is not None:
            client.force_login(users[name])
        return client

    return make


@pytest.fixture
def api(client_as, users, outsider):
    """api(persona) → a client sending that persona's bearer token."""
    from quantriet.core.models import ApiToken

    def make(persona):
        user = outsider if persona == "outsider" else users[persona]
        client = client_as(None)
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(user)}"
        return client

    return make


@pytest.fixture
def otp_required(settings):
    """Two-factor sign-in required of admins and provincial staff, as in production."""
    settings.OTP_REQUIRED_FOR = ["admins", "province"]


@pytest.fixture
def signed_in(users):
    """signed_in(name) → a Client that has just given that persona's password (no second factor yet)."""

    def make(name):
        client = Client()
        client.force_login(users[name])
        return client

    return make
