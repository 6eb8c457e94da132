"""Each component and flag of the fidelity index, on plain facts."""

from datetime import date

import pytest

from quantriet.analytics import components as fc
from quantriet.core.numbers import format_integer

TODAY = date(2026, 6, 30)
DEADLINE = date(2026, 6, 15)


def held(**changes):
    facts = fc.ConferenceFacts(
        deadline=DEADLINE,
        held_on=date(2026, 6, 10),
        parent_held_on=date(2026, 6, 1),
        chaired_by_secretary=True,
        presented_by_secretary=True,
        local_words=60,
        duration=180,
        parent_duration=180,
    )
    for name, value in changes.items():
        setattr(facts, name, value)
    return facts


class TestOnTime:
    def test_held_by_the_deadline_after_the_parent_scores_fully(self):
        assert fc.on_time(held(), TODAY) == 1.0

    def test_each_day_late_costs_a_thirtieth(self):
        assert fc.on_time(held(held_on=date(2026, 6, 30)), TODAY) == pytest.approx(0.5)
        assert fc.on_time(held(held_on=date(2026, 7, 20)), date(2026, 8, 1)) == 0.0

    def test_holding_before_the_level_above_halves_it(self):
        assert fc.on_time(held(held_on=date(2026, 5, 30)), TODAY) == 0.5

    def test_not_held_is_zero_once_overdue_and_not_judged_before(self):
        assert fc.on_time(held(held_on=None), TODAY) == 0.0
        assert fc.on_time(held(held_on=None), date(2026, 6, 1)) is None
        assert fc.on_time(fc.ConferenceFacts(), TODAY) is None


class TestConference:
    def test_secretary_chairs_and_presents(self):
        assert fc.secretary(held()) == 1.0
        assert fc.secretary(held(presented_by_secretary=False)) == 0.5
        assert fc.secretary(held(chaired_by_secretary=False, presented_by_secretary=False)) == 0.0
        assert fc.secretary(held(held_on=None)) is None

    def test_local_section_scores_by_length_and_zero_when_copied(self):
        assert fc.local(held(local_words=40)) == 1.0
        assert fc.local(held(local_words=10)) == 0.25
        assert fc.local(held(local_words=0)) == 0.0
        assert fc.local(held(local_copied=True)) == 0.0

    def test_duration_relative_to_the_parent(self):
        assert fc.duration(held(duration=45, parent_duration=180)) == 0.25
        assert fc.duration(held(duration=240, parent_duration=180)) == 1.0
        assert fc.duration(held(parent_duration=None)) == 1.0
        assert fc.duration(held(held_on=None)) is None


class TestMembers:
    def test_rates_and_means(self):
        counts = fc.Counts(
            members=10,
            expected=10,
            attended=8,
            unexcused=1,
            writers=10,
            submitted=5,
            graded=4,
            grade_pct_sum=300.0,
            checked=5,
            independent=4,
            takers=10,
            took=5,
            quiz_pct_sum=400.0,
            passed=3,
        )
        assert fc.member_components(counts, essays_due=True) == {
            "attendance": 0.8,
            "unexcused": 0.9,
            "essays": 0.5,
            "grade": 0.75,
            "original": 0.8,
            "quiz_mean": 0.8,
            "quiz_pass": 0.6,
        }

    def test_submission_rate_waits_for_the_essay_deadline(self):
        counts = fc.Counts(writers=10, submitted=2, graded=1, grade_pct_sum=70.0)
        assert fc.member_components(counts, essays_due=False)["essays"] is None
        assert fc.member_components(counts, essays_due=False)["grade"] == 0.7
        assert fc.member_components(counts, essays_due=True)["essays"] == 0.2

    def test_nothing_to_judge_is_none(self):
        assert set(fc.member_components(fc.Counts(members=5), essays_due=True).values()) == {None}

    def test_counts_add_up(self):
        total = fc.Counts(members=3, attended=2, grade_pct_sum=50.0)
        total.add(fc.Counts(members=4, attended=1, grade_pct_sum=25.5))
        assert (total.members, total.attended, total.grade_pct_sum) == (7, 3, 75.5)


class TestComposite:
    def test_weighted_mean_over_present_components(self):
        weights = {"on_time": 3, "attendance": 1, "grade": 5}
        assert fc.composite({"on_time": 1.0, "attendance": 0.0, "grade": None}, weights) == 75.0

    def test_no_component_no_index(self):
        assert fc.composite({"on_time": None}, fc.DEFAULT_WEIGHTS) is None

    def test_default_weights_cover_every_component_and_sum_to_100(self):
        assert set(fc.DEFAULT_WEIGHTS) == set(fc.COMPONENT_KEYS)
        assert sum(fc.DEFAULT_WEIGHTS.values()) == 100


class TestFlags:
    settings = fc.Settings(margin=15, floor=50)

    def judge(self, index, parent_index, facts=None, components=None):
        return fc.flags(index, parent_index, facts or held(), components or {}, self.settings, TODAY)

    def test_falling_more_than_the_margin_below_the_parent_is_lam_luot(self):
        assert "lam_luot" in self.judge(70, 90)
        assert "lam_luot" not in self.judge(76, 90)
        assert fc.decay(70, 90) == 20

    def test_below_the_floor_is_lam_luot_whatever_the_parent(self):
        assert "lam_luot" in self.judge(45, 47)
        assert "lam_luot" in self.judge(45, None)

    def test_lateness_and_order(self):
        assert "qua_han" in self.judge(None, None, held(held_on=None))
        assert "tre_han" in self.judge(None, None, held(held_on=date(2026, 6, 20)))
        assert "truoc_cap_tren" in self.judge(None, None, held(held_on=date(2026, 5, 30)))
        assert self.judge(90, 90, held(), {"secretary": 1.0, "local": 1.0}) == []

    def test_conference_flags(self):
        assert "khong_bi_thu" in self.judge(80, 80, held(), {"secretary": 0.5})
        assert "chep_lien_he" in self.judge(80, 80, held(local_copied=True), {"local": 0.0})
        assert "thieu_lien_he" in self.judge(80, 80, held(), {"local": 0.2})


class TestNotYetDue:
    """A unit is judged once it holds its conference or its deadline has passed (the deadline day is not late)."""

    settings = fc.Settings(margin=15, floor=50)
    weak = {"on_time": None, "quiz_pass": 0.1, "original": 0.0}  # poor member figures so far

    def judge(self, facts):
        index = fc.judged_index(self.weak, fc.DEFAULT_WEIGHTS, facts, TODAY)
        return fc.state(facts, TODAY), index, fc.flags(index, 90.0, facts, self.weak, self.settings, TODAY)

    def test_not_due_has_no_index_no_decay_no_flag(self):
        facts = held(held_on=None, deadline=date(2026, 7, 10))
        state, index, flags = self.judge(facts)
        assert (state, index, flags) == (fc.NOT_DUE, None, [])
        assert fc.decay(index, 90.0) is None
        # Even handed a low index by a caller, a unit not yet due carries no flag (floor or margin).
        assert fc.flags(20.0, 90.0, facts, self.weak, self.settings, TODAY) == []

    def test_due_today_is_not_yet_due(self):
        state, index, flags = self.judge(held(held_on=None, deadline=TODAY))
        assert (state, index, flags) == (fc.NOT_DUE, None, [])
        assert fc.on_time(held(held_on=None, deadline=TODAY), TODAY) is None

    def test_one_day_overdue_is_judged_and_flagged(self):
        facts = held(held_on=None, deadline=date(2026, 6, 29))
        state, index, flags = self.judge(facts)
        assert state == fc.OVERDUE
        assert fc.on_time(facts, TODAY) == 0.0
        assert index is not None and index < 50
        assert {"qua_han", "lam_luot"} <= set(flags)

    def test_held_early_before_the_parent_is_judged(self):
        facts = held(held_on=date(2026, 5, 30), deadline=date(2026, 7, 10))  # before the deadline and the parent
        assert fc.state(facts, TODAY) == fc.HELD
        assert fc.on_time(facts, TODAY) == 0.5
        components = fc.conference_components(facts, TODAY)
        index = fc.judged_index(components, fc.DEFAULT_WEIGHTS, facts, TODAY)
        assert index is not None
        assert "truoc_cap_tren" in fc.flags(index, 90.0, facts, components, self.settings, TODAY)

    def test_held_late_is_judged(self):
        facts = held(held_on=date(2026, 6, 25))
        assert fc.state(facts, TODAY) == fc.HELD
        assert "tre_han" in fc.flags(80.0, 80.0, facts, {}, self.settings, TODAY)

    def test_no_obligation_has_no_state_and_is_judged_on_its_members(self):
        assert fc.state(None, TODAY) == ""
        assert fc.judged_index({"attendance": 0.5}, fc.DEFAULT_WEIGHTS, None, TODAY) == 50.0


class TestProgramme:
    """The unit's own action programme: its concreteness as a component, its copy flag on the row."""

    settings = fc.Settings(margin=15, floor=50)

    def test_a_programme_put_forward_is_a_component_none_is_left_out(self):
        assert fc.concreteness({"score": 33, "flags": ["sao_chep"]}) == pytest.approx(0.33)
        assert fc.concreteness(None) is None
        present = {"attendance": 1.0, "concreteness": 0.33}
        weights = fc.DEFAULT_WEIGHTS
        expected = (
            100
            * (weights["attendance"] + 0.33 * weights["concreteness"])
            / (weights["attendance"] + weights["concreteness"])
        )
        assert fc.composite(present, weights) == pytest.approx(expected, abs=0.05)

    def test_a_pasted_programme_flags_the_unit_once_judged(self):
        facts = held(held_on=date(2026, 6, 25))
        assert "ctr_sao_chep" in fc.flags(80.0, 80.0, facts, {}, self.settings, TODAY, ("sao_chep", "chua_cu_the"))
        assert "ctr_sao_chep" not in fc.flags(80.0, 80.0, facts, {}, self.settings, TODAY, ("chua_cu_the",))
        not_due = held(held_on=None, deadline=date(2026, 7, 10))
        assert fc.flags(80.0, 80.0, not_due, {}, self.settings, TODAY, ("sao_chep",)) == []


class TestRuleInWords:
    def test_the_rule_names_both_thresholds_of_the_plan(self):
        text = fc.lam_luot_rule(fc.Settings(margin=12.5, floor=40))
        assert "dưới 40 điểm" in text and "quá 12,5 điểm" in text and "chưa đến hạn" in text

    def test_docs_state_the_same_rule(self):
        from pathlib import Path

        docs = Path(__file__).resolve().parents[3] / "docs" / "fidelity.md"
        assert fc.lam_luot_rule(fc.Settings()) in docs.read_text(encoding="utf-8")

    def test_the_colour_bands_do_not_speak_of_lam_luot(self):
        from quantriet.analytics.dashboard import BANDS

        assert not [label for _, _, label in BANDS if "lướt" in label]


def test_each_member_rate_names_its_base():
    counts = fc.Counts(expected=8, attended=6, took=150, passed=109, graded=40, grade_pct_sum=2800.0)
    assert fc.basis("quiz_pass", counts) == "đạt 109/150 người đã làm bài kiểm tra"
    assert fc.basis("attendance", counts) == "dự học 6/8 đảng viên phải dự học"
    assert fc.basis("grade", counts) == "bình quân của 40 bài đã chấm"
    assert fc.basis("on_time", counts) == ""
    assert fc.percent_of("quiz_pass") == "% số người đã làm bài kiểm tra"
    assert fc.percent_of("on_time") == "%"
    assert format_integer(27000) == "27.000"
