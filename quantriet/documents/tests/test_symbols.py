import pytest
from django.core.exceptions import ValidationError

from quantriet.documents.models import TYPE_BY_CODE, DocType
from quantriet.documents.symbols import parse_symbol


@pytest.mark.parametrize(
    "text,number,type_code,issuer",
    [
        ("28-CT/TU", "28", "CT", "TU"),
        ("01-CT/TW", "01", "CT", "TW"),  # the leading zero is part of the number as written
        ("60-CTr/TU", "60", "CTr", "TU"),
        ("147-CTHĐ/TU", "147", "CTHĐ", "TU"),
        ("128-KH/BTGDVTW", "128", "KH", "BTGDVTW"),
        ("339-QĐ/TW", "339", "QĐ", "TW"),
        ("Số: 36-HD/VPTW", "36", "HD", "VPTW"),
        ("Số 127-QĐ/TW", "127", "QĐ", "TW"),
        ("100 - KL/TW", "100", "KL", "TW"),
        ("445-KL/TƯ", "445", "KL", "TU"),
        ("08- QĐi/TW", "08", "QĐi", "TW"),
        ("  09-kh/đu ", "09", "KH", "ĐU"),
    ],
)
def test_parse_real_symbols(text, number, type_code, issuer):
    symbol = parse_symbol(text)
    assert (symbol.number, symbol.type_code, symbol.issuer_code) == (number, type_code, issuer)
    assert str(symbol) == f"{number}-{type_code}/{issuer}"


@pytest.mark.parametrize("text", ["30/2020/NĐ-CP", "", "CT/TU", "28-CT", "28/CT-TU", "abc"])
def test_refuse_what_is_not_a_party_symbol(text):
    with pytest.raises(ValidationError) as error:
        parse_symbol(text)
    message = error.value.messages[0]
    assert "không đúng dạng số và ký hiệu văn bản của Đảng" in message
    assert "28-CT/TU" in message  # shows an example of the right form


def test_state_document_message_names_the_input():
    with pytest.raises(ValidationError) as error:
        parse_symbol("30/2020/NĐ-CP")
    assert "“30/2020/NĐ-CP”" in error.value.messages[0]


@pytest.mark.parametrize(
    "text,doc_type",
    [
        ("28-CT/TU", DocType.DIRECTIVE),
        ("57-NQ/TW", DocType.RESOLUTION),
        ("60-CTr/TU", DocType.PROGRAMME),
        ("147-CTHĐ/TU", DocType.PROGRAMME),
        ("08-QĐi/TW", DocType.REGULATION),
        ("445-KL/TƯ", DocType.CONCLUSION),
    ],
)
def test_type_codes_map_to_types(text, doc_type):
    assert TYPE_BY_CODE[parse_symbol(text).type_code] == doc_type


def test_qd_is_ambiguous():
    """QĐ may be Quyết định or Quy định: no type is inferred from it."""
    assert parse_symbol("339-QĐ/TW").type_code not in TYPE_BY_CODE


def test_fuzz_found_digits_of_other_scripts_read_as_the_number():
    """fuzz/symbols.py: "٢01-QĐi/TA" (Arabic-Indic digits) was accepted and its number stored as typed,
    so it would never match the same document typed with ASCII digits."""
    for text in ["٢01-QĐi/TA", "٢٨-CT/TU", "२८-CT/TU"]:
        with pytest.raises(ValidationError):
            parse_symbol(text)
    # Full-width digits and signs (an East Asian keyboard) are the same characters for a reader: NFKC.
    assert str(parse_symbol("２８－CT／TU")) == "28-CT/TU"
