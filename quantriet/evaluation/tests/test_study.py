"""The study criterion proposed from hand-made records: each part, the sources it shows, the parts
that drop out, and a copied essay lowering the points with the reason the member reads."""

from dataclasses import replace
from decimal import Decimal

import pytest

from quantriet.evaluation.study import (
    ATTENDED,
    EXCUSED,
    LATE,
    UNEXCUSED,
    CommitmentRecord,
    ConferenceRecord,
    EssayRecord,
    QuizRecord,
    StudyRecords,
    parts,
    propose,
)

TEN = Decimal(10)
DILIGENT = StudyRecords(
    conferences=(ConferenceRecord("Hội nghị quán triệt Chỉ thị 28", ATTENDED, url="/hoc-tap/hoi-nghi/1/"),),
    essays=(EssayRecord("Kế hoạch 12-KH/BTGDVTU", True, grade=1.0, url="/thu-hoach/bai/1/"),),
    quizzes=(QuizRecord("Bài kiểm tra Chỉ thị 28", 1.0),),
    commitment=CommitmentRecord(True, mid_reviewed=True, end_reviewed=True),
)


def _part(proposal, key):
    return next(part for part in proposal.parts if part.key == key)


def test_a_diligent_member_gets_the_whole_criterion_with_every_source_shown():
    proposal = propose(DILIGENT, TEN)
    assert proposal.points == TEN and proposal.lowered_by_copying == []
    assert _part(proposal, "conferences").sources[0].url == "/hoc-tap/hoi-nghi/1/"
    assert _part(proposal, "personal_plan").score is None  # not a head: not asked


def test_a_copied_essay_costs_its_points_and_says_why():
    copied = EssayRecord("Kế hoạch 12-KH/BTGDVTU", True, grade=0.9, copied="Chép bài mẫu trên mạng")
    proposal = propose(replace(DILIGENT, essays=(copied,)), TEN)
    assert _part(proposal, "essays").score == 0
    assert proposal.points == Decimal("6.75")  # 0.6 of the 0.9 judged: 6.67 of 10, to the quarter point
    assert proposal.lowered_by_copying == [
        "Kế hoạch 12-KH/BTGDVTU: bài thu hoạch bị kết luận sao chép (Chép bài mẫu trên mạng), không tính điểm"
    ]


@pytest.mark.parametrize(
    ("status", "made_up", "score"),
    [(ATTENDED, False, 1.0), (LATE, False, 0.75), (EXCUSED, True, 1.0), (EXCUSED, False, 0.5),
     (UNEXCUSED, True, 0.5), (UNEXCUSED, False, 0.0)],
)  # fmt: skip
def test_each_attendance_counts_as_the_rules_say(status, made_up, score):
    records = StudyRecords(conferences=(ConferenceRecord("Hội nghị", status, made_up),))
    assert _part(propose(records, TEN), "conferences").score == score


def test_what_was_not_asked_drops_out():
    records = StudyRecords(
        conferences=(ConferenceRecord("Hội nghị", ATTENDED),), commitment=CommitmentRecord(True, True, True)
    )
    proposal = propose(records, TEN)
    assert [p.key for p in proposal.parts if p.score is None] == ["essays", "quizzes", "personal_plan"]
    assert proposal.points == TEN


def test_an_ungraded_essay_counts_a_middling_grade_and_says_so():
    records = StudyRecords(essays=(EssayRecord("Kế hoạch", True),), commitment=CommitmentRecord(True, True, True))
    essays = _part(propose(records, TEN), "essays")
    assert essays.score == 0.75 and "chưa chấm" in essays.sources[0].text


def test_a_head_without_a_personal_plan_loses_that_part():
    head = replace(DILIGENT, head=True)
    assert _part(propose(head, TEN), "personal_plan").score == 0
    assert propose(head, TEN).points == Decimal(9)
    written = StudyRecords(
        **{**DILIGENT.__dict__, "head": True, "personal_plan_url": "/chuong-trinh/ke-hoach-ca-nhan/3/"}
    )
    assert propose(written, TEN).points == TEN


def test_a_copied_commitment_and_a_missing_one_count_nothing():
    copied = StudyRecords(commitment=CommitmentRecord(True, True, True, copied="chép bản mẫu trên mạng"))
    assert _part(propose(copied, TEN), "commitment").score == 0
    assert [s.text for s in parts(StudyRecords())[3].sources] == ["Chưa đăng ký bản cam kết năm"]


def test_work_not_yet_due_is_shown_but_costs_nothing():
    waiting = StudyRecords(
        essays=(EssayRecord("Kế hoạch 12-KH/BTGDVTU", False, due=False, deadline_text="31/12/2026"),),
        quizzes=(QuizRecord("Bài kiểm tra Chỉ thị 28", None, due=False, deadline_text="20/12/2026"),),
        commitment=CommitmentRecord(True, True, True),
    )
    proposal = propose(waiting, Decimal(10))
    assert proposal.points == Decimal(10), "only the commitment is due, and it is complete"
    essays, quizzes = (next(p for p in proposal.parts if p.key == key) for key in ("essays", "quizzes"))
    assert essays.score is None and quizzes.score is None
    assert essays.sources[0].text == "Kế hoạch 12-KH/BTGDVTU: chưa đến hạn nộp bài thu hoạch (31/12/2026), chưa tính"
    overdue = StudyRecords(
        essays=(EssayRecord("Kế hoạch 12-KH/BTGDVTU", False),), commitment=CommitmentRecord(True, True, True)
    )
    assert propose(overdue, Decimal(10)).points < Decimal(10)
