"""Every page and API operation of the plans app against the six personas, and guards that none
escapes the matrices.

Out of scope is 404 (the same as missing); in scope without the right is 403. xa1.bithu leads the
commune of dangvien1's cell; xa2.bithu a sibling commune; tinh.tuyengiao is the province's
propaganda staff (drafts and follows programmes, but does not approve them: a leader's right);
a member reads and comments on the programmes of their cell and the levels above it.
"""

import io
from datetime import date

import pytest
from django.urls import reverse

from quantriet.core.files import read_upload
from quantriet.org.models import Organization
from quantriet.plans import demo_commitments as demo
from quantriet.plans import services, services_commitments, urls
from quantriet.plans.models import TaskStatus
from quantriet.tests.matrix import (
    anonymous_failures,
    api_failures,
    api_operations,
    expect,
    page_failures,
    uncovered_operations,
)

from .commitments_common import add_sample, write
from .common import demo_plan, places, store
from .test_concreteness import COMMUNE_PROGRAMME, PASTED

#: Seen by the province, xa1's commune and dangvien1 (a programme of their cell or above it).
SEEN_BY_XA1_SIDE = expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=200, others=404)
#: Followed by the province and xa1 (programme.follow on xa1's commune); a member's org is out of sight.
FOLLOWED = expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, others=404)


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def world(users):
    plan, where = demo_plan(), places(users)
    secretary, member = users["xa1.bithu"], users["dangvien1"].member
    commune = store(secretary, plan, where["commune"], COMMUNE_PROGRAMME)
    services.programme_transition(secretary, commune, "submit")
    cell = store(secretary, plan, where["cell"], PASTED, lead=where["commune"], person=member)
    services.programme_transition(secretary, cell, "submit")
    minutes = read_upload("bien-ban.docx", _docx("Biên bản họp chi bộ thông qua chương trình."))
    services.programme_transition(secretary, cell, "approve", approved_on=date(2026, 11, 20),
                                  approval_ref="Biên bản họp chi bộ", approval_file=minutes)  # fmt: skip
    led = cell.tasks.filter(lead_person=member).first()
    unled = cell.tasks.filter(lead_person__isnull=True).first()
    evidence = read_upload("minh-chung.docx", _docx("Danh sách người dự lớp."))
    update = services.task_report(secretary, led, status=TaskStatus.IN_PROGRESS, files=[evidence])
    commune2 = Organization.objects.get(path=users["xa2.bithu"].grants.get().org.path)
    other = services.programme_create(users["xa2.bithu"], plan, commune2, "Chương trình của phường khác")
    sample = add_sample(demo.sample_text())
    commitment = write(member, demo._lightly_edited(demo.SAMPLE))
    personal = services_commitments.personal_plan_create(users["dangvien1"], member, title="Kế hoạch năm", year=2026)
    return {
        "plan": plan, "where": where, "commune": commune, "cell": cell, "other": other, "led": led,
        "unled": unled, "file": cell.files.get(), "evidence": update.evidence.get(), "sample": sample,
        "commitment": commitment, "personal": personal,
    }  # fmt: skip


def page_matrix(w):
    plan, commune, cell, other = w["plan"].pk, w["commune"].pk, w["cell"].pk, w["other"].pk
    org1 = {"org": w["where"]["commune"].pk}
    sibling = {"org": w["where"]["sibling"].pk}
    writes = expect(admin=302, tinh_tuyengiao=302, xa1_bithu=302, dangvien1=403, others=404)
    reviewers = expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=403, others=404)
    reviewer_posts = expect(admin=400, tinh_tuyengiao=400, xa1_bithu=400, dangvien1=403, others=404)
    commitment = w["commitment"].pk
    return [
        ("index", [], "get", {}, expect(others=200)),
        # a unit without a programme yet; a member does not see the sibling cell, nor the outsider the plan
        ("create", [plan], "post", sibling, expect(admin=302, tinh_tuyengiao=302, xa1_bithu=302, others=404)),
        ("tree", [plan], "get", org1, FOLLOWED),
        ("tree", [plan], "get", {}, expect(dangvien1=403, outsider=404, others=200)),
        ("overdue", [plan], "get", org1, FOLLOWED),
        ("tree_xlsx", [plan], "get", org1, FOLLOWED),
        ("programme", [commune], "get", {}, SEEN_BY_XA1_SIDE),
        ("programme", [other], "get", {}, expect(admin=200, tinh_tuyengiao=200, xa2_bithu=200, others=404)),
        (
            "edit",
            [commune],
            "get",
            {},
            expect(admin=200, tinh_tuyengiao=200, xa1_bithu=200, dangvien1=403, others=404),
        ),  # fmt: skip
        (
            "import",
            [commune],
            "post",
            {},
            expect(admin=400, tinh_tuyengiao=400, xa1_bithu=400, dangvien1=403, others=404),
        ),  # fmt: skip
        (
            "transition",
            [commune, "return"],
            "post",
            {"comment": "Bổ sung chỉ tiêu"},
            expect(admin=302, xa1_bithu=302, tinh_tuyengiao=403, dangvien1=403, others=404),
        ),  # fmt: skip
        ("transition", [commune, "khong-co"], "post", {}, expect(others=404)),
        (
            "comment",
            [commune],
            "post",
            {"text": "Đề nghị bổ sung."},
            expect(admin=302, tinh_tuyengiao=302, xa1_bithu=302, dangvien1=302, others=404),
        ),  # fmt: skip
        (
            "review",
            [cell],
            "post",
            {"held_on": "2026-12-01", "summary": "Đạt 2/6 nhiệm vụ."},
            expect(admin=302, xa1_bithu=302, tinh_tuyengiao=403, dangvien1=403, others=404),
        ),  # fmt: skip
        ("compare", [cell, commune], "get", {}, SEEN_BY_XA1_SIDE),
        ("compare", [cell, other], "get", {}, expect(admin=200, tinh_tuyengiao=200, others=404)),
        ("approval_file", [cell, w["file"].pk], "get", {}, SEEN_BY_XA1_SIDE),
        ("docx", [commune], "get", {}, SEEN_BY_XA1_SIDE),
        ("tasks_xlsx", [cell], "get", {}, SEEN_BY_XA1_SIDE),
        ("task_report", [w["unled"].pk], "post", {"status": "hoan_thanh", "reported_on": "2026-12-01"}, writes),
        # the task's lead person reports on it too
        (
            "task_report",
            [w["led"].pk],
            "post",
            {"status": "hoan_thanh", "reported_on": "2026-12-01"},
            expect(admin=302, tinh_tuyengiao=302, xa1_bithu=302, dangvien1=302, others=404),
        ),  # fmt: skip
        ("evidence", [w["led"].pk, w["evidence"].pk], "get", {}, SEEN_BY_XA1_SIDE),
        # commitments: a member's own pages; the reviewers' pages (commitment.review); the library
        ("my_commitment", [], "get", {}, expect(admin=403, outsider=403, others=200)),
        ("my_personal_plans", [], "get", {}, expect(admin=403, outsider=403, others=200)),
        ("personal_plan", [w["personal"].pk], "get", {}, SEEN_BY_XA1_SIDE),
        ("commitment_list", [w["where"]["cell"].pk], "get", {}, reviewers),
        ("commitment", [commitment], "get", {}, reviewers),
        ("commitment_compare", [commitment, "mau", w["sample"].pk], "get", {}, reviewers),
        ("commitment_review", [commitment], "post", {"review": ""}, reviewer_posts),
        ("commitment_return", [commitment], "post", {"reason": ""}, reviewer_posts),
        ("commitment_samples", [], "get", {}, expect(admin=200, tinh_tuyengiao=200, others=403)),
    ]


def api_matrix(w):
    plan, commune1 = w["plan"].pk, w["where"]["commune"].pk
    url = f"/api/v1/plans/{plan}/programmes"
    return [
        ("get", f"{url}?org={commune1}", None, FOLLOWED),
        ("get", url, None, expect(dangvien1=403, outsider=404, others=200)),
        # one's own only: an account without a member record has none; dangvien1's is registered already
        ("get", "/api/v1/me/commitments", None, expect(others=200)),
        (
            "put",
            "/api/v1/me/commitments/2026",
            {"items": {}},
            expect(admin=403, outsider=403, dangvien1=409, others=200),
        ),
    ]


def test_every_page_against_every_persona(world, client_as):
    assert page_failures(page_matrix(world), client_as, "plans") == []


def test_anonymous_users_are_sent_to_login(world, client_as):
    assert anonymous_failures(page_matrix(world), client_as, "plans") == []


def test_every_plans_url_is_in_the_matrix(world):
    """A new page must be added to the matrix (and so get its negative access tests)."""
    covered = {name for name, *_ in page_matrix(world)}
    assert {p.name for p in urls.urlpatterns} - covered == set()


def test_every_api_operation_against_every_persona(world, api):
    failures = api_failures(api_matrix(world), api)
    assert failures == [], "\n".join(failures)


def test_every_plans_api_operation_is_in_the_matrix(world):
    assert uncovered_operations(api_operations("plans"), api_matrix(world)) == set()


def test_a_refusal_names_the_right_it_needs(world, client_as):
    response = client_as("tinh.tuyengiao").post(
        reverse("plans:transition", args=[world["commune"].pk, "approve"]),
        {"approved_on": "2026-11-20", "approval_ref": "Nghị quyết"},
    )
    assert response.status_code == 403
    assert "Thông qua, đưa vào thực hiện, tổng kết chương trình hành động cần quyền" in response.content.decode()
