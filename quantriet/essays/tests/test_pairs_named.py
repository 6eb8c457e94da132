"""Near-duplicate essays are named by author and unit (only for those who may see them), the board
filters the essays with a sign of copying, and the compare view's legend is its marks."""

import re

import pytest
from django.urls import reverse

from quantriet.essays import services
from quantriet.essays.models import EssayVerdict, VerdictLabel
from quantriet.org.models import Organization
from quantriet.org.tree import parent_path
from quantriet.originality.tests import corpus

from .common import member_in


def submit(plan, member, name, users):
    return services.essay_submit(users["admin"], plan, member, corpus.read(name))


@pytest.fixture
def pair(plan, users):
    """dangvien1's honest essay, copied by a member of the same commune."""
    mine = submit(plan, users["dangvien1"].member, "that-1-lan-long-duc.txt", users)
    copier = services.essay_writers(plan).filter(cell=mine.cell, user__isnull=True).order_by("id").first()
    theirs = submit(plan, copier, "chep-that-1.txt", users)
    assert EssayVerdict.objects.get(essay=mine).label == VerdictLabel.COPIES_ESSAY
    return mine, theirs


def unit(essay):
    return f"{essay.cell.name} — {Organization.objects.get_parent(essay.cell).name}"


def test_the_verdict_names_the_other_essay_by_author_and_unit(pair, client_as):
    mine, theirs = pair
    page = client_as("xa1.bithu").get(mine.get_absolute_url()).content.decode()
    assert f"{theirs.member.full_name} — {unit(theirs)}" in page
    assert f"bài #{theirs.pk}" not in page


def test_the_board_names_the_pairs(plan, pair, client_as):
    mine, theirs = pair
    board = client_as("xa1.bithu").get(reverse("essays:board", args=[plan.pk])).content.decode()
    assert f"{mine.member.full_name} — {unit(mine)}" in board
    assert reverse("essays:compare", args=[theirs.pk, "bai", mine.pk]) in board


def test_an_essay_of_another_scope_is_not_named(plan, users, client_as):
    mine = submit(plan, users["dangvien1"].member, "that-1-lan-long-duc.txt", users)
    theirs = services.essay_submit(users["admin"], plan, member_in("X002"), corpus.read("chep-that-1.txt"))
    for url in (mine.get_absolute_url(), reverse("essays:board", args=[plan.pk])):
        page = client_as("xa1.bithu").get(url).content.decode()
        assert "một bài trong phạm vi khác" in page
        assert f"{theirs.member.full_name} — " not in page and unit(theirs) not in page
    province = client_as("tinh.tuyengiao").get(mine.get_absolute_url()).content.decode()
    assert f"{theirs.member.full_name} — {unit(theirs)}" in province


def test_the_compare_headings_name_both_authors_and_units(pair, client_as):
    mine, theirs = pair
    page = client_as("xa1.bithu").get(reverse("essays:compare", args=[mine.pk, "bai", theirs.pk])).content.decode()
    assert f"Bài của {mine.member.full_name} — {unit(mine)}" in page
    assert f"Bài của {theirs.member.full_name} — {unit(theirs)}" in page


def test_the_legend_lists_exactly_the_numbered_marks(pair, client_as):
    mine, theirs = pair
    page = client_as("xa1.bithu").get(reverse("essays:compare", args=[mine.pk, "bai", theirs.pk])).content.decode()
    legend = page[page.index('id="legend"') : page.index('id="mine"')]
    text = page[page.index('id="mine"') :]
    marked = re.findall(r'<mark id="a-(\d+)" class="passage" data-passage="(\d+)"', text)
    assert marked and all(a == b for a, b in marked)
    listed = re.findall(r'<mark class="passage" data-passage="(\d+)">câu (\d+)</mark>', legend)
    assert [n for n, _ in listed] == [a for a, _ in marked] and all(a == b for a, b in listed)
    assert "tô đậm" not in page  # the marks are highlighted, not bold


def test_the_board_filters_the_essays_with_a_sign_of_copying(plan, pair, users, client_as):
    mine, theirs = pair
    honest = services.essay_writers(plan).filter(cell=mine.cell, user__isnull=True).order_by("id")[1]
    submit(plan, honest, "that-5-hong-tram-y-te.txt", users)
    commune = parent_path(mine.cell.path)
    used = [mine.member_id, theirs.member_id, honest.pk]
    weak = services.essay_writers(plan).filter(cell__path__startswith=commune).exclude(pk__in=used).first()
    EssayVerdict.objects.filter(essay=submit(plan, weak, "that-6-dung-hop-tac-xa.txt", users)).update(
        label=VerdictLabel.GENERIC
    )
    page = client_as("xa1.bithu").get(reverse("essays:board", args=[plan.pk]), {"loc": "sao_chep"}).content.decode()
    table = page[page.index('id="essays"') :]
    assert "Chỉ bài có dấu hiệu sao chép" in page
    assert f"<td>{mine.member.full_name}<" in table and f"<td>{theirs.member.full_name}<" in table
    assert f"<td>{honest.full_name}<" not in table
    assert f"<td>{weak.full_name}<" not in table  # a generic essay is weak, not copied
