"""Every conference, attendance and check-in page against the six personas.

Out of scope is 404 (the same as a missing conference); in scope but not the class board is 403;
the class board is the host's leaders, office, propaganda staff and admins, and the members named
on the conference's board. Anonymous users are sent to the login page.
"""

import pytest
from django.urls import reverse

from quantriet.study import services, views_conferences
from quantriet.study.models import Obligation
from quantriet.tests.matrix import anonymous_failures, expect, page_failures

from .test_conferences_common import docx_bytes, make_conference, make_plan, org


@pytest.fixture
def world(users):
    admin = users["admin"]
    plan = make_plan(admin)
    c1, c2 = org("X001"), org("X002")
    cell = users["dangvien1"].member.cell
    conf1 = make_conference(plan, c1, admin)
    conf2 = make_conference(plan, c2, admin)
    cell_conf = make_conference(plan, cell, admin)
    member = users["dangvien1"].member
    minutes = services.conference_attachment_add(admin, conf1, "bien-ban.docx", docx_bytes("Biên bản hội nghị"))
    return {
        "minutes": minutes,
        "plan": plan,
        "conf1": conf1,
        "conf2": conf2,
        "cell_conf": cell_conf,
        "member": member,
        "obligation1": Obligation.objects.get(plan=plan, org=c1),
    }


def page_matrix(w):
    conf1, conf2, cell_conf, member = w["conf1"], w["conf2"], w["cell_conf"], w["member"]
    seen1 = expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=200, others=404)
    board1 = expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=403, others=404)
    board2 = expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404)
    post1 = expect(admin=302, tinh_tuyengiao=302, xa1_bithu=302, dangvien1=403, others=404)
    rows = [
        ("conferences", [], "get", {}, expect(others=200)),
        ("conference_create", [], "get", {}, expect(dangvien1=403, outsider=403, others=200)),
        (
            "conference_create",
            [],
            "get",
            {"obligation": w["obligation1"].pk},
            expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, others=404),
        ),
        (
            "conference_create",
            [],
            "get",
            {"plan": w["plan"].pk, "org": cell_conf.host.pk},
            expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=403, others=404),
        ),
        ("conference", [conf1.pk], "get", {}, seen1),
        ("conference", [conf2.pk], "get", {}, expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404)),
        ("conference_edit", [conf1.pk], "get", {}, board1),
        ("conference_edit", [conf2.pk], "get", {}, board2),
        ("conference_edit", [cell_conf.pk], "get", {}, board1),
        ("attendance", [conf1.pk], "get", {}, board1),
        ("attendance", [cell_conf.pk], "get", {}, board1),
        ("attendance", [conf2.pk], "get", {}, board2),
        ("attendance_import", [conf1.pk], "get", {}, board1),
        ("attendance_template", [conf1.pk], "get", {}, board1),
        ("attendance_template", [conf2.pk], "get", {}, board2),
        ("board", [conf1.pk], "get", {}, board1),
        ("board", [cell_conf.pk], "get", {}, board1),
        ("board", [conf2.pk], "get", {}, board2),
        ("board_code", [conf1.pk], "get", {}, board1),
        ("board_code", [cell_conf.pk], "get", {}, board1),
        ("board_stats", [conf1.pk], "get", {}, board1),
        ("checkin", [conf1.pk], "get", {}, seen1),
        ("checkin", [cell_conf.pk], "get", {}, seen1),
        ("checkin", [conf2.pk], "get", {}, expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404)),
        ("attendance_mark", [conf1.pk, member.pk], "post", {"status": "co_mat"}, post1),
        ("attendance_mark", [cell_conf.pk, member.pk], "post", {"status": "co_mat"}, post1),
        ("conference_held", [conf1.pk], "post", {}, post1),
        # The make-up page needs a held conference: conf1 was marked held by the row above.
        ("makeup_create", [conf1.pk], "get", {}, board1),
        ("conference_attachment", [conf1.pk, w["minutes"].pk], "get", {}, seen1),
        ("conference_attachment", [conf2.pk, w["minutes"].pk], "get", {}, expect(others=404)),
        ("conference_attachment_add", [conf1.pk], "post", {}, post1),
        # Last: cancels conf2 for the first persona allowed; later tries are refused with a message (302 too).
        (
            "conference_cancel",
            [conf2.pk],
            "post",
            {"reason": "Trùng lịch"},
            expect(admin=302, tinh_tuyengiao=302, xa2_bithu=302, others=404),
        ),
    ]
    return rows


def test_every_page_against_every_persona(world, client_as):
    assert page_failures(page_matrix(world), client_as, "study") == []


def test_anonymous_users_are_sent_to_login(world, client_as):
    assert anonymous_failures(page_matrix(world), client_as, "study") == []


def test_every_conference_url_is_in_the_matrix(world):
    """A new page must be added to the matrix (and so get its negative access tests)."""
    covered = {name for name, *_ in page_matrix(world)}
    named = {p.name for p in views_conferences.urlpatterns}
    assert named - covered == set()


def test_a_board_member_without_grants_gets_the_board_pages(world, client_as, users):
    """dangvien1 is refused the board pages of their own cell's conference until named on its board."""
    conference = world["cell_conf"]
    client = client_as("dangvien1")
    pages = ["attendance", "board", "board_code", "conference_edit", "attendance_import"]
    assert {client.get(reverse(f"study:{p}", args=[conference.pk])).status_code for p in pages} == {403}
    conference.board.add(users["dangvien1"].member)
    assert {client.get(reverse(f"study:{p}", args=[conference.pk])).status_code for p in pages} == {200}
    # Being on one conference's board gives nothing on another.
    assert client.get(reverse("study:board", args=[world["conf1"].pk])).status_code == 403


def test_a_board_head_without_grants_gets_the_board_pages(world, client_as, users):
    conference = world["cell_conf"]
    conference.board_head = users["dangvien1"].member
    conference.save(update_fields=["board_head"])
    assert client_as("dangvien1").get(reverse("study:board", args=[conference.pk])).status_code == 200
