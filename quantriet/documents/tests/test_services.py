"""document_save and digest_save: symbols, types, the document key, search text and audit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from quantriet.core.models import AuditEntry
from quantriet.documents import services
from quantriet.documents.models import Audience, Digest, DocType, Document
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization

from .conftest import make_document

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 5, 19)


@pytest.fixture
def root():
    return Organization.objects.get(code=ROOT_CODE)


def audits(action, obj):
    return AuditEntry.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk))


def test_symbol_is_parsed_and_type_inferred(root, users):
    document = make_document("Số: 928 - CT/TƯ", root, day=DAY, actor=users["tinh.tuyengiao"])
    document.refresh_from_db()
    assert (document.number, document.type_code, document.issuer_code) == ("928", "CT", "TU")
    assert document.symbol == "928-CT/TU"
    assert document.doc_type == DocType.DIRECTIVE
    assert document.created_by == users["tinh.tuyengiao"]
    assert str(document) == "Chỉ thị 928-CT/TU"


def test_leading_zero_kept(root):
    assert make_document("01-CT/TW", None, day=DAY).number == "01"


def test_given_type_wins_and_ambiguous_code_needs_one(root):
    with pytest.raises(ValidationError) as error:
        make_document("339-QĐ/TW", None, day=DAY)
    assert "hãy chọn loại văn bản" in error.value.message_dict["doc_type"][0]
    assert not Document.objects.filter(number="339", issued_on=DAY).exists()
    document = make_document("339-QĐ/TW", None, day=DAY, doc_type=DocType.REGULATION)
    assert document.doc_type == DocType.REGULATION


def test_state_symbol_refused_in_vietnamese():
    with pytest.raises(ValidationError) as error:
        make_document("30/2020/NĐ-CP", None, day=DAY)
    assert "không đúng dạng số và ký hiệu văn bản của Đảng" in error.value.messages[0]
    assert not Document.objects.filter(issued_on=DAY).exists()


def test_same_key_refused_other_date_allowed(root):
    make_document("928-CT/TU", root, day=DAY)
    with pytest.raises(ValidationError) as error:
        make_document("928-CT/TU", root, day=DAY, title="Bản nhập trùng")
    assert "Đã có văn bản số 928-CT/TU ngày 19/05/2025" in error.value.messages[0]
    # Numbers restart every committee term: the same symbol on another date is another document.
    other = make_document("928-CT/TU", root, day=datetime.date(2030, 1, 2))
    assert Document.objects.filter(number="928", type_code="CT", issuer_code="TU").count() == 2
    assert other.pk


def test_central_key_refused_and_enforced_by_database():
    make_document("929-NQ/TW", None, day=DAY)
    with pytest.raises(ValidationError):
        make_document("929-NQ/TW", None, day=DAY)
    twin = Document(number="929", type_code="NQ", issuer_code="TW", doc_type="nghi_quyet", title="x")
    twin.issuer_name, twin.issued_on = "Bộ Chính trị", DAY
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_two_communes_may_both_sign_as_du_on_one_day():
    """Every commune committee signs /ĐU; the key includes the issuing organisation."""
    c1 = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    c2 = Organization.objects.get(code=f"{ROOT_CODE}-X002")
    a = make_document("01-NQ/ĐU", c1, day=DAY)
    b = make_document("01-NQ/ĐU", c2, day=DAY)
    assert a.pk != b.pk
    with pytest.raises(ValidationError):
        make_document("01-NQ/ĐU", c1, day=DAY)


def test_update_reparses_and_audits(root, users):
    actor = users["tinh.tuyengiao"]
    document = make_document("930-KH/TU", root, day=DAY, actor=actor)
    created = audits("document.create", document).get()
    assert created.actor == actor and created.before is None and created.after["title"] == "Văn bản thử nghiệm"
    document.title = "Kế hoạch đã sửa"
    services.document_save(actor, document, "931-KH/TU")
    document.refresh_from_db()
    assert document.symbol == "931-KH/TU"
    updated = audits("document.update", document).get()
    assert updated.before["number"] == "930" and updated.after["number"] == "931"
    assert updated.before["title"] == "Văn bản thử nghiệm" and updated.after["title"] == "Kế hoạch đã sửa"


def test_decomposed_input_is_normalised(root):
    import unicodedata

    title = unicodedata.normalize("NFD", "Nghị quyết  về  Đảng")
    document = make_document(unicodedata.normalize("NFD", "932-KL/TƯ"), root, day=DAY, title=title)
    document.refresh_from_db()
    assert document.title == "Nghị quyết về Đảng"
    assert document.issuer_code == "TU"


def test_search_text_covers_every_part(root):
    document = make_document(
        "933-NQ/TU",
        root,
        day=DAY,
        title="Về phát triển kinh tế biển",
        issuer_name="Ban Chấp hành Đảng bộ tỉnh",
        signer="Nguyễn Văn Một",
        body="Đẩy mạnh nuôi trồng thủy sản",
    )
    for words in ["933-nq/tu", "nghi quyet", "kinh te bien", "ban chap hanh", "nguyen van mot", "thuy san"]:
        assert words in document.search_text, words
    digest = Digest(document=document, audience=Audience.PUBLIC, title="Bà con cần biết", key_points="Giữ rừng đước")
    services.digest_save(None, digest)
    document.refresh_from_db()
    assert "giu rung duoc" in document.search_text and "ba con can biet" in document.search_text


def test_digest_create_update_and_audit(root, users):
    actor = users["tinh.tuyengiao"]
    document = make_document("934-CT/TU", root, day=DAY)
    digest = Digest(
        document=document, audience=Audience.MEMBERS, title="Đảng viên cần nhớ", key_points="- Một\n• Hai\n\n"
    )
    services.digest_save(actor, digest)
    assert digest.points() == ["Một", "Hai"]
    assert audits("digest.create", digest).get().actor == actor
    digest.key_points = "Một\nHai\nBa"
    services.digest_save(actor, digest)
    entry = audits("digest.update", digest).get()
    assert entry.before["key_points"].startswith("- Một") and entry.after["key_points"] == "Một\nHai\nBa"
    twin = Digest(document=document, audience=Audience.MEMBERS, title="Lần hai", key_points="X")
    with pytest.raises(ValidationError) as error:
        services.digest_save(actor, twin)
    assert "đã có tài liệu tóm tắt cho đối tượng “Đảng viên”" in error.value.messages[0]


def test_digest_needs_a_point(root):
    document = make_document("935-CT/TU", root, day=DAY)
    with pytest.raises(ValidationError) as error:
        services.digest_save(None, Digest(document=document, audience=Audience.PUBLIC, title="T", key_points=" - \n •"))
    assert "ít nhất một ý" in error.value.messages[0]
    assert not document.digests.exists()
