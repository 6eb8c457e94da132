"""Search ignores diacritics and đ/d, and never reaches past the access gate.

Runs on SQLite here and on PostgreSQL in CI (the folded text is compared with LIKE on both).
"""

import datetime

import pytest
from django.urls import reverse

from quantriet.documents.models import Document
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization

from .conftest import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(users):
    c1 = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    c2 = Organization.objects.get(code=f"{ROOT_CODE}-X002")
    day = datetime.date(2025, 6, 1)
    return {
        "c1": make_document("940-KH/ĐU", c1, day=day, title="Thực hiện Nghị quyết 28 về Đảng bộ Quờn Xanh"),
        "c2": make_document("941-KH/ĐU", c2, day=day, title="Thực hiện Nghị quyết 28 về Đảng bộ Quờn Xanh"),
        "central": make_document("942-KL/TW", None, day=day, title="Kết luận về đường lối Quờn Xanh"),
    }


def ids(user, text):
    return set(Document.objects.visible_to(user).search(text).values_list("pk", flat=True))


@pytest.mark.parametrize(
    "text", ["nghi quyet 28", "Nghị quyết 28", "NGHI QUYET 28", "dang bo quon xanh", "ĐẢNG BỘ", "quờn xanh 28"]
)
def test_folded_search_on_the_gate(found, users, text):
    mine = ids(users["xa1.bithu"], text)
    assert found["c1"].pk in mine
    assert found["c2"].pk not in mine  # the sibling commune's document stays hidden
    assert {found["c1"].pk, found["c2"].pk} <= ids(users["tinh.tuyengiao"], text)


def test_every_word_must_match(found, users):
    assert found["central"].pk in ids(users["xa1.bithu"], "duong loi quon")
    assert found["central"].pk not in ids(users["xa1.bithu"], "duong loi quon 28")
    assert ids(users["xa1.bithu"], "quờn xanh khôngcó") == set()


def test_symbol_search(found, users):
    assert ids(users["xa2.bithu"], "941-KH/ĐU") == {found["c2"].pk}
    assert ids(users["xa2.bithu"], "941-kh/du") == {found["c2"].pk}


def test_outsider_finds_only_central_documents(found, outsider):
    assert ids(outsider, "quon xanh") == {found["central"].pk}


def test_anonymous_gate_is_empty(found):
    from django.contrib.auth.models import AnonymousUser

    assert not Document.objects.visible_to(AnonymousUser()).exists()


def test_list_page_search_and_type_filter(found, client_as):
    client = client_as("xa1.bithu")
    page = client.get(reverse("documents:list"), {"q": "nghi quyet 28 quon"}).content.decode()
    assert "940-KH/ĐU" in page and "941-KH/ĐU" not in page and "942-KL/TW" not in page
    page = client.get(reverse("documents:list"), {"q": "quon xanh", "loai": "ket_luan"}).content.decode()
    assert "942-KL/TW" in page and "940-KH/ĐU" not in page
    page = client.get(reverse("documents:list"), {"q": "nghi quyet 28 quon", "loai": "khong-co"}).content.decode()
    assert "940-KH/ĐU" in page and "942-KL/TW" not in page  # an unknown type is ignored, the words are not
    page = client.get(reverse("documents:list"), {"q": "khôngcóvănbảnnày"}).content.decode()
    assert "Không tìm thấy văn bản nào" in page
