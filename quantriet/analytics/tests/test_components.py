"""Each component and flag of the fidelity index, on plain facts."""

from datetime import date

import pytest

from quantriet.analytics import components as fc

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
