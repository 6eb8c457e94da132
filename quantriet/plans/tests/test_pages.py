"""The programme pages through the client: a commune drafts and edits its programme, members
comment on a task, the committee approves it with its minutes, a cell pastes it and is flagged with
the passages side by side, the tree and the overdue list show it, the API and the home page too."""

import io
from datetime import date, timedelta

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from quantriet.plans import services
from quantriet.plans.models import Programme, TaskStatus
from quantriet.plans.tests.test_concreteness import COMMUNE_PROGRAMME, PASTED

from .common import store

pytestmark = pytest.mark.django_db


def _task_data(prefix_rows, units):
    data = {"tasks-TOTAL_FORMS": str(len(prefix_rows)), "tasks-INITIAL_FORMS": "0", "tasks-MIN_NUM_FORMS": "0",
            "tasks-MAX_NUM_FORMS": "200"}  # fmt: skip
    for i, task in enumerate(prefix_rows):
        data.update({
            f"tasks-{i}-content": task.content, f"tasks-{i}-lead_org": str(units.pk),
            f"tasks-{i}-deadline": task.deadline.isoformat() if task.deadline else "",
            f"tasks-{i}-product": task.product, f"tasks-{i}-indicator": task.indicator,
            f"tasks-{i}-target": str(task.target).replace(".", ",") if task.target is not None else "",
            f"tasks-{i}-unit": task.unit,
        })  # fmt: skip
    return data


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Biên bản họp Ban Thường vụ Đảng ủy ngày 20/11/2026 thông qua chương trình hành động.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_commune_drafts_consults_and_approves_its_programme(client_as, users, plan, where):
    secretary = client_as("xa1.bithu")
    assert "Soạn chương trình hành động" in secretary.get(reverse("plans:index")).content.decode()
    response = secretary.post(reverse("plans:create", args=[plan.pk]), {"org": where["commune"].pk})
    programme = Programme.objects.get(plan=plan, org=where["commune"])
    assert response.status_code == 302 and response["Location"] == reverse("plans:edit", args=[programme.pk])
    assert secretary.get(response["Location"]).status_code == 200
    data = {"title": "Chương trình hành động của Đảng ủy", "symbol": "05-CTr/ĐU",
            "preamble": COMMUNE_PROGRAMME.preamble, "summary": "",
            **_task_data(COMMUNE_PROGRAMME.tasks, where["commune"])}  # fmt: skip
    response = secretary.post(reverse("plans:edit", args=[programme.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    programme.refresh_from_db()
    assert programme.tasks.count() == 4 and programme.tasks.get(number=4).target == 70
    page = secretary.get(programme.get_absolute_url()).content.decode()
    assert 'id="m-complete"' in page and f"{programme.concreteness}/100" in page
    secretary.post(reverse("plans:transition", args=[programme.pk, "submit"]))
    task = programme.tasks.get(number=1)
    member = client_as("dangvien1")
    assert member.get(programme.get_absolute_url()).status_code == 200  # a member reads the draft above
    member.post(reverse("plans:comment", args=[programme.pk]), {"text": "Đề nghị thêm buổi sáng.", "task": task.pk})
    assert "Đề nghị thêm buổi sáng." in secretary.get(programme.get_absolute_url()).content.decode()
    minutes = io.BytesIO(_docx())
    minutes.name = "bien-ban.docx"
    response = secretary.post(reverse("plans:transition", args=[programme.pk, "approve"]),
                              {"approved_on": "2026-11-20", "approval_ref": "Nghị quyết số 12-NQ/ĐU",
                               "approval_file": minutes})  # fmt: skip
    programme.refresh_from_db()
    assert programme.state == "approved" and programme.files.get().name == "bien-ban.docx"
    page = secretary.get(programme.get_absolute_url()).content.decode()
    assert "Thông qua ngày 20/11/2026" in page and "Nghị quyết số 12-NQ/ĐU" in page


def test_approving_without_minutes_is_refused_in_vietnamese(client_as, users, plan, where):
    programme = store(users["xa1.bithu"], plan, where["commune"], COMMUNE_PROGRAMME)
    services.programme_transition(users["xa1.bithu"], programme, "submit")
    client = client_as("xa1.bithu")
    response = client.post(reverse("plans:transition", args=[programme.pk, "approve"]), {"approved_on": "2026-11-20"},
                           follow=True)  # fmt: skip
    assert "This field is required" not in response.content.decode()
    assert "Trường này là bắt buộc" in response.content.decode() or "bắt buộc" in response.content.decode()
    assert Programme.objects.get(pk=programme.pk).state == "consultation"


def test_a_pasted_cell_programme_is_flagged_with_the_passages_side_by_side(client_as, users, plan, where):
    commune = store(users["xa1.bithu"], plan, where["commune"], COMMUNE_PROGRAMME)
    pasted = store(users["xa1.bithu"], plan, where["cell"], PASTED, lead=where["commune"])
    client = client_as("xa1.bithu")
    page = client.get(pasted.get_absolute_url()).content.decode()
    assert 'id="flagged"' in page and "Sao chép, Chưa cụ thể hóa" in page
    assert reverse("plans:compare", args=[pasted.pk, commune.pk]) in page
    compare = client.get(reverse("plans:compare", args=[pasted.pk, commune.pk])).content.decode()
    assert compare.count('id="a-') >= 4 and compare.count('id="b-') >= 4 and 'id="copying"' in compare
    tree = client.get(reverse("plans:tree", args=[plan.pk]) + f"?org={where['commune'].pk}").content.decode()
    assert f'data-org="{where["cell"].pk}" class="table-danger"' in tree and "concreteness-data" in tree


def test_the_tree_of_the_province_counts_programmes_below_each_commune(client_as, users, plan, where):
    store(users["xa1.bithu"], plan, where["commune"], COMMUNE_PROGRAMME)
    store(users["xa1.bithu"], plan, where["cell"], PASTED, lead=where["commune"])
    page = client_as("tinh.tuyengiao").get(reverse("plans:tree", args=[plan.pk])).content.decode()
    assert "1 chương trình" in page and "1 sao chép" in page


def overdue(users, plan, where):
    programme = store(users["xa1.bithu"], plan, where["cell"], COMMUNE_PROGRAMME, person=users["dangvien1"].member)
    services.programme_transition(users["xa1.bithu"], programme, "submit")
    services.programme_transition(users["xa1.bithu"], programme, "approve", approved_on=date(2026, 11, 1),
                                  approval_ref="Biên bản")  # fmt: skip
    today = timezone.localdate()
    programme.tasks.filter(number=1).update(deadline=today - timedelta(days=3))
    programme.tasks.filter(number=2).update(deadline=today - timedelta(days=30))
    programme.tasks.filter(number=3).update(deadline=today + timedelta(days=30))
    programme.tasks.filter(number=4).update(deadline=today - timedelta(days=30), status=TaskStatus.DONE)
    return programme


def test_overdue_tasks_by_accountable_head(client_as, users, plan, where):
    overdue(users, plan, where)
    page = client_as("xa1.bithu").get(reverse("plans:overdue", args=[plan.pk]) + f"?org={where['commune'].pk}")
    text = page.content.decode()
    assert text.count("quá 3 ngày") == 1 and text.count("quá 30 ngày") == 1
    assert users["dangvien1"].member.full_name in text


def test_the_api_lists_the_programme_and_its_children(api, users, plan, where):
    commune = store(users["xa1.bithu"], plan, where["commune"], COMMUNE_PROGRAMME)
    pasted = store(users["xa1.bithu"], plan, where["cell"], PASTED, lead=where["commune"])
    body = api("xa1.bithu").get(f"/api/v1/plans/{plan.pk}/programmes?org={where['commune'].pk}").json()
    assert body["org"]["programme_id"] == commune.pk and body["org"]["flags"] == []
    (child,) = body["children"]
    assert child["org_id"] == where["cell"].pk and child["org_name"] == where["cell"].name
    assert child["status"] == "draft" and "sao_chep" in child["flags"] and child["copied_share"] >= 0.9
    assert 0 <= child["concreteness"] < 50 and child["copied_from"][0]["programme"] == commune.pk
    assert pasted.pk == child["programme_id"]
    assert api("xa2.bithu").get(f"/api/v1/plans/{plan.pk}/programmes?org={where['commune'].pk}").status_code == 404
    assert api("dangvien1").get(f"/api/v1/plans/{plan.pk}/programmes?org={where['cell'].pk}").status_code == 403


def test_the_programme_downloads_as_a_party_document_and_a_task_sheet(client_as, users, plan, where):
    programme = store(users["xa1.bithu"], plan, where["commune"], COMMUNE_PROGRAMME)
    member = client_as("dangvien1")  # whoever reads the programme may download it
    response = member.get(reverse("plans:docx", args=[programme.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([*(p.text for p in document.paragraphs), *cells])
    assert "DỰ THẢO" in text and COMMUNE_PROGRAMME.tasks[0].content in text
    sheet = member.get(reverse("plans:tasks_xlsx", args=[programme.pk]))
    assert sheet.status_code == 200 and sheet["Content-Disposition"].endswith('.xlsx"')


def test_an_import_with_problems_lists_them_and_writes_nothing(client_as, users, plan, where):
    programme = store(users["xa1.bithu"], plan, where["commune"], COMMUNE_PROGRAMME)
    upload = io.BytesIO("Nội dung;Đơn vị chủ trì;Thời hạn\nViệc A;Đơn vị không có;31/02/2027\n".encode())
    upload.name = "nhiem-vu.csv"
    response = client_as("xa1.bithu").post(reverse("plans:import", args=[programme.pk]), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400 and 'id="import-errors"' in page and "không dòng nào được ghi" in page
    assert Programme.objects.get(pk=programme.pk).version == programme.version


def test_the_tree_exports_the_subtree_as_a_sheet(client_as, users, plan, where):
    store(users["xa1.bithu"], plan, where["commune"], COMMUNE_PROGRAMME)
    store(users["xa1.bithu"], plan, where["cell"], PASTED, lead=where["commune"])
    response = client_as("xa1.bithu").get(reverse("plans:tree_xlsx", args=[plan.pk]) + f"?org={where['commune'].pk}")
    import openpyxl

    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 3 and any("Sao chép" in str(cell) for cell in rows[2] if cell)
