"""Grading with the plan's rubric: the default rubric, max validation, bands, regrading with audit, the page."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from quantriet.core.collation import name_parts
from quantriet.core.models import AuditEntry
from quantriet.essays import services
from quantriet.essays.models import CriterionScore, Grade, Rubric
from quantriet.org.models import Member

from .common import ESSAY, essay_plan


@pytest.fixture
def plan(users):
    return essay_plan(users["admin"])


@pytest.fixture
def essay(plan, users):
    return services.essay_submit(users["dangvien1"], plan, users["dangvien1"].member, ESSAY)


@pytest.fixture
def criteria(plan, users):
    return list(services.rubric_ensure(users["admin"], plan).criteria.all())


def points(criteria, *values):
    return {c.pk: v for c, v in zip(criteria, values, strict=True)}


def test_the_default_rubric_is_created_once_and_documented(plan, users):
    rubric = services.rubric_ensure(users["admin"], plan)
    assert services.rubric_ensure(users["xa1.bithu"], plan) == rubric
    assert [c.name for c in rubric.criteria.all()] == [c[0] for c in services.DEFAULT_CRITERIA]
    assert rubric.max_total == Decimal(10)
    assert [(b.label, b.min_percent) for b in rubric.bands.all()] == services.DEFAULT_BANDS
    assert Rubric.objects.filter(plan=plan).count() == 1
    assert AuditEntry.objects.filter(action="rubric.create_default", object_id=str(rubric.pk)).count() == 1


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        (("3", "3", "2", "2"), "10.0", "Tốt"),
        (("3", "3", "2", "0"), "8.0", "Tốt"),
        (("3", "2,5", "1,5", "0"), "7.0", "Khá"),
        (("2", "2", "1", "1.5"), "6.5", "Khá"),
        (("2", "1", "1", "1"), "5.0", "Đạt"),
        (("2", "1", "1", "0.9"), "4.9", "Chưa đạt"),
        (("0", "0", "0", "0"), "0.0", "Chưa đạt"),
    ],
)
def test_total_and_band_follow_the_points(essay, criteria, users, values, total, band):
    grade = services.essay_grade(users["xa1.bithu"], essay, points(criteria, *values), "Nhận xét.")
    assert (str(grade.total), grade.band) == (total, band)
    assert CriterionScore.objects.filter(grade=grade).count() == 4


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (("3,5", "3", "2", "2"), "Điểm phải từ 0 đến 3."),
        (("-1", "3", "2", "2"), "Điểm phải từ 0 đến 3."),
        (("abc", "3", "2", "2"), "Điểm phải là số"),
        (("1.25", "3", "2", "2"), "Điểm phải là số"),
        (("NaN", "3", "2", "2"), "Điểm phải là số"),
        (("", "3", "2", "2"), "Chưa cho điểm"),
    ],
)
def test_bad_points_are_refused_and_nothing_is_written(essay, criteria, users, values, message):
    with pytest.raises(ValidationError) as caught:
        services.essay_grade(users["xa1.bithu"], essay, points(criteria, *values))
    assert message in caught.value.message_dict[f"c{criteria[0].pk}"][0]
    assert not Grade.objects.filter(essay=essay).exists()
    assert not AuditEntry.objects.filter(action="essay.grade").exists()


def test_regrading_keeps_the_latest_and_audits_before_and_after(essay, criteria, users):
    services.essay_grade(users["xa1.bithu"], essay, points(criteria, 1, 1, 1, 1), "Còn chung chung.")
    services.essay_grade(users["tinh.tuyengiao"], essay, points(criteria, 3, 3, 2, 1), "Đã liên hệ cụ thể.")
    grade = Grade.objects.get(essay=essay)
    assert (grade.total, grade.band, grade.grader) == (Decimal(9), "Tốt", users["tinh.tuyengiao"])
    assert sorted(grade.scores.values_list("points", flat=True)) == [1, 2, 3, 3]
    first, second = AuditEntry.objects.filter(action="essay.grade", object_id=str(essay.pk)).order_by("id")
    assert first.before is None and first.after["band"] == "Chưa đạt"
    assert second.before["total"] == "4.0" and second.before["comment"] == "Còn chung chung."
    assert second.after["total"] == "9.0" and second.after["band"] == "Tốt"


def test_only_the_commune_and_upper_levels_grade(essay, criteria, users):
    for name in ["dangvien1", "xa2.bithu"]:
        with pytest.raises(PermissionDenied):
            services.essay_grade(users[name], essay, points(criteria, 1, 1, 1, 1))
    assert not Grade.objects.exists()


def test_the_grading_page_saves_and_shows_errors(essay, criteria, client_as):
    client = client_as("xa1.bithu")
    url = reverse("essays:grade", args=[essay.pk])
    data = {f"c{c.pk}": v for c, v in zip(criteria, ["3", "4", "2", "2"], strict=True)} | {"comment": "Khá"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Điểm phải từ 0 đến 3." in response.content.decode() and 'value="4"' in response.content.decode()
    data[f"c{criteria[1].pk}"] = "2,5"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Grade.objects.get(essay=essay).total == Decimal("9.5")
    page = client.get(reverse("essays:essay", args=[essay.pk])).content.decode()
    assert "Tốt" in page and "autofocus" in page and 'type="submit"' in page


def test_grading_runs_on_to_the_next_ungraded_essay_of_the_cell(plan, essay, criteria, users, client_as):
    me = essay.member
    # A cell mate with dangvien1's given and middle names and the family name "Ỹ", so the
    # Vietnamese order (given, middle, family name) puts them right after dangvien1.
    given, middle, _ = name_parts(me.full_name)
    other = Member.objects.create(
        full_name=f"Ỹ {middle} {given}",
        card_number="99999901",
        date_of_birth=me.date_of_birth,
        gender=me.gender,
        joined_on=me.joined_on,
        official_on=me.official_on,
        status=me.status,
        cell=essay.cell,
    )
    assert other.name_key > me.name_key
    following = services.essay_submit(users["admin"], plan, other, ESSAY)
    data = {f"c{c.pk}": "1" for c in criteria}
    response = client_as("xa1.bithu").post(reverse("essays:grade", args=[essay.pk]), data)
    assert response["Location"] == following.get_absolute_url()


def test_the_board_filters(plan, essay, criteria, users, client_as):
    client = client_as("xa1.bithu")
    url = reverse("essays:board", args=[plan.pk])
    name = essay.member.full_name
    assert name in client.get(url, {"loc": "chua_cham"}).content.decode()
    missing = client.get(url, {"loc": "chua_nop"}).content.decode()
    assert name not in missing
    assert services.essay_writers(plan).filter(cell=essay.cell).exclude(pk=essay.member_id).first().full_name in missing
    services.essay_grade(users["xa1.bithu"], essay, points(criteria, 1, 1, 1, 1))
    assert name not in client.get(url, {"loc": "chua_cham"}).content.decode()
    assert name in client.get(url, {"loc": "da_cham"}).content.decode()
    assert name not in client.get(url, {"loc": "nop_muon"}).content.decode()


@pytest.mark.parametrize(("typed", "stored"), [("0,2", "0.2"), ("0,5", "0.5"), (",5", "0.5"), ("2,0", "2.0")])
def test_a_decimal_comma_means_what_the_grader_means(essay, criteria, client_as, typed, stored):
    """The seen defect: "0,2" was stored as 2 points and "0,5" as 5 (then refused)."""
    data = {f"c{c.pk}": v for c, v in zip(criteria, [typed, "0", "0", "0"], strict=True)}
    response = client_as("xa1.bithu").post(reverse("essays:grade", args=[essay.pk]), data)
    assert response.status_code == 302
    assert str(Grade.objects.get(essay=essay).scores.get(criterion=criteria[0]).points) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("1.234,5", "vừa có dấu chấm vừa có dấu phẩy"),
        ("1,234.5", "vừa có dấu chấm vừa có dấu phẩy"),
        ("0,2,5", "nhiều hơn một dấu phẩy"),
        ("2.500", "có thể là 2 nghìn 500 hoặc 2 phẩy 500"),
    ],
)
def test_an_unclear_mark_is_refused_with_its_reason(essay, criteria, client_as, typed, says):
    data = {f"c{c.pk}": v for c, v in zip(criteria, [typed, "1", "1", "1"], strict=True)}
    response = client_as("xa1.bithu").post(reverse("essays:grade", args=[essay.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400 and says in html
    assert f'value="{typed}"' in html  # shown as typed, never changed
    assert not Grade.objects.filter(essay=essay).exists()


def test_the_grading_inputs_keep_the_comma(essay, criteria, users, client_as):
    services.essay_grade(users["xa1.bithu"], essay, points(criteria, "2,5", "0,5", "1", "0"))
    html = client_as("xa1.bithu").get(reverse("essays:essay", args=[essay.pk])).content.decode()
    first = html[html.index(f'id="c{criteria[0].pk}"') - 300 :]
    assert 'type="number"' not in html[html.index('id="grading"') :]
    assert 'inputmode="decimal"' in first and 'value="2,5"' in html and 'value="0,5"' in html
