"""The member's record and its .docx: hand-made records of 2025 (test_evidence's `year`: a plan, a
cell's conference and its make-up) read back on the page and in the document — an essay judged a copy
shows its verdict and why, an excused absence made up says so, a decided year shows its band and
decision; who may read a record; the queries do not grow with the records."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quantriet.core.numbers import format_decimal
from quantriet.essays.models import Criterion, Essay, EssaySource, EssayVerdict, Grade, Rubric, VerdictLabel
from quantriet.evaluation.models import DECIDED, CriteriaSet, Evaluation, Subject
from quantriet.evaluation.record import member_record
from quantriet.evaluation.services import deciding_org_of
from quantriet.evaluation.tests.test_evidence import YEAR, _at, year  # noqa: F401 (the fixture)
from quantriet.evaluation.tests.test_rules import points_for
from quantriet.org.letterhead import committee_name
from quantriet.org.models import Grant, Member, Role
from quantriet.plans.models_commitments import Commitment, CommitmentState
from quantriet.quizzes.models import Quiz, QuizResult
from quantriet.study import services as study_services
from quantriet.study.models import AttendanceStatus, Conference, EssayAudience, Obligation
from quantriet.study.tests.test_conferences_common import make_conference, make_plan

pytestmark = pytest.mark.django_db
COPY_REASON = "Chép bài mẫu trên mạng: diễn đạt lại"
ALL_MEMBERS = EssayAudience.ALL_MEMBERS


@pytest.fixture
def world(year, users):  # noqa: F811 (the fixture imported above)
    """The excused member of `year`, with an account: made up the absence, wrote an essay judged a
    copy of a sample, took the quiz, registered a commitment reviewed mid-year, and was rated for 2025."""
    admin, member = users["admin"], year.excused
    makeup = Conference.objects.get(makeup_of=year.conference)
    study_services.attendance_mark(admin, makeup, member, AttendanceStatus.PRESENT)
    rubric = Rubric.objects.create(plan=year.plan)
    Criterion.objects.create(rubric=rubric, name="Nhận thức", max_points=Decimal(10))
    essay = Essay.objects.create(plan=year.plan, member=member, cell=year.cell, text="Bài thu hoạch",
                                 source=EssaySource.TYPED, submitted_at=_at(10, 25))  # fmt: skip
    Grade.objects.create(essay=essay, total=Decimal(7))
    EssayVerdict.objects.create(essay=essay, label=VerdictLabel.COPIES_SAMPLE, sample_score=0.9,
                                sample_kind="paraphrased")  # fmt: skip
    quiz = Quiz.objects.create(plan=year.plan)
    QuizResult.objects.create(quiz=quiz, member=member, attempts=1, best_score=Decimal("85.00"), passed=True)
    Commitment.objects.create(member=member, year=YEAR, cell=year.cell, state=CommitmentState.SUBMITTED,
                              mid_reviewed_at=_at(6, 30))  # fmt: skip
    criteria = CriteriaSet.objects.in_force(Subject.MEMBER, datetime.date(YEAR, 12, 31))
    points = {key: str(value) for key, value in points_for("85").items()}
    study_key = next(c.key for c in criteria.rules().criteria.values() if c.study)
    evaluation = Evaluation.objects.create(
        year=YEAR, subject=Subject.MEMBER, member=member, org=year.cell, deciding_org=deciding_org_of(year.cell),
        criteria_set=criteria, state=DECIDED, self_points=points, review_points=points, total=Decimal("85.5"),
        band="tot", decision_number="15-QĐ/ĐU", decision_date=datetime.date(YEAR, 12, 20),
        study_reason="Đồng chí đã học bù đầy đủ, chi bộ giữ điểm học tập.",
        study_proposal={"points": "6.25", "points_text": "6,25", "max_text": "10", "parts": [
            {"key": "essays", "label": "Bài thu hoạch", "percent": 0, "sources": [
                {"text": "Bài thu hoạch bị kết luận sao chép", "url": reverse("essays:essay", args=[essay.pk])}]},
        ]},
    )  # fmt: skip
    account = get_user_model().objects.create_user("dv.excused", password="khong-quan-trong-123")  # noqa: S106
    Member.objects.filter(pk=member.pk).update(user=account)
    member.refresh_from_db()
    return {"year": year, "member": member, "essay": essay, "evaluation": evaluation, "account": account,
            "study_key": study_key, "points": points}  # fmt: skip


def _page(client, member):
    response = client.get(reverse("evaluation:record", args=[member.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_copied_essay_with_its_verdict_and_why(world, client_as, client):
    client.force_login(world["account"])
    for page in (_page(client, world["member"]), _page(client_as("admin"), world["member"])):
        essays = page.split(f'id="essays-{YEAR}"')[1].split("</ul>")[0]
        assert "Bị kết luận sao chép: " + COPY_REASON in essays
        assert "Bài trùng phần lớn với một bài thu hoạch mẫu trên mạng." in essays  # why, in the member's words
        assert "Điểm chấm: 70%" in essays and reverse("essays:essay", args=[world["essay"].pk]) in essays


def test_an_excused_absence_made_up_says_so_and_a_missed_one_does_not(world, client_as):
    page = _page(client_as("admin"), world["member"])
    conferences = page.split(f'id="conferences-{YEAR}"')[1].split("</ul>")[0]
    assert "Chi bộ quán triệt Chỉ thị 915 (10/10/2025)" in conferences
    assert "Vắng có lý do, đã học bù" in conferences
    never = world["year"].rest[0]
    other = _page(client_as("admin"), never).split(f'id="conferences-{YEAR}"')[1].split("</ul>")[0]
    assert "Không có tên trong sổ điểm danh (tính vắng không lý do)" in other and "học bù" not in other


def test_a_decided_year_shows_its_band_decision_and_the_reason_for_the_study_points(world, client_as):
    page = _page(client_as("xa1.bithu"), world["member"])
    decided = page.split(f'id="danh-gia-{YEAR}"')[1]
    assert 'data-band="tot">Hoàn thành tốt nhiệm vụ' in decided
    assert "Số 15-QĐ/ĐU ngày 20/12/2025" in decided and "85,5/100" in decided
    assert "Đồng chí đã học bù đầy đủ, chi bộ giữ điểm học tập." in decided
    given = format_decimal(Decimal(world["points"][world["study_key"]]))
    assert f"đề xuất 6,25/10; chi bộ cho {given}/10" in decided
    assert 'id="proposal"' in decided  # the proposal with its sources
    assert reverse("evaluation:evaluation", args=[world["evaluation"].pk]) in decided


def test_the_transcript_lists_the_plan_the_quiz_and_the_commitment(world, client_as):
    page = _page(client_as("admin"), world["member"])
    assert "Kế hoạch 915-KH/TU" in page.split(f'id="plans-{YEAR}"')[1].split("</ul>")[0]
    assert "Điểm cao nhất 85%" in page.split(f'id="quizzes-{YEAR}"')[1].split("</ul>")[0]
    commitment = page.split(f'id="commitment-{YEAR}"')[1].split("</div>")[0]
    assert "Đã đăng ký" in commitment and "giữa năm: <span" in commitment and "cuối năm: chưa" in commitment


def _docx(client, member):
    response = client.get(reverse("evaluation:record_docx", args=[member.pk]))
    assert response.status_code == 200
    return response, docx.Document(io.BytesIO(b"".join(response.streaming_content)))


def _rows(document):
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def test_the_docx_carries_the_letterhead_the_evaluation_and_each_section(world, client_as):
    member = world["member"]
    response, document = _docx(client_as("xa1.bithu"), member)
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="ban-tong-hop-ket-qua-hoc-tap-')
    assert disposition.split('"')[1].isascii() and "filename*=UTF-8''B%E1%BA%A3n%20t%E1%BB%95ng" in disposition
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BẢN TỔNG HỢP KẾT QUẢ HỌC TẬP,\nQUÁN TRIỆT NGHỊ QUYẾT" in text
    assert f"của đồng chí {member.full_name}" in text
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    grassroots = world["evaluation"].deciding_org
    assert committee_name(grassroots).upper() in header[0] and "ĐẢNG CỘNG SẢN VIỆT NAM" in header[1]
    assert "Số " not in header[0]  # a compilation has no number
    rows = _rows(document)
    assert ["2025", "Đã quyết định", "85,5", "Hoàn thành tốt nhiệm vụ"] == rows[[r[0] for r in rows].index("2025")][:4]
    assert any(r[-1] == "Số 15-QĐ/ĐU, ngày 20/12/2025" for r in rows)
    assert "Đồng chí đã học bù đầy đủ, chi bộ giữ điểm học tập." in text
    assert ["1", "Chi bộ quán triệt Chỉ thị 915 (10/10/2025)", "Vắng có lý do, đã học bù"] in rows
    assert ["1", "Kế hoạch 915-KH/TU", "Đã nộp", "70%", "Bị kết luận sao chép: " + COPY_REASON] in rows
    assert ["1", "Bài kiểm tra — Kế hoạch 915-KH/TU", "85%"] in rows
    assert "Bản cam kết năm 2025: đã đăng ký; giữa năm: đã tự đánh giá; cuối năm: chưa tự đánh giá." in text
    signature = document.tables[-1].rows[0].cells
    assert "Nơi nhận:" in signature[0].text and f"Đồng chí {member.full_name}" in signature[0].text
    assert "BÍ THƯ" in signature[1].text


def test_the_member_reads_and_downloads_their_own_record_through_cua_toi(world, client):
    client.force_login(world["account"])
    response = client.get(reverse("evaluation:record_mine"))
    assert response.status_code == 302 and response["Location"] == reverse("evaluation:record",
                                                                           args=[world["member"].pk])  # fmt: skip
    assert _docx(client, world["member"])[0].status_code == 200


def test_an_account_without_a_member_is_told_why(client_as):
    response = client_as("outsider").get(reverse("evaluation:record_mine"))
    assert response.status_code == 403
    assert "tài khoản của đồng chí chưa gắn với hồ sơ đảng viên" in response.content.decode()


# ---------------------------------------------------------------- who reads a record


def test_a_colleague_of_the_same_cell_does_not_see_the_record(world, client):
    colleague = world["year"].came
    colleague.user = get_user_model().objects.create_user("dv.came", password="khong-quan-trong-123")  # noqa: S106
    colleague.save()
    client.force_login(colleague.user)
    for name in ("evaluation:record", "evaluation:record_docx"):
        assert client.get(reverse(name, args=[world["member"].pk])).status_code == 404  # out of scope, as if absent
    assert client.get(reverse("evaluation:record", args=[colleague.pk])).status_code == 200  # their own


def test_a_grant_without_the_review_right_is_refused_with_the_rule(world, client):
    inspector = get_user_model().objects.create_user("kiemtra.xa", password="khong-quan-trong-123")  # noqa: S106
    Grant.objects.create(user=inspector, org=world["evaluation"].deciding_org, role=Role.INSPECTION)
    client.force_login(inspector)
    response = client.get(reverse("evaluation:record", args=[world["member"].pk]))
    assert response.status_code == 403 and "Nhận xét, đánh giá đảng viên" in response.content.decode()
    assert client.get(reverse("evaluation:record_docx", args=[world["member"].pk])).status_code == 403
    # The evaluation itself is in the inspector's scope, without a link to a record they may not open.
    page = client.get(reverse("evaluation:evaluation", args=[world["evaluation"].pk])).content.decode()
    assert 'id="record-link"' not in page


def test_the_evaluation_pages_link_to_the_record(world, client_as, client):
    evaluation, member = world["evaluation"], world["member"]
    url = reverse("evaluation:record", args=[member.pk])
    assert url in client_as("xa1.bithu").get(reverse("evaluation:evaluation", args=[evaluation.pk])).content.decode()
    unit = client_as("xa1.bithu").get(reverse("evaluation:unit", args=[world["year"].cell.pk]), {"nam": YEAR})
    assert url in unit.content.decode()
    client.force_login(world["account"])
    assert reverse("evaluation:record_mine") in client.get(reverse("evaluation:mine")).content.decode()


# ---------------------------------------------------------------- queries


def _queries(client, member):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("evaluation:record", args=[member.pk])).status_code == 200
    return len(captured.captured_queries)


def test_the_queries_do_not_grow_with_the_records(world, client_as, users, django_assert_max_num_queries):
    client, member, cell = client_as("admin"), world["member"], world["year"].cell
    before = _queries(client, member)
    # Three more plans of 2025, each with a held conference of the cell, an essay and a quiz.
    for number in ("916", "917", "918"):
        plan = make_plan(users["admin"], number=number)
        plan.essay_audience, plan.essay_deadline, plan.quiz_required = ALL_MEMBERS, datetime.date(YEAR, 11, 30), True
        plan.save(update_fields=["essay_audience", "essay_deadline", "quiz_required"])
        Obligation.objects.filter(plan=plan).update(deadline=datetime.date(YEAR, 11, 15))
        conference = make_conference(plan, cell, users["admin"], starts_at=_at(11, 5), title=f"Hội nghị {number}")
        study_services.conference_mark_held(users["admin"], conference)
        study_services.attendance_mark(users["admin"], conference, member, AttendanceStatus.PRESENT)
        Essay.objects.create(plan=plan, member=member, cell=cell, text="Bài", source=EssaySource.TYPED,
                             submitted_at=_at(11, 20))  # fmt: skip
        QuizResult.objects.create(quiz=Quiz.objects.create(plan=plan), member=member, attempts=1,
                                  best_score=Decimal(90), passed=True)  # fmt: skip
    records = member_record(member)
    assert len(next(y for y in records.years if y.year == YEAR).conferences) == 4
    assert _queries(client, member) == before
    with django_assert_max_num_queries(90):  # five years of at most sixteen queries, and the page's own
        client.get(reverse("evaluation:record", args=[member.pk]))
