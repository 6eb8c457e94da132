"""A roster row naming a member of another unit is a transfer request to the level above.

Probing confirmed 13 out-of-scope card numbers from a 100,000-row file in 11 s: the import
answered "đã được dùng cho một đảng viên ngoài phạm vi quản lý của bạn" for each, at will. Now
each such row opens a request (audited, seen by the staff above both units, who approve or
reject it), the message names no member, and past TRANSFER_REQUESTS_PER_DAY the file is
refused without saying which rows.
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from quantriet.core.models import AuditEntry
from quantriet.core.sheets import SheetError
from quantriet.org.models import Member, MemberTransfer, Organization, TransferRequest, TransferRequestStatus
from quantriet.org.policy import paths_where
from quantriet.org.roster import import_roster

from . import test_roster
from .test_roster import C1_CELL1, C2, H, person, row_of, xlsx

tree = test_roster.tree  # the fixture


@pytest.fixture
def outsiders(tree):
    """Three members of commune 2 with card numbers (outside xa1.bithu's scope)."""
    return list(Member.objects.in_subtree(tree[C2]).exclude(card_number=None).select_related("cell")[:3])


def import_as(user, rows):
    with pytest.raises(SheetError) as caught:
        import_roster(user, xlsx(rows), "ds.xlsx", paths_where(user, "roster.import"))
    return caught.value


def test_an_outside_card_opens_a_request_and_names_no_member(tree, users, outsiders):
    secretary, outside = users["xa1.bithu"], outsiders[0]
    before = Member.objects.filter(pk=outside.pk).values().get()
    error = import_as(secretary, [person(), row_of(outside, cell_code=C1_CELL1)])

    request = TransferRequest.objects.get()
    assert (request.member, request.to_cell, request.requested_by) == (outside, tree[C1_CELL1], secretary)
    assert request.number == outside.card_number and request.status == TransferRequestStatus.PENDING
    assert [(p.row, p.column) for p in error.problems] == [(3, H["card_number"])]
    message = error.problems[0].message
    assert f"đề nghị số {request.pk}" in message and tree[C1_CELL1].name in message
    assert outside.full_name not in str(error) and outside.cell.name not in str(error)
    assert AuditEntry.objects.filter(action="transfer_request.open", object_id=str(request.pk)).exists()
    # Nothing of the file was written, the member did not move.
    assert not Member.objects.filter(card_number="90000001").exists()
    assert Member.objects.filter(pk=outside.pk).values().get() == before

    # The same file again asks nothing new.
    import_as(secretary, [person(), row_of(outside, cell_code=C1_CELL1)])
    assert TransferRequest.objects.count() == 1


@override_settings(TRANSFER_REQUESTS_PER_DAY=2)
def test_past_the_daily_limit_the_file_is_refused_without_naming_rows(tree, users, outsiders):
    secretary = users["xa1.bithu"]
    rows = [row_of(m, cell_code=C1_CELL1) for m in outsiders]
    error = import_as(secretary, rows)
    assert [p.row for p in error.problems] == [0] and "giới hạn 2 đề nghị" in error.problems[0].message
    assert not any(m.card_number in str(error) for m in outsiders)
    assert not TransferRequest.objects.exists()
    assert AuditEntry.objects.filter(action="member.import_transfer_limit", actor=secretary).exists()

    import_as(secretary, rows[:2])  # within the limit: two requests
    assert TransferRequest.objects.count() == 2
    error = import_as(secretary, rows[2:])  # the day's limit is used up
    assert [p.row for p in error.problems] == [0] and TransferRequest.objects.count() == 2


# ---------------------------------------------------------------- the page of the level above


@pytest.fixture
def request_(tree, users, outsiders):
    import_as(users["xa1.bithu"], [row_of(outsiders[0], cell_code=C1_CELL1)])
    return TransferRequest.objects.select_related("member").get()


@pytest.mark.parametrize(
    "persona, status, sees",
    [
        ("admin", 200, True),  # the province: above both communes
        ("xa1.bithu", 200, False),  # the requester: the member's unit is not theirs to see
        ("xa2.bithu", 200, False),  # the member's commune: the target cell is not theirs
        ("tinh.tuyengiao", 403, False),  # no roster right
        ("dangvien1", 403, False),
        ("outsider", 403, False),
    ],
)
def test_the_list_shows_a_request_to_the_staff_above_both_units(client_as, request_, persona, status, sees):
    response = client_as(persona).get(reverse("org:transfer_requests"))
    assert response.status_code == status
    assert (request_.member.full_name in response.content.decode()) is sees


@pytest.mark.parametrize(
    "persona, status", [("xa1.bithu", 404), ("xa2.bithu", 404), ("dangvien1", 404), ("outsider", 404)]
)
def test_deciding_out_of_scope_is_404_and_changes_nothing(client_as, request_, persona, status):
    url = reverse("org:transfer_request_decide", args=[request_.pk])
    assert client_as(persona).post(url, {"action": "approve"}).status_code == status
    assert TransferRequest.objects.get().status == TransferRequestStatus.PENDING


def test_deciding_without_the_roster_right_is_403(client_as, request_):
    url = reverse("org:transfer_request_decide", args=[request_.pk])
    assert client_as("tinh.tuyengiao").post(url, {"action": "approve"}).status_code == 403
    assert TransferRequest.objects.get().status == TransferRequestStatus.PENDING


def test_approving_transfers_the_member_through_the_transfer_service(client_as, request_, users, tree):
    member, origin = request_.member, request_.member.cell_id
    url = reverse("org:transfer_request_decide", args=[request_.pk])
    response = client_as("admin").post(url, {"action": "approve", "note": "Đã xác minh"})
    assert response.status_code == 302 and response["Location"] == reverse("org:transfer_requests")
    member.refresh_from_db()
    assert member.cell == tree[C1_CELL1]
    transfer = MemberTransfer.objects.get(member=member)
    assert (transfer.from_cell_id, transfer.to_cell_id) == (origin, tree[C1_CELL1].pk)
    decided = TransferRequest.objects.get()
    assert decided.status == TransferRequestStatus.APPROVED and decided.decided_by == users["admin"]
    assert AuditEntry.objects.filter(action="transfer_request.decide", object_id=str(decided.pk)).exists()
    assert AuditEntry.objects.filter(action="member.transfer", object_id=str(member.pk)).exists()
    # Decided once: a second decision is refused with a message, nothing changes.
    client_as("admin").post(url, {"action": "reject"})
    assert TransferRequest.objects.get().status == TransferRequestStatus.APPROVED


def test_rejecting_keeps_the_member_where_they_are(client_as, request_):
    member, origin = request_.member, request_.member.cell_id
    url = reverse("org:transfer_request_decide", args=[request_.pk])
    assert client_as("admin").post(url, {"action": "reject", "note": "Không đúng người"}).status_code == 302
    member.refresh_from_db()
    assert member.cell_id == origin and not MemberTransfer.objects.filter(member=member).exists()
    decided = TransferRequest.objects.get()
    assert decided.status == TransferRequestStatus.REJECTED and decided.note == "Không đúng người"


def test_the_web_import_routes_the_request_as_its_uploader(client_as, users, outsiders, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("ds.xlsx", xlsx([row_of(outsiders[0], cell_code=C1_CELL1)]))
    client_as("xa1.bithu").post(reverse("org:roster_import"), {"file": upload})
    assert TransferRequest.objects.get().requested_by == users["xa1.bithu"]
    assert Organization.objects.get(pk=tree[C1_CELL1].pk).is_cell
