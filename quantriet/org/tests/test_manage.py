"""The management pages: add/edit/move/merge organisations, members and positions."""

import datetime

import pytest
from django.urls import reverse

from quantriet.core.models import AuditEntry
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Member, Organization, Position, Title


def org(code):
    return Organization.objects.get(code=code)


def test_admin_adds_edits_and_moves_a_unit(client_as):
    client = client_as("admin")
    c1, c2 = org(f"{ROOT_CODE}-X001"), org(f"{ROOT_CODE}-X002")
    response = client.post(
        reverse("org:org_create", args=[c1.pk]),
        {"code": "TVL-X001-C99", "name": "Chi bộ ấp Mới", "kind": "chi_bo", "valid_from": "01/12/2026"},
    )
    cell = org("TVL-X001-C99")
    assert response["Location"] == f"/to-chuc/{cell.pk}/"
    assert Organization.objects.get_parent(cell) == c1 and cell.valid_from == datetime.date(2026, 12, 1)
    client.post(reverse("org:org_edit", args=[cell.pk]), {"code": cell.code, "name": "Chi bộ ấp Mới Lập"})
    assert org(cell.code).name == "Chi bộ ấp Mới Lập" and org(cell.code).name_folded == "chi bo ap moi lap"
    client.post(reverse("org:org_move", args=[cell.pk]), {"new_parent": c2.pk})
    assert Organization.objects.get_parent(org(cell.code)) == org(c2.code)
    actions = set(AuditEntry.objects.filter(object_id=str(cell.pk)).values_list("action", flat=True))
    assert {"org.create", "org.update", "org.move"} <= actions


def test_duplicate_code_is_refused_with_a_message(client_as):
    c1 = org(f"{ROOT_CODE}-X001")
    response = client_as("admin").post(
        reverse("org:org_create", args=[c1.pk]), {"code": f"{ROOT_CODE}-X002", "name": "Trùng", "kind": "chi_bo"}
    )
    assert response.status_code == 200
    assert "Mã" in response.content.decode() and "đã tồn tại" in response.content.decode()


def test_move_form_offers_no_target_inside_the_unit(client_as):
    c1 = org(f"{ROOT_CODE}-X001")
    form = client_as("admin").get(reverse("org:org_move", args=[c1.pk])).context["form"]
    targets = form.fields["new_parent"].queryset
    assert not targets.filter(path__startswith=c1.path).exists() and targets.exists()


def test_merge_through_the_page(client_as):
    c1, c2 = org(f"{ROOT_CODE}-X001"), org(f"{ROOT_CODE}-X002")
    response = client_as("admin").post(reverse("org:org_merge", args=[c2.pk]), {"successor": c1.pk, "on": "01/01/2027"})
    assert response["Location"] == f"/to-chuc/{c1.pk}/"
    assert org(c2.code).successor == c1 and org(c2.code).valid_to == datetime.date(2026, 12, 31)


def test_secretary_adds_and_edits_a_member(client_as, users):
    cell = users["dangvien1"].member.cell
    data = {
        "full_name": "Thạch Thị Sa Rươne",
        "card_number": "87654321",
        "record_number": "",
        "date_of_birth": "05/06/1990",
        "gender": "nu",
        "ethnicity": "Khmer",
        "phone": "0912345678",
        "email": "",
        "joined_on": "19/05/2015",
        "official_on": "19/05/2016",
        "status": "chinh_thuc",
    }
    client = client_as("xa1.bithu")
    response = client.post(reverse("org:member_create", args=[cell.pk]), data)
    member = Member.objects.get(card_number="87654321")
    assert response["Location"] == f"/dang-vien/{member.pk}/" and member.cell == cell
    bad = dict(data, joined_on="01/01/2000", official_on="01/01/1999")
    response = client.post(reverse("org:member_edit", args=[member.pk]), bad)
    html = response.content.decode()
    assert response.status_code == 200 and "trước khi đủ 18 tuổi" in html and "phải sau ngày vào Đảng" in html
    assert Member.objects.get(pk=member.pk).joined_on == datetime.date(2015, 5, 19)
    bad_card = dict(data, card_number="1234")
    assert "8 chữ số" in client.post(reverse("org:member_edit", args=[member.pk]), bad_card).content.decode()


def test_transfer_to_a_cell_outside_scope_is_not_offered(client_as, users):
    member = users["dangvien1"].member
    c2_cell = org(f"{ROOT_CODE}-X002").subtree().cells().first()
    client = client_as("xa1.bithu")
    response = client.post(
        reverse("org:member_transfer", args=[member.pk]),
        {"to_cell": c2_cell.pk, "on": "01/12/2026", "kind": "chinh_thuc"},
    )
    assert response.status_code == 200 and "to_cell" in response.context["form"].errors
    target = org(f"{ROOT_CODE}-X001").subtree().cells().exclude(pk=member.cell_id).first()
    client.post(
        reverse("org:member_transfer", args=[member.pk]),
        {"to_cell": target.pk, "on": "01/12/2026", "kind": "chinh_thuc", "note": "Chuyển nơi cư trú"},
    )
    member.refresh_from_db()
    assert member.cell == target and member.transfers.get().note == "Chuyển nơi cư trú"


def test_appointing_a_new_secretary_ends_the_old_term(client_as, users):
    cell = users["dangvien1"].member.cell
    old = cell.holder(Title.SECRETARY)
    newcomer = users["dangvien1"].member
    client = client_as("xa1.bithu")
    response = client.post(
        reverse("org:position_assign", args=[cell.pk]),
        {"member_number": newcomer.card_number, "title": Title.SECRETARY, "start": "01/12/2026"},
    )
    assert response.status_code == 302
    assert cell.holder(Title.SECRETARY, datetime.date(2026, 12, 1)) == newcomer
    assert cell.holder(Title.SECRETARY, datetime.date(2026, 11, 30)) == old
    outsider_member = Member.objects.in_subtree(org(f"{ROOT_CODE}-X002")).exclude(card_number=None).first()
    response = client.post(
        reverse("org:position_assign", args=[cell.pk]),
        {"member_number": outsider_member.card_number, "title": Title.DEPUTY, "start": "01/12/2026"},
    )
    assert "Không có đảng viên mang số này" in response.content.decode()


def test_ending_a_position(client_as, users):
    cell = users["dangvien1"].member.cell
    position = Position.objects.holding(cell, Title.DEPUTY).first()
    client = client_as("xa1.bithu")
    client.post(reverse("org:position_end", args=[position.pk]), {"end": "01/01/1999"})
    position.refresh_from_db()
    assert position.end is None  # before the start: refused
    client.post(reverse("org:position_end", args=[position.pk]), {"end": "30/11/2026"})
    position.refresh_from_db()
    assert position.end == datetime.date(2026, 11, 30)


def test_add_org_command_creates_a_root_and_refuses_duplicates(db):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("add_org", "TBT", "Đảng bộ tỉnh Bến Tre", stdout=open("/dev/null", "w"))
    root = org("TBT")
    assert root.depth == 1 and root.kind == "tinh_uy"
    call_command(
        "add_org", "TBT-X001", "Đảng bộ xã An Hiệp", kind="dang_uy_xa", parent="TBT", stdout=open("/dev/null", "w")
    )
    assert Organization.objects.get_parent(org("TBT-X001")) == root
    with pytest.raises(CommandError, match="đã tồn tại"):
        call_command("add_org", "TBT", "Trùng mã")
    with pytest.raises(CommandError, match="Không có tổ chức"):
        call_command("add_org", "TBT-X002", "Xã", parent="KHONG-CO")


def test_closed_units_are_not_move_or_merge_targets(users):
    from django.core.exceptions import ValidationError

    from quantriet.org.services import org_merge, org_move

    c1, c2, c3 = org(f"{ROOT_CODE}-X001"), org(f"{ROOT_CODE}-X002"), org(f"{ROOT_CODE}-X003")
    org_merge(users["admin"], [c2], c1, datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="hết hiệu lực"):
        org_move(users["admin"], c3.subtree().cells().first(), org(c2.code))
    with pytest.raises(ValidationError, match="hết hiệu lực"):
        org_merge(users["admin"], [c3], org(c2.code))


def test_children_list_active_units_first(client_as, users):
    c1, c2 = org(f"{ROOT_CODE}-X001"), org(f"{ROOT_CODE}-X002")
    from quantriet.org.services import org_merge

    org_merge(users["admin"], [c2], c1, datetime.date(2026, 1, 1))
    children = client_as("tinh.tuyengiao").get(f"/to-chuc/{c1.pk}/").context["children"]
    assert children[-1].code == c2.code and all(c.is_active for c in children[:-1])


def test_member_form_applies_the_import_rules(client_as, users):
    member = users["dangvien1"].member
    client = client_as("xa1.bithu")
    data = {
        "full_name": member.full_name,
        "card_number": "",
        "record_number": " 123456vl ",
        "date_of_birth": member.date_of_birth.strftime("%d/%m/%Y"),
        "gender": member.gender,
        "ethnicity": member.ethnicity,
        "phone": "+84 912 345 678",
        "email": "",
        "joined_on": member.joined_on.strftime("%d/%m/%Y"),
        "official_on": member.official_on.strftime("%d/%m/%Y"),
        "status": "chinh_thuc",
    }
    response = client.post(reverse("org:member_edit", args=[member.pk]), data)
    assert "phải có số thẻ đảng viên" in response.content.decode()
    data["card_number"] = member.card_number
    response = client.post(reverse("org:member_edit", args=[member.pk]), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.record_number == "123456VL" and member.phone == "0912345678"
