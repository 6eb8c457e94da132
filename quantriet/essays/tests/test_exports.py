"""Exports: grades to .xlsx and one merged .docx per organisation; both re-open and hold the right rows."""

import io

import docx
import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from quantriet.essays import services
from quantriet.essays.models import Essay, Grade
from quantriet.org.models import Member

from .common import ESSAY, essay_plan, member_in, set_deadline


@pytest.fixture
def world(users):
    plan = essay_plan(users["admin"])
    me = users["dangvien1"].member
    mine = services.essay_submit(users["dangvien1"], plan, me, '=HYPERLINK("http://x") ' + ESSAY)
    criteria = list(services.rubric_ensure(users["admin"], plan).criteria.all())
    services.essay_grade(
        users["xa1.bithu"],
        mine,
        {c.pk: v for c, v in zip(criteria, ["3", "2,5", "2", "1"], strict=True)},
        "Tốt, cụ thể.",
    )
    set_deadline(plan, -2)
    other = member_in("X002")
    theirs = services.essay_submit(users["admin"], plan, other, ESSAY)
    return {"plan": plan, "mine": mine, "theirs": theirs, "criteria": criteria}


def test_xlsx_holds_one_row_per_essay_of_the_subtree(world, client_as, users):
    commune1 = users["xa1.bithu"].grants.get().org
    url = reverse("essays:export_xlsx", args=[world["plan"].pk])
    response = client_as("xa1.bithu").get(url, {"org": commune1.pk})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Họ và tên", "Số thẻ đảng viên", "Chi bộ", "Ngày nộp", "Nộp muộn")
    assert rows[0][-3:] == ("Tổng điểm", "Xếp loại", "Nhận xét")
    assert len(rows[0]) == 5 + len(world["criteria"]) + 3
    assert len(rows) == 2  # xa1's commune: only dangvien1's essay
    mine = world["mine"]
    row = rows[1]
    assert row[0] == mine.member.full_name and row[2] == mine.cell.name
    assert row[3] == timezone.localtime(mine.submitted_at).strftime("%d/%m/%Y")
    assert row[4] in ("", None) and row[5:9] == (3, 2.5, 2, 1) and row[9:] == (8.5, "Tốt", "Tốt, cụ thể.")


def test_the_province_export_has_both_communes_and_flags_late(world, client_as):
    response = client_as("tinh.tuyengiao").get(reverse("essays:export_xlsx", args=[world["plan"].pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    by_name = {r[0]: r for r in rows[1:]}
    theirs = by_name[world["theirs"].member.full_name]
    assert theirs[4] == "Có" and theirs[-2] == "Chưa chấm"
    assert len(by_name) == 2


def test_formulas_are_neutralised(world, client_as):
    """The essay text is not exported, but a comment starting with = would be: it gets an apostrophe."""
    grade = world["mine"].grade
    grade.comment = "=1+1"
    grade.save(update_fields=["comment"])
    response = client_as("admin").get(reverse("essays:export_xlsx", args=[world["plan"].pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert "'=1+1" in [r[-1] for r in rows]


def test_docx_has_a_title_page_and_each_essay_on_its_own_page(world, client_as):
    plan = world["plan"]
    response = client_as("tinh.tuyengiao").get(reverse("essays:export_docx", args=[plan.pk]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.getvalue()))
    texts = [p.text for p in document.paragraphs]
    root = plan.issuer
    assert f"BÀI THU HOẠCH — {root.name}" in texts and "Số bài: 2" in texts
    for essay in (world["mine"], world["theirs"]):
        assert essay.member.full_name in texts and f"Chi bộ: {essay.cell.name}" in texts
    assert "Kết quả chấm: 8,5 điểm — Tốt" in texts and "Kết quả chấm: chưa chấm" in texts
    assert any(t.startswith("Ngày nộp:") and t.endswith("(nộp muộn)") for t in texts)
    assert ESSAY in texts
    assert document.element.xml.count('w:type="page"') == 2  # one break before each essay


def test_docx_survives_control_characters_already_stored(world, client_as):
    """Text stored before the entrances refused control characters must not break the export (500)."""
    essay = world["mine"]
    Essay.objects.filter(pk=essay.pk).update(text=f"Đoạn một\x01 {ESSAY}")
    Member.objects.filter(pk=essay.member_id).update(full_name=f"{essay.member.full_name}\x1b")
    Grade.objects.filter(essay=essay).update(comment="Tốt\x02, cụ thể.")
    response = client_as("tinh.tuyengiao").get(reverse("essays:export_docx", args=[world["plan"].pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.getvalue())).paragraphs)
    assert "Đoạn một " in text and essay.member.full_name in text and "Tốt, cụ thể." in text
