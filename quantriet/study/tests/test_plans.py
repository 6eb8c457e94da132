"""Study plans: create and edit drafts, publish into obligations, close."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from quantriet.core.models import AuditEntry
from quantriet.documents.models import Audience
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization, Position, Title
from quantriet.org.tree import parent_path
from quantriet.study import services
from quantriet.study.models import LEVEL_OF_KIND, EssayAudience, Level, Obligation, PlanStatus, StudyPlan

from .test_plans_common import days, make_document, make_plan, org, x2_plans

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# ---------------------------------------------------------------- publishing


def test_publish_creates_an_obligation_for_every_active_org_at_scheduled_levels(users):
    root = org(ROOT_CODE)
    closed = org("X003-C02")
    Organization.objects.filter(pk=closed.pk).update(valid_to=days(-3))  # dissolved: no duty any more
    schedule = {Level.PROVINCE: days(5), Level.UPPER: days(12), Level.CELL: days(30)}  # no grassroots level
    plan = make_plan(root, schedule)

    count = services.plan_publish(users["tinh.tuyengiao"], plan)

    obligations = list(Obligation.objects.filter(plan=plan).select_related("org"))
    assert count == len(obligations)
    expected = {
        o.pk
        for o in Organization.objects.filter(path__startswith=root.path)
        if o.is_active and LEVEL_OF_KIND[o.kind] in schedule
    }
    assert {ob.org_id for ob in obligations} == expected
    assert closed.pk not in expected and org("X003-C01").pk in expected
    assert not any(ob.org.kind == "dang_bo_co_so" for ob in obligations)  # grassroots level not scheduled
    for ob in obligations:
        assert ob.level == LEVEL_OF_KIND[ob.org.kind]
        assert ob.deadline == schedule[ob.level]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED and plan.published_at is not None
    entry = AuditEntry.objects.get(action="plan.publish", object_id=str(plan.pk))
    assert entry.actor == users["tinh.tuyengiao"] and entry.after["obligations"] == count


def test_the_accountable_head_is_the_secretary_on_the_day_of_publishing():
    # A cell whose secretary changed: the former one must not be held accountable.
    former = next(
        p
        for p in Position.objects.filter(title=Title.SECRETARY, end__isnull=False, org__kind="chi_bo").order_by("id")
        if p.org.holder(Title.SECRETARY) and p.org.holder(Title.SECRETARY).pk != p.member_id
    )
    cell = former.org
    commune = Organization.objects.get(path=parent_path(cell.path))
    plan = make_plan(commune, {Level.UPPER: days(3), Level.CELL: days(10)}, publish=True)

    ob = Obligation.objects.get(plan=plan, org=cell)
    assert ob.head == cell.holder(Title.SECRETARY)
    assert ob.head_id != former.member_id
    assert Obligation.objects.get(plan=plan, org=commune).head == commune.holder(Title.SECRETARY)
    heads = dict(
        Position.objects.current()
        .filter(title=Title.SECRETARY, org__path__startswith=commune.path)
        .values_list("org_id", "member_id")
    )
    assert {ob.org_id: ob.head_id for ob in plan.obligations.all()} == {
        pk: heads.get(pk) for pk in plan.obligations.values_list("org_id", flat=True)
    }


def test_the_issuer_level_defaults_to_the_earliest_deadline_when_not_scheduled():
    plan = make_plan(org("X001"), {Level.CELL: days(20)}, publish=True)
    assert Obligation.objects.get(plan=plan, org=org("X001")).deadline == days(20)
    assert plan.obligations.count() == 1 + Organization.objects.get_children(org("X001")).count()


def test_draft_problems_are_listed_and_publish_is_refused(client_as):
    plan = make_plan(org("X001"), {}, documents=[], audiences=[], essay_deadline=None)
    client = client_as("tinh.tuyengiao")

    html = client.get(f"/hoc-tap/ke-hoach/{plan.pk}/").content.decode()
    for problem in services.plan_problems(plan):
        assert problem in html
    assert len(services.plan_problems(plan)) == 4
    assert 'disabled title="Cần khắc phục' in html

    response = client.post(f"/hoc-tap/ke-hoach/{plan.pk}/ban-hanh/")
    assert response.status_code == 302
    assert any("Chưa chọn văn bản" in m for m in _messages(response))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not plan.obligations.exists()


@pytest.mark.parametrize(
    "persona,status,published",
    [("xa1.bithu", 403, False), ("dangvien1", 404, False), ("tinh.tuyengiao", 302, True), ("admin", 302, True)],
)
def test_only_propaganda_or_admin_can_publish(client_as, persona, status, published):
    plan = make_plan(org("X001"), {Level.UPPER: days(5), Level.CELL: days(9)})
    response = client_as(persona).post(f"/hoc-tap/ke-hoach/{plan.pk}/ban-hanh/")
    assert response.status_code == status
    plan.refresh_from_db()
    assert (plan.status == PlanStatus.PUBLISHED) is published
    assert plan.obligations.exists() is published


def test_publishing_twice_is_refused(client_as):
    plan = make_plan(org("X001"), {Level.UPPER: days(5)}, publish=True)
    before = plan.obligations.count()
    response = client_as("tinh.tuyengiao").post(f"/hoc-tap/ke-hoach/{plan.pk}/ban-hanh/")
    assert any("bản nháp" in m for m in _messages(response))
    assert plan.obligations.count() == before


def test_close_a_published_plan(client_as, users):
    plan = make_plan(org("X001"), {Level.UPPER: days(5)}, publish=True)
    assert client_as("xa1.bithu").post(f"/hoc-tap/ke-hoach/{plan.pk}/ket-thuc/").status_code == 403
    response = client_as("tinh.tuyengiao").post(f"/hoc-tap/ke-hoach/{plan.pk}/ket-thuc/")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert AuditEntry.objects.filter(action="plan.close", object_id=str(plan.pk)).exists()
    draft = make_plan(org("X001"), {Level.UPPER: days(5)})
    response = client_as("tinh.tuyengiao").post(f"/hoc-tap/ke-hoach/{draft.pk}/ket-thuc/")
    assert any("đã ban hành" in m for m in _messages(response))
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


# ---------------------------------------------------------------- the form


def _form_data(document, **extra):
    data = {
        "symbol": "15-KH/ĐU",
        "title": "Kế hoạch học tập Nghị quyết thử nghiệm",
        "documents": [document.pk],
        "form": "quan_triet",
        "purpose": "Cán bộ, đảng viên nắm vững nội dung.",
        "content": "Những điểm mới của nghị quyết.",
        "audiences": [Audience.KEY_CADRES, Audience.MEMBERS],
        "materials": "Tài liệu tóm tắt cho đảng viên.",
        "budget_amount": "12.500.000",
        "budget_note": "Ngân sách Đảng ủy phường",
        "essay_audience": EssayAudience.KEY_CADRES,
        "essay_deadline": days(30).strftime("%d/%m/%Y"),
        "quiz_required": "on",
        "deadline_tren_co_so": days(7).strftime("%d/%m/%Y"),
        "deadline_chi_bo": days(21).strftime("%d/%m/%Y"),
    }
    data.update(extra)
    return data


def test_create_a_plan_from_an_org(client_as, users):
    x2 = org("X002")
    document = make_document("801")
    client = client_as("tinh.tuyengiao")
    page = client.get(f"/hoc-tap/ke-hoach/them/?org={x2.pk}")
    assert page.status_code == 200 and x2.name in page.content.decode()
    assert "issuer" not in page.context["form"].fields

    response = client.post(f"/hoc-tap/ke-hoach/them/?org={x2.pk}", _form_data(document))

    plan = StudyPlan.objects.get(title="Kế hoạch học tập Nghị quyết thử nghiệm")
    assert response.status_code == 302 and response["Location"] == f"/hoc-tap/ke-hoach/{plan.pk}/"
    assert plan.issuer == x2 and plan.status == PlanStatus.DRAFT and plan.created_by == users["tinh.tuyengiao"]
    assert list(plan.documents.all()) == [document]
    assert plan.audiences == [Audience.KEY_CADRES, Audience.MEMBERS]
    assert plan.budget_amount == Decimal("12500000") and plan.quiz_required
    assert plan.essay_audience == EssayAudience.KEY_CADRES and plan.essay_deadline == days(30)
    assert {d.level: d.deadline for d in plan.deadlines.all()} == {Level.UPPER: days(7), Level.CELL: days(21)}
    entry = AuditEntry.objects.get(action="plan.create", object_id=str(plan.pk))
    assert entry.after["deadlines"] == {"tren_co_so": days(7).isoformat(), "chi_bo": days(21).isoformat()}
    assert entry.after["documents"] == [document.pk]
    assert services.plan_problems(plan) == []


def test_create_without_org_offers_the_orgs_where_the_user_holds_the_role(client_as):
    response = client_as("tinh.tuyengiao").get("/hoc-tap/ke-hoach/them/")
    issuers = response.context["form"].fields["issuer"].queryset
    assert org(ROOT_CODE) in issuers and org("X001") in issuers
    assert not issuers.filter(kind="chi_bo").exists()
    document = make_document("802")
    response = client_as("tinh.tuyengiao").post(
        "/hoc-tap/ke-hoach/them/", _form_data(document, issuer=org("X001").pk, title="Kế hoạch chọn cấp")
    )
    assert response.status_code == 302
    assert StudyPlan.objects.get(title="Kế hoạch chọn cấp").issuer == org("X001")


@pytest.mark.parametrize(
    "extra,field,fragment",
    [
        ({"deadline_tinh": "01/01/2030"}, "deadline_tinh", "cao hơn cấp ban hành"),
        ({"deadline_chi_bo": "01/01/2020"}, "deadline_chi_bo", "không được sớm hơn"),
        ({"budget_amount": "mười triệu"}, "budget_amount", "số tiền"),
        ({"budget_amount": "45,5"}, "budget_amount", "không có phần lẻ"),  # not silently 455 đồng
        ({"budget_amount": "45,000,000"}, "budget_amount", "nhóm hàng nghìn bằng dấu chấm"),
        ({"essay_deadline": "31/02/2026"}, "essay_deadline", ""),
    ],
)
def test_form_rejects_bad_values(client_as, extra, field, fragment):
    document = make_document("803")
    x2 = org("X002")
    response = client_as("tinh.tuyengiao").post(f"/hoc-tap/ke-hoach/them/?org={x2.pk}", _form_data(document, **extra))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and fragment in " ".join(errors[field])
    assert not StudyPlan.objects.filter(title="Kế hoạch học tập Nghị quyết thử nghiệm").exists()


def test_form_refuses_a_document_the_issuers_members_cannot_read(client_as):
    foreign = make_document("804", issuer=org("X001"))  # tinh.tuyengiao sees it; X002's members do not
    response = client_as("tinh.tuyengiao").post(f"/hoc-tap/ke-hoach/them/?org={org('X002').pk}", _form_data(foreign))
    assert response.status_code == 200
    assert "không xem được" in " ".join(response.context["form"].errors["documents"])


def test_a_commune_user_without_the_propaganda_role_cannot_create(client_as):
    assert client_as("xa1.bithu").get("/hoc-tap/ke-hoach/them/").status_code == 403
    assert client_as("xa1.bithu").get(f"/hoc-tap/ke-hoach/them/?org={org('X001').pk}").status_code == 403
    assert client_as("xa1.bithu").get("/hoc-tap/ke-hoach/them/?org=abc").status_code == 404
    cell = org("X001-C01")
    assert client_as("tinh.tuyengiao").get(f"/hoc-tap/ke-hoach/them/?org={cell.pk}").status_code == 403


def test_edit_a_draft_replaces_its_schedule_and_is_audited(client_as):
    plan = make_plan(org("X002"), {Level.UPPER: days(5), Level.CELL: days(9)})
    document = make_document("805")
    client = client_as("tinh.tuyengiao")
    form = client.get(f"/hoc-tap/ke-hoach/{plan.pk}/sua/").context["form"]
    assert form.initial["deadline_tren_co_so"] == days(5) and form.initial["deadline_chi_bo"] == days(9)

    data = _form_data(document, title="Tên mới", deadline_chi_bo="")
    response = client.post(f"/hoc-tap/ke-hoach/{plan.pk}/sua/", data)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Tên mới" and plan.issuer == org("X002")
    assert {d.level: d.deadline for d in plan.deadlines.all()} == {Level.UPPER: days(7)}
    entry = AuditEntry.objects.get(action="plan.update", object_id=str(plan.pk))
    assert entry.before["deadlines"] == {"tren_co_so": days(5).isoformat(), "chi_bo": days(9).isoformat()}
    assert entry.after["deadlines"] == {"tren_co_so": days(7).isoformat()}
    assert entry.before["title"] != "Tên mới" and entry.after["title"] == "Tên mới"


def test_a_published_plan_cannot_be_edited(client_as, users):
    plan = make_plan(org("X002"), {Level.UPPER: days(5)}, publish=True)
    client = client_as("tinh.tuyengiao")
    response = client.post(f"/hoc-tap/ke-hoach/{plan.pk}/sua/", _form_data(make_document("806"), title="Đổi"))
    assert response.status_code == 302 and any("đã ban hành" in m for m in _messages(response))
    plan.refresh_from_db()
    assert plan.title != "Đổi"
    with pytest.raises(ValidationError):
        services.plan_save(users["admin"], plan, [], {Level.UPPER: days(1)})
    assert list(plan.deadlines.values_list("deadline", flat=True)) == [days(5)]


# ---------------------------------------------------------------- list and detail


def test_plan_list_shows_what_the_user_may_see(client_as):
    published, draft = x2_plans()
    listed = {p.pk for p in client_as("xa1.bithu").get("/hoc-tap/ke-hoach/").context["page"]}
    assert published.pk not in listed and draft.pk not in listed
    response = client_as("xa2.bithu").get("/hoc-tap/ke-hoach/")
    assert {published.pk, draft.pk} <= {p.pk for p in response.context["page"]}
    assert not response.context["can_create"] and "Lập kế hoạch" not in response.content.decode()
    response = client_as("tinh.tuyengiao").get("/hoc-tap/ke-hoach/?trang_thai=nhap")
    assert response.context["can_create"] and "Lập kế hoạch" in response.content.decode()
    assert {p.status for p in response.context["page"]} == {PlanStatus.DRAFT}


def test_plan_page_shows_every_field(client_as):
    plan = make_plan(
        org("X001"),
        {Level.UPPER: days(5), Level.CELL: days(9)},
        materials="Sách hỏi đáp",
        budget_amount=45_000_000,
        budget_note="Ngân sách phường",
        quiz_required=True,
    )
    html = client_as("xa1.bithu").get(f"/hoc-tap/ke-hoach/{plan.pk}/").content.decode()
    for text in [
        plan.title,
        plan.purpose,
        plan.content,
        "Sách hỏi đáp",
        "45.000.000 đồng",
        "Ngân sách phường",
        "Tất cả đảng viên dự học",
        plan.essay_deadline.strftime("%d/%m/%Y"),
        days(5).strftime("%d/%m/%Y"),
        days(9).strftime("%d/%m/%Y"),
        "Cán bộ chủ chốt, Đảng viên",
        str(plan.documents.get()),
    ]:
        assert text in html, text
    assert "Ban hành</button>" not in html  # xa1.bithu may read, not publish
