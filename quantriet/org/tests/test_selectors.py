"""Reads of the tree that higher apps need (org.selectors)."""

from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization
from quantriet.org.selectors import org_ancestors, orgs_outermost


def _org(code):
    return Organization.objects.get(code=f"{ROOT_CODE}-{code}")


def test_outermost_keeps_each_subtree_once_in_tree_order(db):
    c1, c2 = _org("X001"), _org("X002")
    cell = Organization.objects.filter(path__startswith=c1.path, depth=c1.depth + 1).first()
    assert orgs_outermost({c2.pk, cell.pk, c1.pk}) == sorted([c1, c2], key=lambda o: o.path)
    assert orgs_outermost(Organization.objects.filter(pk=cell.pk)) == [cell]


def test_ancestors_come_top_first(db):
    cell = Organization.objects.filter(path__startswith=_org("X001").path, depth=3).first()
    assert org_ancestors(cell) == [Organization.objects.get(code=ROOT_CODE), _org("X001")]
