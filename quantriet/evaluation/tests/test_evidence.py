"""The study criterion from evidence: records made in the demo tree through the apps' services and
models (a plan of 2025 of our own, so the demo's plan of this year stays out), read back for many
members at once with their sources and links, and the proposal they make."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quantriet.essays import selectors as essays_selectors
from quantriet.essays.models import Criterion, Essay, EssaySource, EssayVerdict, Grade, Rubric, VerdictLabel
from quantriet.evaluation import evidence
from quantriet.evaluation.study import ATTENDED, EXCUSED, UNEXCUSED, propose
from quantriet.org.models import CELL_KINDS, Member, Organization, Position, Title
from quantriet.plans.models_commitments import Commitment, CommitmentState, PersonalPlan
from quantriet.quizzes.models import Quiz, QuizResult
from quantriet.study import services
from quantriet.study.models import AttendanceStatus, EssayAudience, Obligation
from quantriet.study.tests.test_conferences_common import make_conference, make_plan, org

YEAR = 2025
TEN = Decimal(10)


def _at(month, day, hour=8):
    return timezone.make_aware(datetime.datetime(YEAR, month, day, hour))


def _part(proposal, key):
    return next(part for part in proposal.parts if part.key == key)


@pytest.fixture
def year(users):
    """A plan of 2025 asking every member for an essay and a quiz; one cell's conference held and a make-up.

    Returns a namespace of the plan, the cell, its conference, and the cell's members: `came`,
    `made_up` (absent without excuse, then at the make-up), `excused`, `secretary` and the `rest`.
    """
    admin = users["admin"]
    plan = make_plan(admin, number="915")
    plan.essay_audience, plan.essay_deadline, plan.quiz_required = (
        EssayAudience.ALL_MEMBERS,
        datetime.date(YEAR, 10, 31),
        True,
    )
    plan.save(update_fields=["essay_audience", "essay_deadline", "quiz_required"])
    Obligation.objects.filter(plan=plan).update(deadline=datetime.date(YEAR, 10, 15))
    led = Position.objects.filter(title=Title.SECRETARY, end__isnull=True).values("org_id")
    cell = Organization.objects.filter(kind__in=CELL_KINDS, path__startswith=org("X001").path, pk__in=led).first()
    secretary = Position.objects.get(org=cell, title=Title.SECRETARY, end__isnull=True).member
    holders = Position.objects.values("member_id")
    # Demo cells are small at the test scale: five members without a position join this one.
    moved = Member.objects.exclude(pk__in=holders).exclude(cell=cell).order_by("pk")[:5]
    Member.objects.filter(pk__in=[m.pk for m in moved]).update(cell=cell)
    plain = list(Member.objects.filter(cell=cell).exclude(pk__in=holders).order_by("pk"))
    came, made_up, excused, *rest = plain
    conference = make_conference(plan, cell, admin, starts_at=_at(10, 10), title="Chi bộ quán triệt Chỉ thị 915")
    services.conference_mark_held(admin, conference)
    services.attendance_mark(admin, conference, came, AttendanceStatus.PRESENT)
    services.attendance_mark(admin, conference, made_up, AttendanceStatus.ABSENT)
    services.attendance_mark(admin, conference, excused, AttendanceStatus.EXCUSED, "Ốm, nằm viện")
    makeup = make_conference(plan, cell, admin, starts_at=_at(10, 20), makeup_of=conference, title="Học bù")
    services.conference_mark_held(admin, makeup)
    services.attendance_mark(admin, makeup, made_up, AttendanceStatus.PRESENT)

    class Year:
        pass

    found = Year()
    found.__dict__.update(plan=plan, cell=cell, conference=conference, came=came, made_up=made_up,
                          excused=excused, secretary=secretary, rest=rest)  # fmt: skip
    return found


def test_conferences_attended_made_up_excused_and_never_marked(year):
    records = evidence.study_records([year.came.pk, year.made_up.pk, year.excused.pk, year.rest[0].pk], YEAR)
    url = reverse("study:conference", args=[year.conference.pk])
    seen = {pk: [(c.status, c.made_up, c.url) for c in r.conferences] for pk, r in records.items()}
    assert seen == {
        year.came.pk: [(ATTENDED, False, url)],
        year.made_up.pk: [(UNEXCUSED, True, url)],
        year.excused.pk: [(EXCUSED, False, url)],
        year.rest[0].pk: [(UNEXCUSED, False, url)],  # no row at all: absent, never marked
    }
    assert records[year.came.pk].conferences[0].title == "Chi bộ quán triệt Chỉ thị 915 (10/10/2025)"
    proposals = evidence.propose_for([year.made_up.pk], YEAR, TEN)
    assert _part(proposals[year.made_up.pk], "conferences").sources[0].text == (
        "Chi bộ quán triệt Chỉ thị 915 (10/10/2025): vắng không lý do, đã học bù"
    )


def test_another_year_sees_none_of_it(year):
    records = evidence.study_records([year.came.pk], YEAR - 1)[year.came.pk]
    assert records.conferences == () and records.essays == () and records.quizzes == ()


def test_an_essay_judged_a_copy_of_a_sample_lowers_the_proposal_with_the_reason(year):
    rubric = Rubric.objects.create(plan=year.plan)
    Criterion.objects.create(rubric=rubric, name="Nhận thức", max_points=Decimal(6))
    Criterion.objects.create(rubric=rubric, name="Liên hệ", max_points=Decimal(4))
    essays = {}
    for member, total in ((year.came, Decimal(8)), (year.made_up, Decimal(9))):
        essays[member.pk] = Essay.objects.create(
            plan=year.plan, member=member, cell=year.cell, text="Bài thu hoạch", source=EssaySource.TYPED,
            submitted_at=_at(10, 25),
        )  # fmt: skip
        Grade.objects.create(essay=essays[member.pk], total=total)
    EssayVerdict.objects.create(essay=essays[year.came.pk], label=VerdictLabel.ORIGINAL)
    EssayVerdict.objects.create(
        essay=essays[year.made_up.pk], label=VerdictLabel.COPIES_SAMPLE, sample_score=0.9, sample_kind="paraphrased"
    )
    ids = [year.came.pk, year.made_up.pk, year.excused.pk]
    records = evidence.study_records(ids, YEAR)
    honest, copied, missing = (records[pk].essays[0] for pk in ids)
    assert (honest.submitted, honest.grade, honest.copied) == (True, 0.8, "")
    assert honest.url == reverse("essays:essay", args=[essays[year.came.pk].pk])
    assert copied.copied == "Chép bài mẫu trên mạng: diễn đạt lại"
    # The member is sent where they submit (the graders' board would refuse them).
    assert (missing.submitted, missing.url) == (False, reverse("essays:write", args=[year.plan.pk]))
    proposal = evidence.propose_for([year.made_up.pk], YEAR, TEN)[year.made_up.pk]
    assert _part(proposal, "essays").score == 0
    assert proposal.lowered_by_copying == [
        "Kế hoạch 915-KH/TU: bài thu hoạch bị kết luận sao chép (Chép bài mẫu trên mạng: diễn đạt lại), không tính điểm"
    ]
    Essay.objects.filter(pk=essays[year.made_up.pk].pk).update(text="Bài thu hoạch")
    EssayVerdict.objects.filter(essay=essays[year.made_up.pk]).update(label=VerdictLabel.ORIGINAL)
    cleared = evidence.propose_for([year.made_up.pk], YEAR, TEN)[year.made_up.pk]
    assert cleared.points > proposal.points and cleared.lowered_by_copying == []


def test_a_quiz_counts_its_best_score_and_one_not_taken_counts_nothing(year):
    quiz = Quiz.objects.create(plan=year.plan)
    QuizResult.objects.create(quiz=quiz, member=year.came, attempts=2, best_score=Decimal("80.00"), passed=True)
    records = evidence.study_records([year.came.pk, year.excused.pk], YEAR)
    took, skipped = records[year.came.pk].quizzes[0], records[year.excused.pk].quizzes[0]
    assert (took.title, took.best) == ("Bài kiểm tra — Kế hoạch 915-KH/TU", 0.8)
    assert took.url == reverse("quizzes:results", args=[year.plan.pk]) + f"?org={year.cell.pk}"
    assert skipped.best is None


def test_a_flagged_commitment_scores_nothing_and_a_reviewed_one_its_reviews(year):
    Commitment.objects.create(
        member=year.excused, year=YEAR, cell=year.cell, state=CommitmentState.SUBMITTED, flagged=True,
        copied_share=0.82, copy_kind="verbatim", copied_from=[{"type": "sample", "id": 1, "share": 0.82}],
    )  # fmt: skip
    kept = Commitment.objects.create(
        member=year.came, year=YEAR, cell=year.cell, state=CommitmentState.SUBMITTED, mid_reviewed_at=_at(6, 30)
    )
    Commitment.objects.create(member=year.made_up, year=YEAR, cell=year.cell, state=CommitmentState.DRAFT)
    records = evidence.study_records([year.came.pk, year.made_up.pk, year.excused.pk, year.rest[0].pk], YEAR)
    assert records[year.came.pk].commitment == evidence.CommitmentRecord(
        True, True, False, "", reverse("plans:commitment", args=[kept.pk])
    )
    assert records[year.made_up.pk].commitment.registered is False  # a draft is not registered
    assert records[year.rest[0].pk].commitment is None
    flagged = evidence.propose_for([year.excused.pk], YEAR, TEN)[year.excused.pk]
    assert _part(flagged, "commitment").score == 0
    assert _part(flagged, "commitment").sources[0].text == (
        "Bản cam kết bị gắn cờ sao chép (khoảng 82% trùng một bản cam kết mẫu trên mạng, chép nguyên văn), "
        "không tính điểm"
    )
    assert _part(evidence.propose_for([year.came.pk], YEAR, TEN)[year.came.pk], "commitment").score == 0.75


def test_a_head_without_a_personal_plan_loses_that_part_and_with_one_gains_it(year):
    head, plain = year.secretary.pk, year.came.pk
    records = evidence.study_records([head, plain], YEAR)
    assert records[head].head and records[head].personal_plan_url is None
    assert not records[plain].head
    before = evidence.propose_for([head], YEAR, TEN)[head]
    assert _part(before, "personal_plan").score == 0
    assert _part(before, "personal_plan").sources[0].text == "Chưa có kế hoạch hành động cá nhân"
    written = PersonalPlan.objects.create(member=year.secretary, cell=year.cell, year=YEAR, title="Kế hoạch của tôi")
    after = evidence.propose_for([head], YEAR, TEN)[head]
    assert _part(after, "personal_plan").sources[0].url == reverse("plans:personal_plan", args=[written.pk])
    assert after.points > before.points
    assert _part(evidence.propose_for([plain], YEAR, TEN)[plain], "personal_plan").score is None


def test_a_head_who_left_the_post_before_the_year_is_not_one(year):
    Position.objects.filter(member=year.secretary).update(
        start=datetime.date(YEAR - 3, 1, 1), end=datetime.date(YEAR - 1, 12, 31)
    )
    assert not evidence.study_records([year.secretary.pk], YEAR)[year.secretary.pk].head


def _queries(ids):
    with CaptureQueriesContext(connection) as captured:
        evidence.propose_for(ids, YEAR, TEN)
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_members(year):
    Quiz.objects.create(plan=year.plan)
    few = [year.came.pk, year.made_up.pk]
    many = list(Member.objects.order_by("pk").values_list("pk", flat=True)[:1000])
    assert len(many) > 500
    assert _queries(many) == _queries(few) <= 15  # the members' cells, then one to four queries per app


def test_members_are_read_a_chunk_at_a_time_with_the_same_answer(year):
    ids = [year.came.pk, year.made_up.pk, year.excused.pk, *(m.pk for m in year.rest)]
    assert evidence.study_records(ids, YEAR, chunk=2) == evidence.study_records(ids, YEAR)
    assert set(evidence.study_records([*ids, 10**9], YEAR)) == set(ids)  # an id of no member is left out


def test_an_essay_or_a_quiz_not_yet_due_is_shown_but_not_counted(year):
    deadline = year.plan.essay_deadline
    on_the_day = essays_selectors.member_essays_in([year.excused.pk], YEAR, today=deadline)[year.excused.pk]
    after = essays_selectors.member_essays_in([year.excused.pk], YEAR, today=deadline + datetime.timedelta(days=1))
    assert [(r["submitted"], r["due"]) for r in on_the_day] == [(False, False)]
    assert [(r["submitted"], r["due"]) for r in after[year.excused.pk]] == [(False, True)]
    rows = next(evidence.member_rows([year.excused.pk], YEAR))[year.excused.pk]
    waiting = evidence.records_of({**rows, "essays": on_the_day})
    proposal = propose(waiting, TEN)
    part = _part(proposal, "essays")
    assert part.score is None, "nothing due yet: the part drops out rather than scoring 0"
    assert part.sources[0].text.startswith("Kế hoạch 915-KH/TU: chưa đến hạn nộp bài thu hoạch (")
