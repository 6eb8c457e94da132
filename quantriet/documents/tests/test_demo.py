import datetime

import pytest

from quantriet.documents.demo import FIXTURE, register_directive_28
from quantriet.documents.models import Audience, DocType, Document
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization

pytestmark = pytest.mark.django_db


def test_directive_28_is_registered_once(users):
    first = register_directive_28(users["admin"])
    count = Document.objects.count()
    again = register_directive_28()
    assert again.pk == first.pk and Document.objects.count() == count
    d = Document.objects.get(pk=first.pk)
    assert d.symbol == "28-CT/TU" and d.doc_type == DocType.DIRECTIVE
    assert d.issued_on == datetime.date(2022, 10, 19)
    assert d.issuing_org == Organization.objects.get(code=ROOT_CODE)
    assert "Kim Ngọc Thái" in d.signer and d.issuer_name == "Ban Thường vụ Tỉnh ủy Trà Vinh"
    assert d.title.startswith("Về nêu cao trách nhiệm, gương mẫu của người đứng đầu tổ chức đảng")
    assert d.body == FIXTURE.read_text(encoding="utf-8").strip()
    digests = {g.audience: g for g in d.digests.all()}
    assert set(digests) == set(Audience.values)
    assert all(2 <= len(g.points()) <= 8 for g in digests.values())
    assert all(len(p.split()) <= 25 for g in digests.values() for p in g.points())  # short points


def test_directive_full_text_is_the_directive_not_the_press_article(db):
    body = register_directive_28().body
    assert body.startswith("TỈNH ỦY TRÀ VINH\n*\nSố 28-CT/TU")
    assert "\nCHỈ THỊ\n" in body and "Trà Vinh, ngày 19 tháng 10 năm 2022" in body
    assert body.endswith("T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n\nKim Ngọc Thái")
    # The article around it: headline, lead paragraph ("… ký, ban hành Chỉ thị …") and byline.
    press = ["Khắc phục tình trạng cấp trên", "ký, ban hành Chỉ thị", "Trong đó có yêu cầu", "\nBan Tuyên giáo Tỉnh ủy"]
    assert [phrase for phrase in press if phrase in body] == []
    assert body.count("\n8. ") == 1 and "báo cáo Ban Thường vụ Tỉnh ủy nắm, chỉ đạo." in body


def test_companions_are_searchable_on_the_gate(users):
    register_directive_28()
    xa1, xa2 = users["xa1.bithu"], users["xa2.bithu"]
    resolution = Document.objects.get(number="57", type_code="NQ", issuer_code="TW", issuing_org=None)
    assert resolution.issued_on == datetime.date(2024, 12, 22)
    assert resolution.pk in Document.objects.visible_to(xa2).search("khoa hoc cong nghe chuyen doi so").values_list(
        "pk", flat=True
    )
    commune_plan = Document.objects.get(number="09", type_code="KH", issuer_code="ĐU")
    assert commune_plan.issuing_org.code == f"{ROOT_CODE}-X001"
    commune = commune_plan.issuing_org
    assert commune_plan.issuer_name == commune.name.replace("Đảng bộ", "Đảng ủy")
    assert commune_plan.title.endswith(f"trong {commune.name}") and commune_plan.issuer_name in commune_plan.body
    assert Document.objects.visible_to(xa1).search("thuc hien chi thi 28 dang uy").filter(pk=commune_plan.pk).exists()
    assert not Document.objects.visible_to(xa2).filter(pk=commune_plan.pk).exists()
    assert Document.objects.visible_to(users["dangvien1"]).search("lam luot").exists()
