"""What the org and member pages show."""

from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Member, Organization, Title


def test_org_page_shows_leaders_subunits_and_members(client_as):
    c1 = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    response = client_as("xa1.bithu").get(f"/to-chuc/{c1.pk}/")
    html = response.content.decode()
    assert c1.name in html
    assert c1.holder(Title.SECRETARY).full_name in html and "Bí thư" in html
    assert [c.pk for c in response.context["children"]] == list(
        Organization.objects.get_children(c1).order_by("path").values_list("pk", flat=True)
    )
    assert response.context["total"] == Member.objects.in_subtree(c1).count()
    # The province is outside xa1's scope, so it is not in the breadcrumb.
    assert list(response.context["ancestors"]) == []
    assert Organization.objects.get(code=ROOT_CODE).name not in html


def test_org_page_member_search(client_as, users):
    member = users["dangvien1"].member
    c1 = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    response = client_as("xa1.bithu").get(f"/to-chuc/{c1.pk}/", {"q": member.card_number})
    assert [m.pk for m in response.context["page"]] == [member.pk]


def test_breadcrumb_for_provincial_staff(client_as, users):
    cell = users["dangvien1"].member.cell
    response = client_as("tinh.tuyengiao").get(f"/to-chuc/{cell.pk}/")
    assert [a.code for a in response.context["ancestors"]] == [ROOT_CODE, f"{ROOT_CODE}-X001"]


def test_plain_member_sees_cell_page_without_others_records(client_as, users):
    me = users["dangvien1"].member
    response = client_as("dangvien1").get(f"/to-chuc/{me.cell.pk}/")
    assert response.status_code == 200
    assert [m.pk for m in response.context["page"]] == [me.pk]
    secretary = me.cell.holder(Title.SECRETARY)
    assert secretary.full_name in response.content.decode()  # leaders are shown by name


def test_member_page(client_as, users):
    me = users["dangvien1"].member
    html = client_as("dangvien1").get(f"/dang-vien/{me.pk}/").content.decode()
    assert me.full_name in html and me.card_number in html
    assert me.date_of_birth.strftime("%d/%m/%Y") in html
