"""The demo's class rules ask for a QR check-in by phone, so they must not forbid phones."""

from quantriet.study.demo import PLAN_SYMBOL
from quantriet.study.models import Conference


def test_class_rules_allow_the_phone_that_checks_in(db):
    rules = set(Conference.objects.filter(plan__symbol=PLAN_SYMBOL).values_list("class_rules", flat=True))
    assert rules
    for text in rules:
        assert "mã QR" in text and "chỉ dùng để điểm danh" in text
        assert "không sử dụng điện thoại" not in text and "không dùng điện thoại" not in text
