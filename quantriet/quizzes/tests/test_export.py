"""Results to .xlsx: the member rows and the child summaries the viewer sees, formulas neutralised."""

import io
import zipfile

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from quantriet.core.text import vn_date
from quantriet.org.models import Member
from quantriet.quizzes import services
from quantriet.quizzes.exports import CHILD_HEADERS, CHILD_SHEET, MEMBER_HEADERS, MEMBER_SHEET

from .common import take

NASTY = '=HYPERLINK("http://x.example","Bấm")'


def download(client, quiz, org=None):
    response = client.get(reverse("quizzes:results_xlsx", args=[quiz.plan_id]), {"org": org.pk} if org else {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"].startswith('attachment; filename="ket-qua-kiem-tra-')
    return response.getvalue()


def sheets(data):
    workbook = load_workbook(io.BytesIO(data))  # not data_only: a formula would come back as one
    assert workbook.sheetnames == [MEMBER_SHEET, CHILD_SHEET]
    members = list(workbook[MEMBER_SHEET].iter_rows(values_only=True))
    children = list(workbook[CHILD_SHEET].iter_rows(values_only=True))
    assert members[0] == tuple(MEMBER_HEADERS) and children[0] == tuple(CHILD_HEADERS)
    return members[1:], children[1:]


def test_the_commune_secretary_exports_the_commune(quiz, users, client_as):
    me, xa2 = users["dangvien1"].member, users["xa2.bithu"].member
    commune1 = users["xa1.bithu"].grants.get().org
    take(quiz, me, perfect=False)
    take(quiz, me, perfect=True)
    take(quiz, xa2, perfect=True)
    Member.objects.filter(pk=me.pk).update(full_name=NASTY)
    data = download(client_as("xa1.bithu"), quiz)
    members, children = sheets(data)

    takers = services.quiz_takers(quiz.plan).filter(cell__path__startswith=commune1.path)
    assert len(members) == takers.count() > 1
    names = [row[1] for row in members]
    assert xa2.full_name not in names  # out of the secretary's scope
    assert not any(row[2] == xa2.card_number for row in members if xa2.card_number)
    mine = next(row for row in members if row[1] == "'" + NASTY)
    assert mine == (me.cell.name, "'" + NASTY, me.card_number or None, 2, 100.0, "Đạt", vn_date(timezone.localdate()))
    others = [row for row in members if row is not mine]
    assert all(row[3:7] == (0, None, "Chưa làm", None) for row in others)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")

    *rows, total = children
    # The pass rate of those who took it (last column) next to the rate of those required.
    assert total == (f"Tổng cộng — {commune1.name}", takers.count(), 1, 1, round(100 / takers.count(), 1), 100.0, 100.0)
    assert sum(row[1] for row in rows) == takers.count()
    assert [row for row in rows if row[2]] == [
        (
            me.cell.name,
            takers.filter(cell=me.cell).count(),
            1,
            1,
            round(100 / takers.filter(cell=me.cell).count(), 1),
            100.0,
            100.0,
        )
    ]


def test_province_staff_export_a_chosen_commune(quiz, users, client_as):
    me, xa2 = users["dangvien1"].member, users["xa2.bithu"].member
    commune2 = users["xa2.bithu"].grants.get().org
    take(quiz, me, perfect=True)
    take(quiz, xa2, perfect=False)
    members, _ = sheets(download(client_as("tinh.tuyengiao"), quiz, commune2))
    names = [row[1] for row in members]
    assert xa2.full_name in names and me.full_name not in names
    assert next(row for row in members if row[1] == xa2.full_name)[3:6] == (1, 0.0, "Chưa đạt")


def test_the_province_export_summarises_every_commune(quiz, users, client_as):
    commune1, commune2 = (users[u].grants.get().org for u in ("xa1.bithu", "xa2.bithu"))
    take(quiz, users["dangvien1"].member, perfect=True)
    members, children = sheets(download(client_as("tinh.tuyengiao"), quiz))
    names = [row[0] for row in children]
    assert commune1.name in names and commune2.name in names
    assert children[-1][0] == f"Tổng cộng — {quiz.plan.issuer.name}" and children[-1][1] == len(members)
    assert sum(row[1] for row in children[:-1]) == len(members)


def test_the_results_page_links_to_the_export(quiz, users, client_as):
    page = client_as("xa1.bithu").get(reverse("quizzes:results", args=[quiz.plan_id])).content.decode()
    commune1 = users["xa1.bithu"].grants.get().org
    assert f"{reverse('quizzes:results_xlsx', args=[quiz.plan_id])}?org={commune1.pk}" in page
