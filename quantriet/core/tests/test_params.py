"""The year a page is asked for: this year by default, a nonsense year is a 404, not another year."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from quantriet.core.params import year_param


@pytest.mark.parametrize(("query", "year"), [({}, None), ({"nam": ""}, None), ({"nam": "2026"}, 2026),
                                             ({"nam": " 2031 "}, 2031)])  # fmt: skip
def test_the_year_asked_for_or_this_year(query, year):
    assert year_param(RequestFactory().get("/", query)) == (year or timezone.localdate().year)


def test_a_posted_year_counts_too():
    assert year_param(RequestFactory().post("/", {"nam": "2025"})) == 2025


@pytest.mark.parametrize("value", ["abc", "1999", "2101", "-2026", "20 26"])
def test_a_year_that_is_not_one_is_a_page_that_does_not_exist(value):
    with pytest.raises(Http404):
        year_param(RequestFactory().get("/", {"nam": value}))
