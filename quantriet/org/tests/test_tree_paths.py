"""org.tree: the path helpers agree with treebeard's own view of the demo tree."""

import pytest

from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization
from quantriet.org.tree import ancestor_paths, ancestors_of, is_root_path, is_within, parent_path, path_length


@pytest.fixture
def tree(db):
    """The root, a commune under it, two cells of that commune and a cell of another commune."""
    root = Organization.objects.get(code=ROOT_CODE)
    communes = list(Organization.objects.get_children(root).filter(kind="dang_uy_xa").order_by("path")[:2])
    cells = list(Organization.objects.get_children(communes[0]).order_by("path")[:2])
    other = Organization.objects.get_children(communes[1]).order_by("path").first()
    return root, communes[0], cells, other


def test_parent_and_root(tree):
    root, commune, cells, other = tree
    for org in [commune, *cells, other]:
        assert parent_path(org.path) == Organization.objects.get_parent(org).path
        assert not is_root_path(org.path)
    assert is_root_path(root.path) and parent_path(root.path) == ""


def test_path_length_is_the_depth_in_steps(tree):
    root, commune, cells, other = tree
    for org in [root, commune, *cells, other]:
        assert path_length(org.depth) == len(org.path)
    assert path_length(commune.depth + 1) == len(cells[0].path)  # a child's prefix of a deeper path


def test_ancestors_of_top_first(tree):
    root, commune, cells, _ = tree
    cell = cells[0]
    assert ancestors_of(cell.path) == [a.path for a in Organization.objects.get_ancestors(cell)]
    assert ancestors_of(cell.path) == [root.path, commune.path]
    assert ancestors_of(cell.path, top=commune.path) == [commune.path]  # from TOP, TOP included
    assert ancestors_of(commune.path, top=commune.path) == []
    assert ancestors_of(root.path) == []


def test_ancestor_paths_include_the_paths_themselves(tree):
    root, commune, cells, other = tree
    paths = [cells[0].path, cells[1].path, other.path]
    expected = {org.path for org in [*cells, other]}
    expected |= {a.path for org in [*cells, other] for a in Organization.objects.get_ancestors(org)}
    assert ancestor_paths(paths) == sorted(expected)
    assert ancestor_paths([cells[0].path, cells[1].path], top=commune.path) == [
        commune.path,
        *sorted(c.path for c in cells),
    ]
    assert ancestor_paths([]) == []


def test_within_is_the_node_or_below_it():
    assert is_within("00010002", "0001") and is_within("0001", "0001")
    assert not is_within("00020001", "0001") and not is_within("0001", "00010002") and not is_within("0001", "")
