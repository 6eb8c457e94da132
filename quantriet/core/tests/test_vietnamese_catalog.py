"""Django's own messages that its Vietnamese catalog leaves in English come out in Vietnamese (quantriet/locale)."""

import datetime

import pytest
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils import translation
from django.utils.timesince import timesince

from quantriet.core.apps import NUL_MESSAGE


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def test_language_is_vietnamese_with_django_catalog():
    assert translation.get_language() == "vi"
    assert str(forms.CharField.default_error_messages["required"]) == "Trường này là bắt buộc."


def test_pagination_errors():
    with pytest.raises(PageNotAnInteger, match="Số trang không phải số nguyên"):
        Paginator([1], 1).page("x")
    with pytest.raises(EmptyPage, match="Trang này không có kết quả nào"):
        Paginator([1], 1).page(5)


def test_form_errors():
    class Form(forms.Form):
        text = forms.CharField()
        amount = forms.DecimalField(step_size=0.5)

    form = Form({"text": "Nguyễn\x00Văn", "amount": "0.3"})
    assert not form.is_valid()
    assert form.errors == {"text": [NUL_MESSAGE], "amount": ["Giá trị phải là bội số của 0.5."]}


def test_password_and_time_spans():
    with pytest.raises(ValidationError) as refused:
        validate_password("abc")
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in refused.value.messages
    assert timesince(datetime.datetime(2020, 1, 1), datetime.datetime(2021, 3, 5)) == "1\xa0năm, 2\xa0tháng"
