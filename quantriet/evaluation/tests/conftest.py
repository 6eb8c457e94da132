"""Fixtures of the evaluation's tests: two cells of one commune with five members each, a published plan."""

import datetime

import pytest

from quantriet.essays.tests.common import essay_plan
from quantriet.org.models import Gender, Member, MemberStatus, Organization
from quantriet.org.tree import parent_path


@pytest.fixture
def where(users):
    """Dangvien1's cell and a sibling, each with at least five members (the test demo's cells are smaller)."""
    cell = users["dangvien1"].member.cell
    commune = Organization.objects.get(path=parent_path(cell.path))
    sibling = Organization.objects.filter(path__startswith=commune.path, depth=cell.depth).exclude(pk=cell.pk).first()
    for unit in (cell, sibling):
        for number in range(Member.objects.filter(cell=unit).count(), 5):
            Member.objects.create(full_name=f"Lê Văn Thử {unit.pk}-{number}", date_of_birth=datetime.date(1980, 1, 1),
                                  gender=Gender.MALE, joined_on=datetime.date(2005, 1, 1), status=MemberStatus.FULL,
                                  cell=unit)  # fmt: skip
    return {"cell": cell, "commune": commune, "sibling": sibling}


@pytest.fixture
def plan(users):
    return essay_plan(users["admin"])
