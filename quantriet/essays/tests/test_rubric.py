"""The rubric page of a plan: criteria and grade bands as formsets, frozen criteria once graded."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from quantriet.core.models import AuditEntry
from quantriet.essays import services
from quantriet.essays.models import Criterion, Grade, GradeBand

from .common import ESSAY, essay_plan, member_in


@pytest.fixture
def plan(users):
    return essay_plan(users["admin"])


@pytest.fixture
def rubric(plan, users):
    return services.rubric_ensure(users["admin"], plan)


def url(plan):
    return reverse("essays:rubric", args=[plan.pk])


def criteria_rows(rubric):
    return [
        {"id": c.pk, "name": c.name, "description": c.description, "max_points": str(c.max_points), "order": c.order}
        for c in rubric.criteria.all()
    ]


def band_rows(rubric):
    return [{"label": b.label, "min_percent": str(b.min_percent)} for b in rubric.bands.all()]


def form_data(criteria=None, bands=(), initial_criteria=0, initial_bands=0):
    """The POST of the page: two formsets (criteria left out when None, as when they are frozen)."""
    data = {}
    for prefix, rows, initial in (("criteria", criteria, initial_criteria), ("bands", bands, initial_bands)):
        if rows is None:
            continue
        data |= {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": initial}
        data |= {f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}
        for i, row in enumerate(rows):
            data |= {f"{prefix}-{i}-{key}": value for key, value in row.items() if value is not None}
    return data


def post(client, plan, rubric, criteria=None, bands=None, keep_criteria=True):
    """Post the current rubric with CRITERIA / BANDS changed (None keeps them; keep_criteria=False omits them)."""
    current_c, current_b = criteria_rows(rubric), band_rows(rubric)
    return client.post(
        url(plan),
        form_data(
            (criteria if criteria is not None else current_c) if keep_criteria else None,
            bands if bands is not None else current_b,
            len(current_c),
            len(current_b),
        ),
    )


def graded_essay(plan, users, points):
    essay = services.essay_submit(users["admin"], plan, member_in("X001"), ESSAY)
    criteria = list(services.rubric_ensure(users["admin"], plan).criteria.all())
    return services.essay_grade(users["admin"], essay, dict(zip([c.pk for c in criteria], points, strict=True)))


def test_the_board_links_to_the_rubric_for_propaganda_staff_only(plan, rubric, client_as):
    board = reverse("essays:board", args=[plan.pk])
    assert url(plan) in client_as("tinh.tuyengiao").get(board).content.decode()
    assert url(plan) not in client_as("xa1.bithu").get(board).content.decode()
    page = client_as("tinh.tuyengiao").get(url(plan)).content.decode()
    assert "Nhận thức nội dung văn bản" in page and 'value="3"' in page and "Chưa đạt" in page


def test_criteria_and_bands_are_saved_and_audited(plan, rubric, users, client_as):
    rows = criteria_rows(rubric)
    rows[0] |= {"name": "Nắm vững nội dung Chỉ thị", "max_points": "2,5"}
    rows[1] |= {"DELETE": "on"}
    rows.append({"name": "Gương mẫu thực hiện", "description": "Việc đã làm sau học tập.", "max_points": "1.5"})
    bands = [
        {"label": "Xuất sắc", "min_percent": "90"},
        {"label": "Tốt", "min_percent": "75,5"},
        {"label": "Đạt", "min_percent": "50"},
        {"label": "Không đạt", "min_percent": "0"},
    ]
    client = client_as("tinh.tuyengiao")
    response = post(client, plan, rubric, rows, bands)
    assert response.status_code == 302 and response["Location"] == url(plan)
    names = list(rubric.criteria.values_list("name", "max_points", "order"))
    assert names == [
        ("Nắm vững nội dung Chỉ thị", Decimal("2.5"), 1),
        ("Liên hệ bản thân", Decimal("2"), 3),
        ("Kế hoạch hành động, cam kết", Decimal("2"), 4),
        ("Gương mẫu thực hiện", Decimal("1.5"), 5),
    ]
    assert rubric.max_total == Decimal("8")
    assert list(rubric.bands.values_list("label", "min_percent")) == [
        ("Xuất sắc", Decimal(90)),
        ("Tốt", Decimal("75.5")),
        ("Đạt", Decimal(50)),
        ("Không đạt", Decimal(0)),
    ]
    entry = AuditEntry.objects.get(action="rubric.update")
    assert entry.actor == users["tinh.tuyengiao"]
    assert (
        len(entry.before["criteria"]) == 4 and [c["name"] for c in entry.after["criteria"]][-1] == "Gương mẫu thực hiện"
    )
    page = client.get(url(plan)).content.decode()
    assert "Đã lưu tiêu chí chấm." in page and 'value="75,5"' in page and 'value="2,5"' in page


@pytest.mark.parametrize(
    "change, message",
    [
        ("no_criteria", "Cần ít nhất một tiêu chí chấm."),
        ("zero_points", "Điểm tối đa phải lớn hơn 0."),
        ("negative_points", "Điểm tối đa phải lớn hơn 0."),
        ("not_a_number", "Hãy nhập một số (ví dụ 2,5)."),
        ("two_decimals", "Điểm tối đa có nhiều nhất một chữ số thập phân."),
        ("band_over_100", "Ngưỡng phải từ 0 đến 100 (%)."),
        ("band_negative", "Ngưỡng phải từ 0 đến 100 (%)."),
        ("same_threshold", "Có hai mức xếp loại cùng ngưỡng 50%"),
        ("same_label", "Có hai mức xếp loại cùng tên “Khá”."),
        ("no_zero_band", "Cần một mức xếp loại từ 0% (ví dụ “Chưa đạt”)"),
        ("no_band", "Cần ít nhất một mức xếp loại."),
        ("same_criterion", "Có hai tiêu chí cùng tên “Liên hệ bản thân”."),
    ],
)
def test_invalid_rubrics_are_refused_in_vietnamese_and_nothing_changes(plan, rubric, client_as, change, message):
    rows, bands = criteria_rows(rubric), band_rows(rubric)
    if change == "no_criteria":
        rows = [row | {"DELETE": "on"} for row in rows]
    elif change == "zero_points":
        rows[0]["max_points"] = "0"
    elif change == "negative_points":
        rows[0]["max_points"] = "-1"
    elif change == "not_a_number":
        rows[0]["max_points"] = "ba"
    elif change == "two_decimals":
        rows[0]["max_points"] = "2,25"
    elif change == "band_over_100":
        bands[0]["min_percent"] = "120"
    elif change == "band_negative":
        bands[-1]["min_percent"] = "-5"
    elif change == "same_threshold":
        bands[1]["min_percent"] = "50"
    elif change == "same_label":
        bands[0]["label"] = "khá"
    elif change == "no_zero_band":
        bands[-1] |= {"DELETE": "on"}
    elif change == "no_band":
        bands = [band | {"DELETE": "on"} for band in bands]
    elif change == "same_criterion":
        rows[0]["name"] = "Liên hệ  bản thân"
    before = (criteria_rows(rubric), band_rows(rubric))
    response = post(client_as("tinh.tuyengiao"), plan, rubric, rows, bands)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (criteria_rows(rubric), band_rows(rubric)) == before
    assert not AuditEntry.objects.filter(action="rubric.update").exists()


def test_once_graded_the_criteria_are_frozen_but_the_bands_change_and_relabel_grades(plan, rubric, users, client_as):
    grade = graded_essay(plan, users, ["2", "2", "2", "1"])  # 7 of 10: 70 %
    assert grade.band == "Khá"
    client = client_as("tinh.tuyengiao")
    page = client.get(url(plan)).content.decode()
    assert 'id="criteria-frozen"' in page and "criteria-TOTAL_FORMS" not in page

    # a page loaded before the first grade still posts the criteria: a change is refused
    rows = criteria_rows(rubric)
    rows[0]["max_points"] = "4"
    response = post(client, plan, rubric, rows)
    assert response.status_code == 400
    assert (
        "Đã có bài thu hoạch được chấm theo các tiêu chí này nên không sửa được tiêu chí nữa"
        in response.content.decode()
    )
    assert rubric.criteria.get(pk=rows[0]["id"]).max_points == Decimal(3)

    # the bands still change (criteria posted unchanged, or not posted at all); stored labels follow
    bands = band_rows(rubric)
    bands[1]["min_percent"] = "75"  # Khá from 75 %: 70 % is now Đạt
    assert post(client, plan, rubric, bands=bands).status_code == 302
    grade.refresh_from_db()
    assert grade.band == "Đạt"
    entry = AuditEntry.objects.filter(action="rubric.update").latest("at")
    assert entry.after["rebanded"] == 1 and entry.after["grades"] == [[grade.essay_id, "Khá", "Đạt"]]
    assert "Đã tính lại xếp loại của 1 bài đã chấm." in client.get(url(plan)).content.decode()

    bands = band_rows(rubric)
    bands[-1]["label"] = "Chưa đạt yêu cầu"
    bands[-2]["min_percent"] = "71"  # Đạt from 71 %: 70 % falls to the bottom band
    assert post(client, plan, rubric, bands=bands, keep_criteria=False).status_code == 302
    grade.refresh_from_db()
    assert grade.band == "Chưa đạt yêu cầu"
    board = client.get(reverse("essays:board", args=[plan.pk])).content.decode()
    assert "Chưa đạt yêu cầu" in board
    assert rubric.criteria.count() == 4 and rubric.max_total == Decimal(10)


def test_saving_without_a_change_writes_nothing(plan, rubric, client_as):
    response = post(client_as("tinh.tuyengiao"), plan, rubric)
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="rubric.update").exists()


def test_a_criterion_of_another_rubric_cannot_be_edited(plan, rubric, users):
    other = services.rubric_ensure(users["admin"], essay_plan(users["admin"], number="832"))
    rows = [
        {"id": c.pk, "name": "Lấy trộm", "description": "", "max_points": Decimal(1), "order": 1}
        for c in other.criteria.all()
    ]
    with pytest.raises(ValidationError, match="tải lại trang"):
        services.rubric_update(users["admin"], plan, rows, [{"label": "Đạt", "min_percent": Decimal(0)}])
    assert Criterion.objects.filter(name="Lấy trộm").count() == 0


def test_grading_uses_the_new_criteria_and_bands(plan, rubric, users):
    services.rubric_update(
        users["admin"],
        plan,
        [{"id": None, "name": "Toàn bài", "description": "", "max_points": Decimal(5), "order": 1}],
        [{"label": "Đạt", "min_percent": Decimal(60)}, {"label": "Chưa đạt", "min_percent": Decimal(0)}],
    )
    assert list(rubric.criteria.values_list("name", flat=True)) == ["Toàn bài"]
    grade = graded_essay(plan, users, ["3"])
    assert grade.total == Decimal(3) and grade.band == "Đạt"
    assert GradeBand.objects.filter(rubric=rubric).count() == 2
    assert Grade.objects.get(pk=grade.pk).scores.count() == 1
