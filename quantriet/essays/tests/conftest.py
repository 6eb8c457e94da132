"""Fixtures shared by the essays tests that check originality verdicts."""

import pytest

from quantriet.originality.tests import corpus

from .common import essay_plan


@pytest.fixture
def plan(users):
    """A plan asking every member for an essay, whose document is the directive of the labelled corpus
    (the reference: its headings are boilerplate for pairing)."""
    plan = essay_plan(users["admin"])
    plan.documents.update(body=corpus.read(corpus.REFERENCE_NAME))
    return plan
