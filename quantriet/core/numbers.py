"""Numbers as Vietnamese users type them: one rule for every form that takes a number.

Vietnamese writes the decimal part after a comma ("0,5" is a half) and groups thousands with
points ("1.234"). Browsers' <input type="number"> drop the comma ("0,2" becomes "02"), so number
fields here are text inputs with a numeric keyboard (inputmode) and this module reads them:

- "0,5", "0.5", ",5", "12" and "-3,25" are read as they are meant;
- a number that mixes points and commas ("1.234,5", "1,234.5"), has several of them ("1,2,3",
  "1.234.567") or has a point followed by exactly three digits ("1.234": one thousand two hundred
  and thirty-four, or one point two three four?) is refused with a message saying how to write
  it, never guessed;
- anything else (letters, spaces inside, "1e3", "NaN") is refused.

Amounts of money (`parse_amount`) are whole đồng, where points group thousands: "45.000.000",
"45 000 000 đ", "45000000" and "45.000.000,00" are one amount; "45,5" (a fraction of a đồng)
and "45,000,000" (the English grouping) are refused. JSON numbers in the API are unambiguous
and are not read through here.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms

_NUMBER = re.compile(r"^([+-]?)([0-9]*)(?:([.,])([0-9]+))?$")

MESSAGE_INVALID = "“{text}” không phải là một số. Hãy nhập chữ số, phần thập phân sau dấu phẩy (ví dụ 2,5)."
MESSAGE_MIXED = (
    "“{text}” vừa có dấu chấm vừa có dấu phẩy nên không rõ là số nào. "
    "Hãy viết không có dấu phân cách hàng nghìn, phần thập phân sau dấu phẩy (ví dụ 1234,5)."
)
MESSAGE_SEVERAL = (
    "“{text}” có nhiều hơn một dấu {mark} nên không rõ là số nào. "
    "Hãy viết không có dấu phân cách hàng nghìn, phần thập phân sau một dấu phẩy (ví dụ 1234,5)."
)
MESSAGE_THOUSANDS = (
    "“{text}” có thể là {whole} nghìn {rest} hoặc {whole} phẩy {rest}. "
    "Hãy viết {plain} nếu là số nguyên, hoặc {comma} nếu là số thập phân."
)
MESSAGE_NOT_INTEGER = "“{text}” không phải là số nguyên. Hãy nhập một số nguyên (ví dụ 30)."


class NumberError(ValueError):
    """Typed text that is not a number; str() is the Vietnamese message."""


class UnclearNumber(NumberError):
    """Digits that could mean two numbers (or a fraction where a whole number is due): said precisely."""


def parse_decimal(text) -> Decimal:
    """The number TEXT means to a Vietnamese reader, or NumberError saying why it is not clear."""
    shown = str(text).strip()
    commas, points = shown.count(","), shown.count(".")
    if commas and points:
        raise UnclearNumber(MESSAGE_MIXED.format(text=shown))
    if commas > 1 or points > 1:
        raise UnclearNumber(MESSAGE_SEVERAL.format(text=shown, mark="phẩy" if commas > 1 else "chấm"))
    match = _NUMBER.match(shown)
    if not match or not (match[2] or match[4]):
        raise NumberError(MESSAGE_INVALID.format(text=shown))
    sign, whole, mark, fraction = match[1], match[2] or "0", match[3], match[4]
    if mark == "." and len(fraction) == 3 and whole.lstrip("0"):
        raise UnclearNumber(
            MESSAGE_THOUSANDS.format(
                text=shown,
                whole=whole,
                rest=fraction,
                plain=f"{sign}{whole}{fraction}",
                comma=f"{sign}{whole},{fraction}",
            )
        )
    try:
        return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise NumberError(MESSAGE_INVALID.format(text=shown)) from None


def parse_integer(text) -> int:
    """A whole number typed by a Vietnamese user; "7,5" or "1.5" is refused, not read as 75 or 15."""
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise UnclearNumber(MESSAGE_NOT_INTEGER.format(text=str(text).strip()))
    return int(value)


_AMOUNT = re.compile(r"^([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,(0+))?$")
_CURRENCY = re.compile(r"\s*(đồng|đ|vnđ|vnd)$", re.IGNORECASE)
MESSAGE_AMOUNT = (
    "“{text}” không phải là một số tiền bằng đồng. Hãy viết số đồng, nhóm hàng nghìn bằng dấu chấm "
    "hoặc không nhóm (ví dụ 45.000.000 hoặc 45000000), không có phần lẻ."
)


def parse_amount(text) -> int:
    """Whole đồng as people type them; NumberError saying how to write it otherwise."""
    shown = str(text).strip()
    digits = _CURRENCY.sub("", shown).replace("\u00a0", " ")
    digits = re.sub(r"(?<=[0-9]) (?=[0-9]{3}\b)", ".", digits)  # "45 000 000" groups like "45.000.000"
    match = _AMOUNT.match(digits)
    if not match:
        raise NumberError(MESSAGE_AMOUNT.format(text=shown))
    return int(match[1].replace(".", ""))


def format_integer(value) -> str:
    """A count the Vietnamese way: 27000 → "27.000" (None → "0")."""
    return f"{value or 0:,}".replace(",", ".")


def format_decimal(value) -> str:
    """VALUE written the Vietnamese way: 0,5 · 12 · 2,25 (no exponent, no trailing zeros)."""
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value)).normalize():f}".replace(".", ",")


def format_share(share: float | None) -> str:
    """A share (0–1) as a whole percentage: 0.734 → "73%" (None → "")."""
    return "" if share is None else f"{round(100 * share)}%"


class _VnNumberInput:
    """What both number fields share: a text input with a numeric keyboard on phones
    (<input type="number"> would eat the comma) and the parser's refusals as form errors."""

    widget = forms.TextInput
    input_mode = "decimal"

    def widget_attrs(self, widget):
        # The fields' own attributes (step, min, max) belong to type="number": not used here.
        return {"inputmode": self.input_mode, "autocomplete": "off"}

    @staticmethod
    def _blank(value) -> bool:
        return value in forms.Field.empty_values or (isinstance(value, str) and not value.strip())

    def _read(self, value, parse):
        try:
            return parse(value)
        except UnclearNumber as error:
            raise forms.ValidationError(str(error), code="unclear") from None
        except NumberError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class VnDecimalField(_VnNumberInput, forms.DecimalField):
    """A decimal number typed the Vietnamese way (see the module); shown with a comma.

    Cleans to a Decimal, then checks max_digits, decimal_places and the bounds like DecimalField.
    """

    default_error_messages = {"invalid": "Hãy nhập một số (ví dụ 2,5)."}

    def __init__(self, **kwargs):
        kwargs["localize"] = False
        super().__init__(**kwargs)

    def to_python(self, value):
        if self._blank(value):
            return None
        if isinstance(value, (int, Decimal)):
            return Decimal(value)
        if isinstance(value, float):
            return Decimal(str(value))
        return self._read(value, parse_decimal)

    def prepare_value(self, value):
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return format_decimal(value)
        return value


class VnIntegerField(_VnNumberInput, forms.IntegerField):
    """A whole number in a text input with a digit keyboard; "7,5" is refused, never read as 75."""

    input_mode = "numeric"
    default_error_messages = {"invalid": "Hãy nhập một số nguyên (ví dụ 30)."}

    def to_python(self, value):
        if self._blank(value):
            return None
        if isinstance(value, int):
            return value
        return self._read(value, parse_integer)
