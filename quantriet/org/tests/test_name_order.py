"""Vietnamese order of people: ICU's "vi" collation, given name first, the same in Python and in SQL.

The expected lists are written by hand from CLDR's Vietnamese rules (đ after d; ă, â after a;
tones after the bare letter: ngang, huyền, hỏi, ngã, sắc, nặng).
"""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from quantriet.core.collation import name_key, name_parts, refresh_name_keys, text_key
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Gender, Member, MemberStatus, Organization, OrgKind
from quantriet.org.roster import import_roster

from .test_roster import person, xlsx

LETTERS = ["Dương", "Đào", "Đặng"]
BREVE_HAT = ["An", "Ăn", "Ân"]
HAT_TONES = ["Ân", "Ẩn", "Ấn"]
TONES = ["Anh", "Ành", "Ảnh", "Ãnh", "Ánh", "Ạnh"]
#: Given name decides first (with its tone), then middle name, then family name.
PEOPLE = [
    "Lê Thị An",
    "Trần Thị An",
    "Lê Văn An",
    "Trần Văn Anh",  # Anh before Ánh although "Anh Văn Trần" > "Ánh Thị Nguyễn" letter by letter
    "Nguyễn Thị Ánh",
    "Phạm Ân",
    "Vũ Văn Dũng",
    "Hoàng Đào",
    "Đỗ Thị Đào",
]


@pytest.mark.parametrize("expected", [LETTERS, BREVE_HAT, HAT_TONES, TONES])
def test_text_key_follows_cldr_vietnamese(expected):
    assert sorted(reversed(expected), key=text_key) == expected
    assert sorted(expected[::2] + expected[1::2], key=text_key) == expected


def test_name_parts_and_given_name_first():
    assert name_parts("Nguyễn Thị Minh Khai") == ("Khai", "Thị Minh", "Nguyễn")
    assert name_parts("  Phạm   Ân ") == ("Ân", "", "Phạm")
    assert name_parts("Ân") == ("Ân", "", "")
    assert sorted(reversed(PEOPLE), key=name_key) == PEOPLE


def test_name_key_ignores_composition_form():
    """Names typed in NFD (as some files carry them) sort as their NFC form."""
    import unicodedata

    assert name_key(unicodedata.normalize("NFD", "Đỗ Thị Ánh")) == name_key("Đỗ Thị Ánh")


@pytest.fixture
def empty_cell(db):
    parent = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    cell = Organization(code="TEST-ORDER", name="Chi bộ Thử thứ tự", kind=OrgKind.CHI_BO)
    return Organization.objects.add_child(parent, instance=cell)


def _add(cell, names):
    for index, name in enumerate(names):
        Member.objects.create(
            full_name=name,
            date_of_birth=datetime.date(1980, 1, 1),
            gender=Gender.MALE,
            joined_on=datetime.date(2005, 1, 1),
            status=MemberStatus.PROBATIONARY,
            cell=cell,
            record_number=f"{900000 + index:06d}TT",
        )


def test_database_orders_by_the_stored_key(empty_cell):
    """On SQLite and PostgreSQL alike, ORDER BY name_key gives the CLDR order, given name first."""
    shuffled = PEOPLE[::3] + PEOPLE[1::3] + PEOPLE[2::3]
    _add(empty_cell, shuffled + [n for n in TONES + LETTERS if n not in PEOPLE])
    in_db = list(Member.objects.filter(cell=empty_cell).values_list("full_name", flat=True))
    assert [n for n in in_db if n in PEOPLE] == PEOPLE
    assert [n for n in in_db if n in TONES] == TONES
    assert [n for n in in_db if n in LETTERS] == LETTERS


def test_roster_page_and_export_in_vietnamese_order(client_as, empty_cell):
    _add(empty_cell, PEOPLE[::-1])
    client = client_as("tinh.tuyengiao")
    page = client.get(reverse("org:detail", args=[empty_cell.pk])).content.decode()
    assert sorted(PEOPLE, key=page.index) == PEOPLE
    export = client.get(reverse("org:export", args=[empty_cell.pk]))
    sheet = load_workbook(io.BytesIO(export.getvalue())).active
    names = [v for row in sheet.iter_rows(min_row=2, values_only=True) for v in row if v in PEOPLE]
    assert names == PEOPLE


def test_refresh_recomputes_stale_keys(empty_cell):
    _add(empty_cell, ["Đỗ Thị Ánh", "Lê Văn An"])
    Member.objects.filter(cell=empty_cell).update(name_key="")
    assert refresh_name_keys(Member.objects.filter(cell=empty_cell)) == 2
    stored = dict(Member.objects.filter(cell=empty_cell).values_list("full_name", "name_key"))
    assert stored == {n: name_key(n) for n in stored}


def test_demo_seeding_stores_the_key(db):
    """Demo members are written with bulk_create, which skips save(): the key must still be there."""
    sample = Member.objects.order_by("?")[:200]
    assert all(m.name_key == name_key(m.full_name) for m in sample)


def test_roster_import_stores_the_key_on_create_and_rename(db):
    """The importer writes with bulk_create and bulk_update, which skip save()."""
    paths = [Organization.objects.get(code=ROOT_CODE).path]
    import_roster(None, xlsx([person(full_name="Đặng Thị Ánh")]), "ds.xlsx", paths)
    member = Member.objects.get(card_number="90000001")
    assert member.name_key == name_key("Đặng Thị Ánh")
    import_roster(None, xlsx([person(full_name="Đặng Thị Ạnh")]), "ds.xlsx", paths)
    member.refresh_from_db()
    assert member.name_key == name_key("Đặng Thị Ạnh") != name_key("Đặng Thị Ánh")
