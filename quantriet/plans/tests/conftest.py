"""Fixtures of the programmes' tests: the demo plan and the demo tree's places (see common.py)."""

import pytest

from .common import demo_plan, places


@pytest.fixture
def plan():
    return demo_plan()


@pytest.fixture
def where(users):
    return places(users)
