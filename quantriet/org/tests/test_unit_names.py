"""Lists that mix units of different parents name the parent: one rule, Organization.name_with_parent."""

import pytest
from django.db.models import Count
from django.urls import reverse

from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization, attach_parent_names
from quantriet.org.tree import parent_path


@pytest.fixture
def twin_cells(db):
    """Two cells of the same name under two different communes (the demo has many)."""
    name = (
        Organization.objects.cells()
        .values("name")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("name")
        .values_list("name", flat=True)
        .first()
    )
    cells = list(Organization.objects.filter(name=name).order_by("path")[:2])
    assert parent_path(cells[0].path) != parent_path(cells[1].path)
    return cells


def _parent(org):
    return Organization.objects.get(path=parent_path(org.path))


def test_name_with_parent(twin_cells):
    cell = twin_cells[0]
    assert cell.name_with_parent == f"{cell.name} — {_parent(cell).name}"
    root = Organization.objects.get(code=ROOT_CODE)
    assert root.name_with_parent == root.name


def test_attach_parent_names_in_one_query(twin_cells, django_assert_num_queries):
    first, second = (Organization.objects.get(pk=c.pk) for c in twin_cells)
    expected = [_parent(c).name for c in twin_cells]
    with django_assert_num_queries(1):
        attach_parent_names([first, None, second])
        assert [first.parent_name, second.parent_name] == expected
    # Under the page's own unit, the parent goes unsaid: the title names it.
    again = Organization.objects.get(pk=twin_cells[0].pk)
    attach_parent_names([again], within=_parent(twin_cells[0]))
    assert again.name_with_parent == again.name
    # Nor for the page's unit itself (a cell's own page, a cell's own conference).
    attach_parent_names([again], within=again)
    assert again.name_with_parent == again.name


def test_search_results_name_the_parent(client_as, twin_cells):
    page = client_as("tinh.tuyengiao").get(reverse("org:tree"), {"q": twin_cells[0].name}).content.decode()
    for cell in twin_cells:
        assert f"{cell.name}</a> — {_parent(cell).name}" in page


def test_member_list_names_the_parent_only_above_the_commune(client_as, twin_cells):
    client = client_as("tinh.tuyengiao")
    commune = _parent(twin_cells[0])
    root = Organization.objects.get(code=ROOT_CODE)
    province_page = client.get(reverse("org:detail", args=[root.pk])).content.decode()
    assert " — Đảng bộ" in province_page
    commune_page = client.get(reverse("org:detail", args=[commune.pk])).content.decode()
    assert f" — {commune.name}</td>" not in commune_page
