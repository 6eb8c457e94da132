"""Fixtures of the quiz tests: a quiz on a fresh published plan, API clients per persona."""

import pytest

from quantriet.core.models import ApiToken

from .common import quiz_plan


@pytest.fixture
def quiz(users):
    return quiz_plan(users["tinh.tuyengiao"])


@pytest.fixture
def api(client_as, users, outsider):
    """api(persona) → a client sending that persona's bearer token."""

    def make(persona):
        user = outsider if persona == "outsider" else users[persona]
        client = client_as(None)
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(user)}"
        return client

    return make
