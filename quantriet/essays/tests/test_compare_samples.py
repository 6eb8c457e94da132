"""A grader reads a sample of the library side by side with an essay only when the essay's verdict
names that sample; the library itself stays its keepers' (`sample.manage`).

The side-by-side view is for whoever may grade the essay; before this rule it opened any sample by
id for them, while the sample's own page refused them (403): a commune secretary could read the
whole library one id at a time through any essay they grade.
"""

import pytest
from django.urls import reverse

from quantriet.essays import originality, services
from quantriet.essays.models import VerdictLabel
from quantriet.originality.tests import corpus

from .common import essay_plan, member_in


@pytest.fixture
def world(users):
    plan = essay_plan(users["admin"])
    plan.documents.update(body=corpus.read(corpus.REFERENCE_NAME))
    keeper = users["tinh.tuyengiao"]
    copied = originality.sample_add(keeper, "Bài mẫu được chép", corpus.read("mau-2-internet.txt"))
    other = originality.sample_add(keeper, "Bài mẫu khác", corpus.read("mau-1-internet.txt"))
    copy = services.essay_submit(users["admin"], plan, member_in("X001"), corpus.read("chep-2a-doi-ten.txt"))
    honest = services.essay_submit(
        users["admin"], plan, member_in("X001", pk__gt=copy.member_id), corpus.read("that-1-lan-long-duc.txt")
    )
    assert copy.verdict.sample == copied and copy.verdict.label == VerdictLabel.COPIES_SAMPLE
    assert honest.verdict.sample is None
    return {"plan": plan, "copy": copy, "honest": honest, "copied": copied, "other": other}


def side_by_side(client, essay, sample):
    return client.get(reverse("essays:compare", args=[essay.pk, "mau", sample.pk]))


def test_a_grader_compares_with_the_sample_the_verdict_names(world, client_as):
    response = side_by_side(client_as("xa1.bithu"), world["copy"], world["copied"])
    assert response.status_code == 200 and "Bài mẫu: Bài mẫu được chép" in response.content.decode()


def test_any_other_sample_is_a_404_to_a_grader(world, client_as):
    grader = client_as("xa1.bithu")
    assert side_by_side(grader, world["copy"], world["other"]).status_code == 404
    assert side_by_side(grader, world["honest"], world["copied"]).status_code == 404  # its verdict names none
    assert grader.get(reverse("essays:sample", args=[world["copied"].pk])).status_code == 403  # nor the library


def test_the_keepers_of_the_library_compare_with_any_sample(world, client_as):
    for persona in ["tinh.tuyengiao", "admin"]:
        response = side_by_side(client_as(persona), world["honest"], world["other"])
        assert response.status_code == 200 and "Bài mẫu: Bài mẫu khác" in response.content.decode()


def test_the_rule_follows_the_current_verdict(world, client_as, users):
    """Once the essay is rewritten and no longer matches, its grader no longer reads the sample."""
    copy = world["copy"]
    services.essay_submit(users["admin"], world["plan"], copy.member, corpus.read("that-2-binh-truong-hoa-thuan.txt"))
    copy.refresh_from_db()
    assert copy.verdict.sample is None
    assert side_by_side(client_as("xa1.bithu"), copy, world["copied"]).status_code == 404
