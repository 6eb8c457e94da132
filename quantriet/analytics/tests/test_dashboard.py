"""What the dashboard, its export and the API show on the hand-made tree, read from the rollup rows only."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from quantriet.analytics import components as fc
from quantriet.analytics import dashboard, summary
from quantriet.analytics.exports import HEADERS, SHEET
from quantriet.analytics.models import FidelityConfig, FidelityScore
from quantriet.analytics.rollup import refresh
from quantriet.core.models import AuditEntry
from quantriet.org.models import Grant, Role

from .common import build_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(users):
    tree = build_tree()
    refresh(tree.plan)
    Grant.objects.create(user=users["admin"], org=tree.t, role=Role.ADMIN)
    return tree


@pytest.fixture
def admin(client_as, tree):
    return client_as("admin")


def test_the_dashboard_reads_rollups_never_raw_attendance(tree, admin):
    url = reverse("analytics:dashboard", args=[tree.plan.pk]) + f"?org={tree.c.pk}"
    with CaptureQueriesContext(connection) as queries:
        response = admin.get(url)
    assert response.status_code == 200
    assert not [q["sql"] for q in queries if "study_attendance" in q["sql"]]
    html = response.content.decode()
    assert "Chi bộ ấp Bình Lợi" in html and "Làm lướt" in html
    charts = response.context["charts"]
    assert charts["funnel"]["data"][:2] == [8, 6]  # members, attended
    b = FidelityScore.objects.get(plan=tree.plan, org=tree.b)
    assert ("danger" if b.index < 50 else "warning") in dict(response.context["children"]).values()


def test_weakest_units_first_and_filtered(tree, admin):
    url = reverse("analytics:weakest", args=[tree.plan.pk])
    rows = admin.get(url, {"org": tree.t.pk}).context["table"]["page"].object_list
    indexes = [r.index for r in rows]
    assert indexes == sorted(indexes) and rows[0].org == tree.b
    flagged = admin.get(url, {"org": tree.t.pk, "flagged": "1"}).context["table"]["page"].object_list
    assert [r.org for r in flagged] == [tree.b]
    cells = admin.get(url, {"org": tree.t.pk, "level": "chi_bo", "sort": "-index"}).context["table"]["page"]
    assert [r.org for r in cells] == [tree.a, tree.b]


def test_weakest_units_are_named_with_their_parent_below_the_page_unit(tree, admin):
    url = reverse("analytics:weakest", args=[tree.plan.pk])
    province = admin.get(url, {"org": tree.t.pk}).content.decode()
    assert f"{tree.b.name} — {tree.c.name}" in province  # cells of a commune, listed at the province
    commune = admin.get(url, {"org": tree.c.pk}).content.decode()
    assert tree.b.name in commune and f"{tree.b.name} — " not in commune  # the page already names the commune


def test_distribution_and_timeline_by_level(tree):
    counts = summary.subtree_counts(tree.plan, tree.t)
    spread = dashboard.distribution(counts)
    # Short names on the axis (long ones were cut), the full names for the tooltips.
    assert spread["labels"] == ["Cấp tỉnh", "Trực thuộc tỉnh", "Chi bộ trực thuộc"]
    assert spread["titles"] == ["Cấp tỉnh", "Đảng bộ trực thuộc tỉnh (xã, phường, khối)", "Chi bộ trực thuộc"]
    assert sum(sum(d["data"]) for d in spread["datasets"]) == 4
    timeline = dashboard.timeline(counts)
    cells = timeline["series"][-1]
    assert cells["data"][-1] == 100.0  # both cells held by the last day shown
    assert cells["deadline"] is not None


def test_export_lists_the_subtree_in_tree_order(tree, admin):
    response = admin.get(reverse("analytics:export_xlsx", args=[tree.plan.pk]), {"org": tree.c.pk})
    sheet = load_workbook(io.BytesIO(response.getvalue()))[SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert [r[1] for r in rows[1:]] == [tree.c.name, tree.a.name, tree.b.name]
    b = FidelityScore.objects.get(plan=tree.plan, org=tree.b)
    assert rows[3][3] == b.index and "Làm lướt" in rows[3][6]


def test_api_gives_the_row_and_its_children(tree, api):
    body = api("admin").get(f"/api/v1/plans/{tree.plan.pk}/fidelity", {"org": tree.c.pk}).json()
    assert body["org"]["org_id"] == tree.c.pk
    assert [child["org_name"] for child in body["children"]] == [tree.a.name, tree.b.name]
    b = body["children"][1]
    assert b["lam_luot"] and "Làm lướt" in b["flag_labels"]
    assert b["head"]["full_name"] == tree.members["b"][0].full_name
    assert b["components"]["duration"] == pytest.approx(0.25)
    assert b["decay"] == pytest.approx(body["org"]["index"] - b["index"], abs=0.05)


def test_the_refresh_button_runs_a_job(tree, admin):
    FidelityScore.objects.filter(plan=tree.plan).delete()
    response = admin.post(reverse("analytics:refresh", args=[tree.plan.pk]))
    assert response.status_code == 302 and "/viec-nen/" in response["Location"]
    assert FidelityScore.objects.filter(plan=tree.plan).count() == 4


def _config(**changes):
    data = {f"w_{key}": weight for key, weight in fc.DEFAULT_WEIGHTS.items()} | {"margin": "15", "floor": "50"}
    return data | changes


def test_staff_change_the_weights_and_the_rows_follow(tree, admin):
    response = admin.post(reverse("analytics:config", args=[tree.plan.pk]), _config(w_local="0", floor="40"))
    assert response.status_code == 302 and "/viec-nen/" in response["Location"]
    config = FidelityConfig.objects.get(plan=tree.plan)
    assert config.weights["local"] == 0 and config.floor == 40
    b = FidelityScore.objects.get(plan=tree.plan, org=tree.b)
    assert b.index == fc.composite(b.components, {**fc.DEFAULT_WEIGHTS, "local": 0})
    assert AuditEntry.objects.filter(action="fidelity.config", object_id=str(config.pk)).exists()


def test_thresholds_typed_with_a_decimal_comma(tree, admin):
    url = reverse("analytics:config", args=[tree.plan.pk])
    assert admin.post(url, _config(margin="12,5", floor="47,5")).status_code == 302
    config = FidelityConfig.objects.get(plan=tree.plan)
    assert (config.margin, config.floor) == (12.5, 47.5)
    html = admin.get(url).content.decode()
    assert 'value="12,5"' in html and 'value="47,5"' in html and 'type="number"' not in html
    assert 'inputmode="decimal"' in html and 'inputmode="numeric"' in html


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"margin": "1.234,5"}, "vừa có dấu chấm vừa có dấu phẩy"),
        ({"floor": "4,7,5"}, "nhiều hơn một dấu phẩy"),
        ({"w_grade": "7,5"}, "không phải là số nguyên"),  # a weight is whole: never read as 75
    ],
)
def test_unclear_numbers_in_the_config_are_refused(tree, admin, changes, says):
    response = admin.post(reverse("analytics:config", args=[tree.plan.pk]), _config(**changes))
    assert response.status_code == 400 and says in response.content.decode()
    assert not FidelityConfig.objects.filter(plan=tree.plan).exists()


def test_bad_weights_are_refused_with_a_message_and_nothing_saved(tree, admin):
    url = reverse("analytics:config", args=[tree.plan.pk])
    zeros = _config(**{f"w_{key}": "0" for key in fc.DEFAULT_WEIGHTS})
    response = admin.post(url, zeros)
    assert response.status_code == 400
    assert "ít nhất một thành phần có trọng số lớn hơn 0" in response.content.decode()
    assert admin.post(url, _config(w_grade="150")).status_code == 400
    assert not FidelityConfig.objects.filter(plan=tree.plan).exists()


@pytest.fixture
def not_due(tree):
    """A cell under C, not held, due in three days, whose members' first essays are copies."""
    from .test_rollup import _cell_with_weak_essays, days_ago

    cell = _cell_with_weak_essays(tree, "TT-C-N", "Chi bộ ấp Chưa Đến Hạn", days_ago(-3))
    refresh(tree.plan)
    return cell


def test_api_never_flags_a_unit_not_yet_due(tree, not_due, api):
    body = api("admin").get(f"/api/v1/plans/{tree.plan.pk}/fidelity", {"org": tree.c.pk}).json()
    child = next(c for c in body["children"] if c["org_id"] == not_due.pk)
    assert child["state"] == "chua_den_han" and child["state_label"] == "Chưa đến hạn"
    assert child["lam_luot"] is False and "lam_luot" not in child["flags"]
    assert child["index"] is None and child["decay"] is None
    assert child["components"]["original"] == 0.0  # its partial figures are there
    b = next(c for c in body["children"] if c["org_id"] == tree.b.pk)
    assert b["state"] == "da_to_chuc" and b["lam_luot"]


def test_dashboard_marks_a_unit_not_yet_due(tree, not_due, admin):
    url = reverse("analytics:dashboard", args=[tree.plan.pk])
    html = admin.get(url, {"org": tree.c.pk}).content.decode()
    node = html[html.index(f'data-org="{not_due.code}"') :]
    node = node[: node.index("</li>")]
    assert "chưa đến hạn" in node and "Làm lướt" not in node
    own = admin.get(url, {"org": not_due.pk}).content.decode()
    assert 'id="not-due-note"' in own and "tạm tính" in own
    assert "độc lập 0/2 bài đã kiểm tra trùng lặp" in own  # the rate names its base
    # The legend's rule is the rule, separate from the colour bands.
    assert fc.lam_luot_rule(fc.Settings()) in html
    assert "Yếu, làm lướt" not in html


def test_weakest_table_filters_by_state(tree, not_due, admin):
    url = reverse("analytics:weakest", args=[tree.plan.pk])
    judged = admin.get(url, {"org": tree.t.pk}).context["table"]["page"].object_list
    assert not_due not in [r.org for r in judged]
    waiting = admin.get(url, {"org": tree.t.pk, "state": "chua_den_han"})
    assert [r.org for r in waiting.context["table"]["page"].object_list] == [not_due]
    assert "chưa đến hạn" in waiting.content.decode()


def test_export_states_a_unit_not_yet_due(tree, not_due, admin):
    response = admin.get(reverse("analytics:export_xlsx", args=[tree.plan.pk]), {"org": tree.c.pk})
    sheet = load_workbook(io.BytesIO(response.getvalue()))[SHEET]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True)}
    state = HEADERS.index("Tình trạng")
    line = rows[not_due.code]
    assert line[3] is None and not line[6] and line[state].startswith("Chưa đến hạn — chưa đánh giá")
    assert rows[tree.b.code][state] == "Đã tổ chức"


def test_tree_is_paged(tree, admin, monkeypatch):
    from quantriet.analytics import views

    monkeypatch.setattr(views, "TREE_PAGE", 1)
    html = admin.get(reverse("analytics:dashboard", args=[tree.plan.pk]), {"org": tree.c.pk}).content.decode()
    html = html[html.index('id="fidelity-tree"') :]
    assert tree.a.name in html and tree.b.name not in html and "đã hiện 1/2 đơn vị" in html
    more = admin.get(reverse("analytics:tree_children", args=[tree.plan.pk, tree.c.pk]), {"trang": 2})
    assert tree.b.name in more.content.decode() and tree.a.name not in more.content.decode()


def test_the_report_leaves_a_unit_not_yet_due_out_of_the_weak_units(tree, not_due):
    import docx

    from quantriet.analytics.report import write_report

    out = io.BytesIO()
    write_report(tree.plan, tree.c, out)
    document = docx.Document(io.BytesIO(out.getvalue()))
    text = "\n".join(p.text for p in document.paragraphs)
    weak = next(t for t in document.tables if "Cảnh báo khác" in [c.text for c in t.rows[0].cells])
    assert [row.cells[1].text for row in weak.rows[1:]] == [tree.b.name]
    assert "Đưa 1 đơn vị có dấu hiệu làm lướt vào chương trình kiểm tra" in text
    assert not_due.name not in text
    assert f"Tiêu chí: {fc.lam_luot_rule(fc.Settings())}." in text


def test_export_names_the_base_of_each_rate(tree, admin):
    response = admin.get(reverse("analytics:export_xlsx", args=[tree.plan.pk]), {"org": tree.c.pk})
    sheet = load_workbook(io.BytesIO(response.getvalue()))[SHEET]
    header = [cell.value for cell in sheet[1]]
    assert "Tỷ lệ đảng viên dự học (% số đảng viên phải dự học)" in header
    assert "Tỷ lệ đạt bài kiểm tra (% số người đã làm bài kiểm tra)" in header
    c = [cell.value for cell in sheet[2]]
    assert c[header.index("Phải dự học")] == 8 and c[header.index("Dự học")] == 6


def test_the_report_of_a_unit_not_yet_due_says_its_figures_are_partial(tree, not_due):
    import docx

    from quantriet.analytics.report import write_report

    out = io.BytesIO()
    write_report(tree.plan, not_due, out)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(out.getvalue())).paragraphs)
    assert "chưa đến hạn tổ chức hội nghị" in text and "số liệu tạm tính" in text
    assert "có dấu hiệu làm lướt" not in text
