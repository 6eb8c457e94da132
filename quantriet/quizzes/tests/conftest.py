"""Fixtures of the quiz tests: a quiz on a fresh published plan (API clients per persona: the root conftest's `api`)."""

import pytest

from .common import quiz_plan


@pytest.fixture
def quiz(users):
    return quiz_plan(users["tinh.tuyengiao"])
