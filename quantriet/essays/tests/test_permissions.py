"""Every essays page against the six personas, and a guard that no page escapes the matrix.

Out of scope is 404 (the same as missing); in scope without the right is 403: a member cannot
grade, xa2's secretary cannot see xa1's members' essays, dangvien1 sees only their own.
Anonymous users are sent to the login page.
"""

import pytest
from django.urls import reverse

from quantriet.essays import services, urls
from quantriet.essays.models import Essay, SampleEssay
from quantriet.tests.matrix import anonymous_failures, expect, page_failures

from .common import ESSAY, docx_bytes, essay_plan, member_in


@pytest.fixture
def world(users):
    plan = essay_plan(users["admin"])
    me = users["dangvien1"].member
    mine = services.essay_submit_docx(users["dangvien1"], plan, me, "bai.docx", docx_bytes(ESSAY))
    theirs = services.essay_submit(users["admin"], plan, member_in("X002"), ESSAY)
    commune1 = users["xa1.bithu"].grants.get().org
    criteria = services.rubric_ensure(users["admin"], plan).criteria.all()
    return {
        "plan": plan,
        "mine": mine,
        "theirs": theirs,
        "commune1": commune1,
        "cell": me.cell,
        "version": mine.versions.get(),
        "points": {f"c{c.pk}": "2" for c in criteria},
        "document": plan.documents.get(),
        "sample": SampleEssay.objects.create(title="Bài thu hoạch mẫu", text=ESSAY, uploaded_by=users["admin"]),
    }


def page_matrix(w):
    plan, mine, theirs = w["plan"].pk, w["mine"].pk, w["theirs"].pk
    org1, cell = {"org": w["commune1"].pk}, {"org": w["cell"].pk}
    board1 = expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, others=404)
    seen_mine = expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=200, others=404)
    return [
        ("index", [], "get", {}, expect(others=200)),
        ("write", [plan], "get", {}, expect(admin=403, outsider=404, others=200)),
        ("board", [plan], "get", {}, expect(dangvien1=403, outsider=404, others=200)),
        ("board", [plan], "get", org1, board1),
        ("board", [plan], "get", cell, expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=403, others=404)),
        ("export_xlsx", [plan], "get", org1, board1),
        ("export_xlsx", [plan], "get", {}, expect(dangvien1=403, outsider=404, others=200)),
        ("export_docx", [plan], "get", org1, board1),
        (
            "export_docx",
            [plan],
            "get",
            cell,
            expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=403, others=404),
        ),
        ("essay", [mine], "get", {}, seen_mine),
        ("essay", [theirs], "get", {}, expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404)),
        ("version_file", [w["version"].pk], "get", {}, seen_mine),
        (
            "grade",
            [mine],
            "post",
            w["points"],
            expect(admin=302, tinh_tuyengiao=302, xa1_bithu=302, dangvien1=403, others=404),
        ),
        ("grade", [theirs], "post", w["points"], expect(admin=302, tinh_tuyengiao=302, xa2_bithu=302, others=404)),
        ("samples", [], "get", {}, expect(admin=200, tinh_tuyengiao=200, others=403)),
        ("samples", [], "post", {"title": ""}, expect(admin=400, tinh_tuyengiao=400, others=403)),
        ("sample", [w["sample"].pk], "get", {}, expect(admin=200, tinh_tuyengiao=200, others=403)),
        # the same text was submitted twice: the verdict pairs mine (xa1) with theirs (xa2)
        (
            "compare",
            [mine, "bai", theirs],
            "get",
            {},
            expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=403, others=404),
        ),
        ("compare", [theirs, "bai", mine], "get", {}, expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404)),
        # a sample the verdict does not name: only the keepers of the library (test_compare_samples)
        (
            "compare",
            [mine, "mau", w["sample"].pk],
            "get",
            {},
            expect(admin=200, tinh_tuyengiao=200, dangvien1=403, others=404),
        ),
        (
            "compare",
            [mine, "van-ban", w["document"].pk],
            "get",
            {},
            expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=403, others=404),
        ),
        # configuring the plan: its issuer's (the province's) propaganda staff and admins
        ("rubric", [plan], "get", {}, expect(admin=200, tinh_tuyengiao=200, outsider=404, others=403)),
        ("rubric", [plan], "post", {}, expect(admin=400, tinh_tuyengiao=400, outsider=404, others=403)),
        ("rescan", [plan], "post", {}, expect(admin=302, tinh_tuyengiao=302, outsider=404, others=403)),
        ("rescan", [plan], "get", {}, expect(others=405)),
    ]


def test_every_page_against_every_persona(world, client_as):
    assert page_failures(page_matrix(world), client_as, "essays") == []


def test_anonymous_users_are_sent_to_login(world, client_as):
    assert anonymous_failures(page_matrix(world), client_as, "essays") == []


def test_every_essays_url_is_in_the_matrix(world):
    """A new page must be added to the matrix (and so get its negative access tests)."""
    covered = {name for name, *_ in page_matrix(world)}
    assert {p.name for p in urls.urlpatterns} - covered == set()


def test_board_lists_only_the_subtree(world, client_as):
    theirs, mine = world["theirs"].member.full_name, world["mine"].member.full_name
    xa1 = client_as("xa1.bithu").get(reverse("essays:board", args=[world["plan"].pk])).content.decode()
    xa2 = client_as("xa2.bithu").get(reverse("essays:board", args=[world["plan"].pk])).content.decode()
    assert mine in xa1 and theirs not in xa1
    assert theirs in xa2 and mine not in xa2


def test_dangvien1_sees_only_their_own_essay(world, users):
    visible = Essay.objects.visible_to(users["dangvien1"])
    assert list(visible) == [world["mine"]]


def test_a_refusal_names_the_right_it_needs(world, client_as):
    """The 403 page says which action of the policy was refused, and where the right is held."""
    board = client_as("dangvien1").get(reverse("essays:board", args=[world["plan"].pk]))
    assert board.status_code == 403 and "Xem và chấm bài thu hoạch cần quyền" in board.content.decode()
    library = client_as("xa1.bithu").get(reverse("essays:samples"))
    assert library.status_code == 403
    assert "Quản lý thư viện bài mẫu cần quyền" in library.content.decode() and "cấp tỉnh" in library.content.decode()
