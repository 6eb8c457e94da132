"""The one reading of typed numbers: a decimal comma means what a Vietnamese user means; ambiguity is refused."""

from decimal import Decimal

import pytest
from django import forms

from quantriet.core.numbers import (
    NumberError,
    VnDecimalField,
    VnIntegerField,
    format_decimal,
    format_share,
    parse_amount,
    parse_decimal,
    parse_integer,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0,2", "0.2"),  # the seen defect: "0,2" became 2 points
        ("0,5", "0.5"),
        (" 8,5 ", "8.5"),
        (",5", "0.5"),
        ("0.5", "0.5"),
        ("2.25", "2.25"),
        ("12", "12"),
        ("007", "7"),
        ("-3,25", "-3.25"),
        ("+4", "4"),
        ("1,234", "1.234"),  # a comma is always the decimal mark
        ("0.125", "0.125"),  # a point after a zero cannot group thousands
        ("100", "100"),
    ],
)
def test_clear_numbers(text, value):
    assert parse_decimal(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1.234,5", "vừa có dấu chấm vừa có dấu phẩy"),
        ("1,234.5", "vừa có dấu chấm vừa có dấu phẩy"),
        ("1,2,3", "nhiều hơn một dấu phẩy"),
        ("1.234.567", "nhiều hơn một dấu chấm"),
        ("1.234", "có thể là 1 nghìn 234 hoặc 1 phẩy 234. Hãy viết 1234 nếu là số nguyên, hoặc 1,234"),
        ("12.500", "Hãy viết 12500 nếu là số nguyên, hoặc 12,500"),
        ("", "không phải là một số"),
        ("abc", "không phải là một số"),
        ("1 234", "không phải là một số"),
        ("1e3", "không phải là một số"),
        ("NaN", "không phải là một số"),
        ("Infinity", "không phải là một số"),
        ("-", "không phải là một số"),
        (",", "không phải là một số"),
        ("5,", "không phải là một số"),
        ("½", "không phải là một số"),
        ("٣", "không phải là một số"),  # other scripts' digits are not our digits
    ],
)
def test_unclear_input_is_refused_with_a_vietnamese_message(text, says):
    with pytest.raises(NumberError) as refused:
        parse_decimal(text)
    assert says in str(refused.value)


def test_integers():
    assert parse_integer("30") == 30 and parse_integer("30,0") == 30
    for text in ["7,5", "1.5"]:
        with pytest.raises(NumberError, match="không phải là số nguyên"):
            parse_integer(text)


@pytest.mark.parametrize(
    ("value", "text"), [(Decimal("0.5"), "0,5"), (Decimal("10.0"), "10"), (2.25, "2,25"), (7, "7")]
)
def test_written_with_a_comma(value, text):
    assert format_decimal(value) == text


class _Form(forms.Form):
    points = VnDecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=10)
    minutes = VnIntegerField(min_value=1, required=False)


def test_the_fields_read_render_and_refuse():
    form = _Form({"points": "0,5", "minutes": "45"})
    assert form.is_valid() and form.cleaned_data == {"points": Decimal("0.5"), "minutes": 45}
    html = str(_Form(initial={"points": Decimal("2.5")})["points"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'value="2,5"' in html
    assert 'inputmode="numeric"' in str(_Form()["minutes"])
    refused = _Form({"points": "1.234,5", "minutes": "7,5"})
    assert not refused.is_valid()
    assert "vừa có dấu chấm vừa có dấu phẩy" in refused.errors["points"][0]
    assert "không phải là số nguyên" in refused.errors["minutes"][0]
    too_precise = _Form({"points": "0,25"})
    assert not too_precise.is_valid() and "points" in too_precise.errors
    assert not _Form({"points": "12"}).is_valid()  # bounds still apply
    assert _Form({"points": "mười"}).errors["points"] == ["Hãy nhập một số (ví dụ 2,5)."]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("45.000.000", 45_000_000),
        ("45 000 000 đ", 45_000_000),
        ("45000000", 45_000_000),
        ("45.000.000,00", 45_000_000),
        ("12.500.000 đồng", 12_500_000),
        ("500 VNĐ", 500),
        ("0", 0),
    ],
)
def test_amounts_of_money(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize("text", ["45,5", "45,000,000", "1,234.5", "45.00.000", "4.5", "mười triệu", "-5", ""])
def test_unclear_amounts_are_refused(text):
    with pytest.raises(NumberError, match="không phải là một số tiền bằng đồng"):
        parse_amount(text)


@pytest.mark.parametrize(("share", "text"), [(None, ""), (0, "0%"), (0.734, "73%"), (1.0, "100%")])
def test_a_share_as_a_whole_percentage(share, text):
    assert format_share(share) == text
