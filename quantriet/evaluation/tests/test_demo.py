"""The demo's evaluations (evaluation.demo): last year decided within the rules, this year at every
stage in xa1.bithu's commune, a cell over its quota that the services refuse to decide, a cell whose
copied essays show in its members' proposals; seeding twice changes nothing.

The session's province is seeded without essays; each test seeds the essays, the quiz, the commitments
and the fidelity index (as `seed_demo` does before the evaluations), inside its own rolled-back transaction.
"""

import datetime
import io
import re
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from quantriet.analytics.models import FidelityScore
from quantriet.analytics.rollup import refresh
from quantriet.core.models import DRAFT, AuditEntry
from quantriet.core.workflow import history
from quantriet.essays.demo import seed_essays
from quantriet.essays.models import Essay
from quantriet.essays.selectors import COPYING_LABELS
from quantriet.evaluation import rules, services
from quantriet.evaluation.demo import NOT_STARTED, seed_evaluations
from quantriet.evaluation.models import DECIDED, REVIEWED, SELF_ASSESSED, Evaluation
from quantriet.evaluation.selectors import evaluation_summary
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import CELL_KINDS, Member, Organization, OrgKind, Position
from quantriet.org.tree import parent_path
from quantriet.plans.demo_commitments import seed_commitments
from quantriet.quizzes.demo import seed_quiz
from quantriet.study.demo import PLAN_SYMBOL
from quantriet.study.models import StudyPlan

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LAST, THIS = TODAY.year - 1, TODAY.year


@pytest.fixture
def seeded(users):
    seed_essays()
    seed_quiz()
    seed_commitments()
    refresh(StudyPlan.objects.get(symbol=PLAN_SYMBOL))  # a cell's study points are proposed from its index
    summary = seed_evaluations()
    assert summary["created"]
    return summary


@pytest.fixture
def commune(users):
    return Organization.objects.get(path=parent_path(users["dangvien1"].member.cell.path))


def _graded(evaluation: Evaluation) -> rules.Grading:
    """EVALUATION's review points graded by its criteria set (read once per set and test)."""
    if evaluation.criteria_set_id not in _RULES:
        _RULES[evaluation.criteria_set_id] = evaluation.criteria_set.rules()
    found = rules.Facts({k: Decimal(v) for k, v in evaluation.review_points.items()}, evaluation.disciplined)
    return rules.grade(_RULES[evaluation.criteria_set_id], found)


_RULES = {}


@pytest.fixture(autouse=True)
def _fresh_rules():
    _RULES.clear()


def test_last_year_everyone_is_decided_within_the_rules(seeded):
    root = Organization.objects.get(code=ROOT_CODE)
    end = datetime.date(LAST, 12, 31)
    rows = list(Evaluation.objects.filter(year=LAST).select_related("org", "deciding_org", "criteria_set"))
    assert {e.state for e in rows} == {DECIDED}

    # Every member of the province by the end of the year, every cell and grassroots organisation.
    members = set(
        Member.objects.filter(cell__path__startswith=root.path, joined_on__lte=end).values_list("pk", flat=True)
    )
    assert {e.member_id for e in rows if e.member_id} == members
    units = set(
        Organization.objects.filter(path__startswith=root.path)
        .filter(kind__in=[*CELL_KINDS, OrgKind.DANG_UY_XA, OrgKind.DANG_BO_CO_SO])
        .values_list("pk", flat=True)
    )
    assert {e.org_id for e in rows if e.member_id is None} == units

    # Totals and bands as the criteria set grades the points; the decision numbered, in December.
    for evaluation in rows:
        found = _graded(evaluation)
        assert (evaluation.total, evaluation.band) == (found.total, found.band), evaluation.pk
        # the study points given, as the summaries read them; none proposed (the year predates the records)
        assert evaluation.study_share == float(Decimal(evaluation.review_points["hoc_tap"]) / 10)
        assert evaluation.study_proposal == {} and evaluation.study_proposed_share is None
        assert re.fullmatch(r"\d+-(QĐ/ĐU|QĐ/ĐUK|QĐ/TU|NQ/CB)", evaluation.decision_number)
        assert evaluation.decision_date.year == LAST and evaluation.decision_date.month == 12
        assert evaluation.deciding_org_id == (
            services.deciding_org_of(evaluation.org).pk
            if evaluation.member_id
            else Organization.objects.get(path=parent_path(evaluation.org.path)).pk
        )
    bands = Counter(e.band for e in rows if e.member_id)
    assert set(bands) == set(rules.BAND_CODES) and bands[rules.TOT] > len(members) / 2

    # The quota in every deciding organisation; collectives before members; heads not above a weak unit.
    by_decider = defaultdict(list)
    for evaluation in rows:
        if evaluation.member_id:
            by_decider[evaluation.deciding_org_id].append(evaluation.band)
    for bands in by_decider.values():
        excellent = bands.count(rules.XUAT_SAC)
        assert excellent <= rules.excellent_allowed(rules.DEFAULT_MEMBER_RULES, excellent + bands.count(rules.TOT))
    unit = {e.org_id: e for e in rows if e.member_id is None}
    heads = set(
        Position.objects.filter(title__in=services.HEAD_TITLES, org__kind__in=CELL_KINDS, start__lte=end)
        .exclude(end__lt=datetime.date(LAST, 1, 1))
        .values_list("member_id", "org_id")
    )
    rank = rules.DEFAULT_MEMBER_RULES.rank
    weak_heads = 0
    for evaluation in (e for e in rows if e.member_id):
        assert unit[evaluation.org_id].decision_date < evaluation.decision_date
        if (evaluation.member_id, evaluation.org_id) in heads and rank(unit[evaluation.org_id].band) > rank(rules.TOT):
            weak_heads += 1
            assert rank(evaluation.band) >= rank(unit[evaluation.org_id].band), evaluation.pk
    assert weak_heads, "the demo has heads of weak cells"
    assert AuditEntry.objects.filter(action="demo.seed_evaluations").count() == 1


def test_this_year_the_commune_is_at_every_stage(seeded, users, commune):
    rows = Evaluation.objects.filter(year=THIS)
    assert set(rows.values_list("org__path", flat=True)) <= set(
        Organization.objects.filter(path__startswith=commune.path).values_list("path", flat=True)
    )
    states = Counter(rows.filter(member__isnull=False).values_list("state", flat=True))
    assert set(states) == {DRAFT, SELF_ASSESSED, REVIEWED, DECIDED}
    members = Member.objects.filter(cell__path__startswith=commune.path)
    assert members.exclude(evaluations__year=THIS).count() == seeded["this_year"]["not_started"] > 0
    # dangvien1 opens their own (not started: the member self-assesses on their phone).
    assert seeded["this_year"]["mine"]["dangvien1"] == NOT_STARTED
    assert not rows.filter(member=users["dangvien1"].member).exists()
    assert rows.filter(org=users["dangvien1"].member.cell, member__isnull=True, state=DRAFT).exists()

    # Every member's evaluation carries this year's study proposal, and the cells' own theirs from the
    # fidelity index; a study point given away from the proposal has its reason, the shares the summaries
    # read are the points'; the decided ones are graded from their points, members after their cell.
    assert any("points" in e.study_proposal for e in rows.filter(member__isnull=True))
    for evaluation in rows:
        assert "points" in evaluation.study_proposal or evaluation.member_id is None, evaluation.pk
        if evaluation.state in (REVIEWED, DECIDED):
            given = Decimal(evaluation.review_points["hoc_tap"])
            assert evaluation.study_share == float(given / 10)
            if "points" in evaluation.study_proposal:
                proposed = Decimal(evaluation.study_proposal["points"])
                assert given == proposed or evaluation.study_reason, evaluation.pk
                assert evaluation.study_proposed_share == float(proposed / 10)
        if evaluation.state == DECIDED:
            found = _graded(evaluation)
            assert (evaluation.total, evaluation.band) == (found.total, found.band)
            if evaluation.member_id:
                assert rows.get(org=evaluation.org, member__isnull=True).state == DECIDED
    by_band = Counter(rows.filter(member__isnull=False, state=DECIDED).values_list("band", flat=True))
    assert by_band[rules.XUAT_SAC] <= rules.excellent_allowed(
        rules.DEFAULT_MEMBER_RULES, by_band[rules.XUAT_SAC] + by_band[rules.TOT]
    )

    # The showcases went through the services as the demo's logins: their history is real.
    shown = [[e.action for e in history(row)] for row in rows.filter(member__isnull=False, state=DECIDED)]
    assert ["workflow.version", "workflow.submit", "workflow.review", "workflow.decide"] in shown
    decisions = AuditEntry.objects.filter(action="workflow.decide", object_type="evaluation.evaluation")
    assert decisions.exists() and {e.actor for e in decisions} == {users["xa1.bithu"]}


def test_the_cell_over_its_quota_is_refused_with_the_numbers(seeded, users, commune):
    over = Organization.objects.get(path__startswith=commune.path, name=seeded["this_year"]["over_quota"]["cell"])
    assert Evaluation.objects.get(year=THIS, org=over, member__isnull=True).state == DECIDED
    batch = list(Evaluation.objects.filter(year=THIS, org=over, member__isnull=False))
    assert batch and {e.state for e in batch} == {REVIEWED}
    assert len(batch) == Member.objects.filter(cell=over).count()

    decided = list(
        Evaluation.objects.filter(year=THIS, deciding_org=commune, member__isnull=False, state=DECIDED).values_list(
            "band", flat=True
        )
    )
    bands = decided + [_graded(e).band for e in batch]
    excellent, good = bands.count(rules.XUAT_SAC), bands.count(rules.XUAT_SAC) + bands.count(rules.TOT)
    allowed = rules.excellent_allowed(rules.DEFAULT_MEMBER_RULES, good)
    with pytest.raises(ValidationError) as refused:
        services.decide(users["xa1.bithu"], commune, batch, number="99-QĐ/ĐU", decided_on=TODAY)
    message = refused.value.messages[0]
    assert f"{excellent} đảng viên “Hoàn thành xuất sắc nhiệm vụ” vượt mức 20% của {good} đảng viên" in message
    assert f"(tối đa {allowed})" in message and message == seeded["this_year"]["over_quota"]["refusal"]
    assert not Evaluation.objects.filter(pk__in=[e.pk for e in batch], state=DECIDED).exists()


def test_the_cell_that_copied_essays_shows_it_in_the_proposals(seeded, commune):
    copies = Essay.objects.filter(member__cell__path__startswith=commune.path, verdict__label__in=COPYING_LABELS)
    per_cell = Counter(copies.values_list("member__cell__name", flat=True))
    named = seeded["this_year"]["copied"]["cell"]
    assert named and per_cell[named] == max(
        count for name, count in per_cell.items() if name != seeded["this_year"]["mine"]["cell"]
    )
    copiers = copies.filter(member__cell__name=named).select_related("member", "verdict")
    assert seeded["this_year"]["copied"]["members"] == copiers.count() > 0
    for essay in copiers:
        evaluation = Evaluation.objects.get(year=THIS, member=essay.member)
        assert evaluation.state == SELF_ASSESSED and evaluation.self_points
        [part] = [p for p in evaluation.study_proposal["parts"] if p["key"] == "essays"]
        assert part["percent"] == 0
        [source] = part["sources"]
        assert "bài thu hoạch bị kết luận sao chép" in source["text"] and "không tính điểm" in source["text"]
        assert essay.verdict.get_label_display() in source["text"] and source["url"].endswith(f"/{essay.pk}/")


def test_seed_demo_seeds_them_once_and_names_the_cells(users):
    out = io.StringIO()
    call_command("seed_demo", scale=0.01, quiet=True, stdout=out)
    printed = out.getvalue()
    assert "Đã tạo đánh giá, xếp loại mẫu" in printed
    over = re.search(r"Chi bộ vượt tỷ lệ “xuất sắc” \(chờ quyết định\): (.+?) — ", printed)
    assert over and Evaluation.objects.filter(year=THIS, org__name=over[1], state=REVIEWED).exists()
    assert "Chi bộ có đảng viên chép bài thu hoạch" in printed and "dangvien1" in printed
    counts = Counter(Evaluation.objects.values_list("year", "state"))
    again = io.StringIO()
    call_command("seed_demo", scale=0.01, quiet=True, stdout=again)
    assert "đánh giá, xếp loại" not in again.getvalue()
    assert Counter(Evaluation.objects.values_list("year", "state")) == counts
    assert seed_evaluations() == {"created": False}


def test_a_decided_cell_whose_study_was_flagged_skimmed_gives_full_study_points_with_a_reason(users, commune):
    """The demo's cell for the summary's "cần xem lại": at make-run scale its study is flagged by the
    fidelity index; here every cell of the commune is (hand-made rows of the rollup, index 30)."""
    seed_essays()
    seed_quiz()
    seed_commitments()
    plan = StudyPlan.objects.get(symbol=PLAN_SYMBOL)
    refresh(plan)
    cells = Organization.objects.filter(path__startswith=commune.path, depth=commune.depth + 1)
    FidelityScore.objects.filter(plan=plan, org__in=cells).delete()
    for cell in cells:
        FidelityScore.objects.create(plan=plan, org=cell, path=cell.path, depth=cell.depth, index=30, lam_luot=True)
    summary = seed_evaluations()
    name = summary["this_year"]["skimming"]
    assert name in summary["this_year"]["cells"]["decided"]
    decided = Evaluation.objects.filter(year=summary["this_year"]["year"], org__name=name, member__isnull=False,
                                        org__path__startswith=commune.path, state=DECIDED)  # fmt: skip
    assert decided.exists() and all(e.review_points["hoc_tap"] in ("10", "10.00") for e in decided)
    assert all(e.study_share == 1.0 for e in decided)
    assert all(e.study_reason for e in decided if e.study_proposed_share != 1.0)
    [row] = [r for r in evaluation_summary(commune, summary["this_year"]["year"]) if r.org.name == name]
    assert row.skimmed and row.study_mean == 1.0  # the summary's rule then names it (test_summary)
