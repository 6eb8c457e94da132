"""What the evaluation gives out, read back: the member's form (.docx, .xlsx) with its points, study
proposal, review and decision; the unit's summary (page, .docx, .xlsx) with its bands, study points,
fidelity index and the units to look at again; a colleague never reads another member's form."""

import io
import json

import docx
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from quantriet.evaluation import services
from quantriet.evaluation.tests.common import DECIDED_ON, decide_cell, fidelity_score
from quantriet.evaluation.tests.test_rules import points_for
from quantriet.org.models import Member

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _table_rows(data: bytes, first_header: str) -> list[list[str]]:
    document = docx.Document(io.BytesIO(data))
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == first_header and len(t.columns) > 3]
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture
def decided(users, where, plan):
    year = plan.published_at.year
    rated = decide_cell(users["xa1.bithu"], where["cell"], year, 5, "10")
    fidelity_score(plan, where["cell"], 35, lam_luot=True)
    return {"year": year, "rated": rated}


def test_the_members_form_has_the_points_the_study_sources_and_the_decision(users, client_as, decided):
    evaluation = decided["rated"][0]
    response = client_as("xa1.bithu").get(reverse("evaluation:form_docx", args=[evaluation.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = _body(response)
    text = _text(data)
    member = evaluation.member
    assert "BẢN TỰ KIỂM ĐIỂM" in text and f"chất lượng đảng viên năm {decided['year']}" in text
    assert f"Họ và tên: {member.full_name}" in text and "NGƯỜI TỰ KIỂM ĐIỂM" in text and "T/M CHI BỘ" in text
    assert "Số " not in text.split("BẢN TỰ KIỂM ĐIỂM")[0], "a personal form has no number line"
    rows = _table_rows(data, "STT")
    assert rows[-1][1:] == ["Tổng cộng", "100", "85", "85"]
    [study] = [row for row in rows if row[1].startswith("Ý thức, kết quả học tập")]
    assert study[3:] == ["10", "10"]
    assert "Hệ thống đề xuất" in text and "Chi bộ điều chỉnh điểm học tập, lý do: Chi bộ đánh giá theo thực tế." in text
    assert f"xếp loại: Hoàn thành tốt nhiệm vụ (Quyết định số 21-QĐ/ĐU ngày {DECIDED_ON:%d/%m/%Y})" in text


def test_the_members_form_as_a_sheet(client_as, decided):
    evaluation = decided["rated"][0]
    response = client_as("xa1.bithu").get(reverse("evaluation:form_xlsx", args=[evaluation.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(_body(response))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ["Đối tượng", evaluation.member.full_name] == values[0][:2]
    assert ["STT", "Tiêu chí", "Điểm tối đa", "Tự chấm", "Chi bộ đánh giá"] in values
    [total] = [row for row in values if row[1] == "Tổng cộng"]
    assert total[2:5] == [100, 85, 85]
    assert any(row[1] and str(row[1]).startswith("Tổng điểm 85; xếp loại: Hoàn thành tốt nhiệm vụ") for row in values)


def test_before_the_decision_the_form_shows_the_band_the_self_assessment_gives(users, client_as):
    me = users["dangvien1"]
    mine = services.evaluation_start(me, 2026, member=me.member)
    text = _text(_body(client_as("dangvien1").get(reverse("evaluation:form_docx", args=[mine.pk]))))
    assert "Chưa tự chấm điểm." in text
    services.self_assess(me, mine, {k: str(v) for k, v in points_for("92").items()}, "Ưu điểm.")
    text = _text(_body(client_as("dangvien1").get(reverse("evaluation:form_docx", args=[mine.pk]))))
    assert "Tự xếp loại: Hoàn thành xuất sắc nhiệm vụ (chưa có quyết định của cấp ủy)." in text


def test_a_colleague_of_the_same_cell_cannot_read_a_members_form(users, client_as, decided, where):
    colleague = Member.objects.filter(cell=where["cell"], user__isnull=True).exclude(
        pk=decided["rated"][0].member_id).first()  # fmt: skip
    colleague.user = get_user_model().objects.create_user("dongchi.cungchibo", password="x-long-password-1")
    colleague.save(update_fields=["user"])
    client = client_as(None)
    client.force_login(colleague.user)
    for name in ("form_docx", "form_xlsx", "evaluation"):
        assert client.get(reverse(f"evaluation:{name}", args=[decided["rated"][0].pk])).status_code == 404


def test_the_summary_page_shows_the_bands_the_chart_and_who_to_look_at_again(client_as, decided, where):
    commune = where["commune"]
    response = client_as("xa1.bithu").get(reverse("evaluation:summary", args=[commune.pk]), {"nam": decided["year"]})
    page = response.content.decode()
    assert response.status_code == 200 and "1 đơn vị cần xem lại" in page
    row = page.split(f'data-org="{where["cell"].pk}"')[1].split("</tr>")[0]
    assert 'class="table-warning"' in page.split(f'data-org="{where["cell"].pk}"')[1][:30]
    assert "5 <span" in row and "(100%)" in row and "35" in row and "Học tập làm lướt nhưng" in row
    data = json.loads(page.split('id="summary-data" type="application/json">')[1].split("</script>")[0])
    study, bands = data["study"], data["bands"]
    index = study["labels"].index(where["cell"].name)
    assert study["given"][index] == 100.0 and study["fidelity"][index] == 35.0
    index = bands["labels"].index(where["cell"].name)
    assert [b["counts"][index] for b in bands["datasets"]] == [0, 5, 0, 0]
    assert bands["labels"] == [where["cell"].name], "units with nobody rated have no band bar"


def test_the_summary_document_and_sheet(client_as, decided, where):
    commune, cell, year = where["commune"], where["cell"], decided["year"]
    client = client_as("xa1.bithu")
    data = _body(client.get(reverse("evaluation:summary_docx", args=[commune.pk]), {"nam": year}))
    text = _text(data)
    assert "BIỂU TỔNG HỢP" in text and f"chất lượng đảng viên năm {year}" in text and "-BC/ĐU" in text
    rows = _table_rows(data, "STT")
    [line] = [r for r in rows if r[1] == cell.name]
    assert line[3:9] == ["5", "0 (0%)", "5 (100%)", "0 (0%)", "0 (0%)", "100%"] and line[9] == "35"
    assert rows[-1][1] == "Tổng cộng" and rows[-1][3] == "5"
    assert f"- {cell.name}: học tập làm lướt" in text
    book = openpyxl.load_workbook(io.BytesIO(
        _body(client.get(reverse("evaluation:summary_xlsx", args=[commune.pk]), {"nam": year}))))  # fmt: skip
    summary = [[c.value for c in r] for r in book["Tổng hợp xếp loại"].iter_rows()]
    [line] = [r for r in summary if r[1] == cell.name]
    header = summary[0]
    assert line[header.index("Hoàn thành tốt")] == 5 and line[header.index("Tỷ lệ tốt (%)")] == 100
    assert line[header.index("Chỉ số làm kỹ")] == 35
    assert line[header.index("Cần xem lại")].startswith("học tập làm lướt")
    listed = [[c.value for c in r] for r in book["Đảng viên"].iter_rows()][1:]
    assert len(listed) == 5 and {r[4] for r in listed} == {"Hoàn thành tốt nhiệm vụ"} and listed[0][7] == "21-QĐ/ĐU"
