"""Criteria sets in the admin: the office changes a set not yet used, copies one in use to start a new
period; the bands must be whole and ordered; every change is audited; only administrators get in."""

import pytest
from django.contrib import admin as django_admin
from django.forms import inlineformset_factory
from django.urls import reverse
from django.utils import timezone

from quantriet.core.models import AuditEntry
from quantriet.evaluation import services
from quantriet.evaluation.admin import BandFormSet
from quantriet.evaluation.models import Band, CriteriaSet, Subject

pytestmark = pytest.mark.django_db


def _member_set():
    return CriteriaSet.objects.get(subject=Subject.MEMBER)


def _used(users):
    me = users["dangvien1"]
    services.evaluation_start(me, 2026, member=me.member)
    return _member_set()


def test_a_set_not_yet_used_can_be_changed_and_the_change_is_audited(users, client_as, rf):
    criteria_set = _member_set()
    page = client_as("admin").get(reverse("admin:evaluation_criteriaset_change", args=[criteria_set.pk]))
    assert 'name="name"' in page.content.decode() and 'name="bands-0-min_points"' in page.content.decode()
    # An inline row changed through the admin is audited like the set itself.
    band = criteria_set.bands.get(code="xuat_sac")
    fields = ["order", "code", "label", "min_points", "needs_no_discipline", "needs_floors"]
    formset_class = inlineformset_factory(CriteriaSet, Band, formset=BandFormSet, fields=fields, extra=0)
    data = {"bands-TOTAL_FORMS": "4", "bands-INITIAL_FORMS": "4"}
    for i, row in enumerate(criteria_set.bands.order_by("order")):
        data.update({f"bands-{i}-id": row.pk, f"bands-{i}-order": row.order, f"bands-{i}-code": row.code,
                     f"bands-{i}-label": row.label, f"bands-{i}-min_points": row.min_points,
                     f"bands-{i}-needs_no_discipline": "on" if row.needs_no_discipline else "",
                     f"bands-{i}-needs_floors": "on" if row.needs_floors else ""})  # fmt: skip
    data["bands-0-min_points"] = "92"
    formset = formset_class(data, instance=criteria_set, prefix="bands")
    assert formset.is_valid(), formset.errors
    request = rf.post("/")
    request.user = users["admin"]
    django_admin.site._registry[CriteriaSet].save_formset(request, None, formset, change=True)
    band.refresh_from_db()
    assert band.min_points == 92
    entry = AuditEntry.objects.get(action="admin.change", object_id=str(band.pk))
    assert str(entry.before["min_points"]) in ("90", "90.00") and str(entry.after["min_points"]) in ("92", "92.00")


def test_a_set_in_use_is_read_only_and_cannot_be_deleted(users, client_as):
    criteria_set = _used(users)
    client = client_as("admin")
    url = reverse("admin:evaluation_criteriaset_change", args=[criteria_set.pk])
    page = client.get(url).content.decode()
    assert 'name="name"' not in page, "a set some evaluation was made with is shown, not editable"
    assert client.post(url, {"name": "Đổi tên"}).status_code == 403
    assert client.post(reverse("admin:evaluation_criteriaset_delete", args=[criteria_set.pk]),
                       {"post": "yes"}).status_code == 403  # fmt: skip
    group = criteria_set.groups.first()
    assert client.post(reverse("admin:evaluation_criteriongroup_change", args=[group.pk]), {}).status_code == 403
    criteria_set.refresh_from_db()
    assert criteria_set.name != "Đổi tên"


def test_copying_a_set_in_use_starts_a_new_period_from_today(users, client_as):
    original = _used(users)
    client = client_as("admin")
    response = client.post(reverse("admin:evaluation_criteriaset_changelist"),
                           {"action": "copy_as_new", "_selected_action": [original.pk]}, follow=True)  # fmt: skip
    assert "Đã sao chép 1 bộ tiêu chí" in response.content.decode()
    copy = CriteriaSet.objects.exclude(pk=original.pk).get(subject=Subject.MEMBER)
    assert copy.valid_from == timezone.localdate() and copy.to_confirm and copy.name.endswith("(bản sao)")
    assert copy.rules() == original.rules()
    assert AuditEntry.objects.filter(action="admin.add", object_id=str(copy.pk)).exists()
    # The copy is in force from today; the year already evaluated keeps the original.
    assert CriteriaSet.objects.in_force(Subject.MEMBER, timezone.localdate()) == copy


def _bands(rows):
    fields = ["order", "code", "label", "min_points"]
    formset = inlineformset_factory(CriteriaSet, Band, formset=BandFormSet, fields=fields, extra=len(rows),
                                    can_delete=True)  # fmt: skip
    data = {"bands-TOTAL_FORMS": str(len(rows)), "bands-INITIAL_FORMS": "0"}
    for i, (order, code, points) in enumerate(rows):
        data.update({f"bands-{i}-order": order, f"bands-{i}-code": code, f"bands-{i}-label": code,
                     f"bands-{i}-min_points": points})  # fmt: skip
    return formset(data, instance=CriteriaSet(subject=Subject.MEMBER, name="x", basis="x", valid_from="2030-01-01"),
                   prefix="bands")  # fmt: skip


WHOLE = [(1, "xuat_sac", 90), (2, "tot", 70), (3, "hoan_thanh", 50), (4, "khong_hoan_thanh", 0)]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (WHOLE, None),
        (WHOLE[:3], "cần đủ bốn mức"),
        ([*WHOLE[:3], (4, "tot", 0)], "trùng lặp"),  # the unique constraint speaks first
        ([(1, "xuat_sac", 70), (2, "tot", 90), *WHOLE[2:]], "giảm dần"),
        ([*WHOLE[:3], (4, "khong_hoan_thanh", 10)], "bắt đầu từ 0 điểm"),
    ],
)
def test_the_bands_must_be_whole_ordered_and_start_from_zero(rows, message):
    formset = _bands(rows)
    if message is None:
        assert formset.is_valid(), formset.non_form_errors()
    else:
        assert not formset.is_valid() and message in " ".join(formset.non_form_errors())


@pytest.mark.parametrize("persona", ["tinh.tuyengiao", "xa1.bithu", "dangvien1"])
def test_only_administrators_reach_the_criteria_sets(client_as, persona):
    response = client_as(persona).get(reverse("admin:evaluation_criteriaset_changelist"))
    assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]
