import unicodedata

from quantriet.originality.normalize import NAME, NUMBER, tokenize, words
from quantriet.originality.shingles import shingle_hashes

from . import corpus


def test_nfc_case_and_punctuation():
    text = "Học tập, quán triệt: NGHỊ QUYẾT của Đảng!"
    assert tokenize(unicodedata.normalize("NFD", text.lower())).words == tokenize(text.lower()).words
    assert tokenize("học tập, quán triệt: nghị quyết (của) đảng!").words == [
        "học", "tập", "quán", "triệt", "nghị", "quyết", "của", "đảng",
    ]  # fmt: skip


def test_optional_diacritic_folding():
    assert tokenize("Đảng viên gương mẫu", fold_diacritics=True).words == ["dang", "vien", "guong", "mau"]
    assert tokenize("đảng viên gương mẫu").words == ["đảng", "viên", "gương", "mẫu"]


def test_numbers_are_masked():
    words = tokenize("chi bộ có 31 đảng viên, đạt 2,1% và 1.250 hộ ngày 19/10/2022").words
    assert words.count(NUMBER) == 4 and "31" not in words
    assert tokenize("có 31 đảng viên", mask_numbers=False).words == ["có", "31", "đảng", "viên"]


def test_swapped_names_and_places_give_the_same_tokens():
    a = tokenize("Tôi là Nguyễn Văn An, đảng viên chi bộ ấp Tân Thành, xã Tân Hòa.")
    b = tokenize("Tôi là Lâm Thị Mỹ Duyên, đảng viên chi bộ ấp Bà Mi, xã Hiếu Tử.")
    assert a.words == b.words
    assert a.words.count(NAME) == 3
    assert shingle_hashes(a.words) == shingle_hashes(b.words)


def test_a_single_capital_is_not_a_name_and_masking_can_be_off():
    assert tokenize("Chi bộ họp").words == ["chi", "bộ", "họp"]
    assert tokenize("xã Long Đức", mask_names=False).words == ["xã", "long", "đức"]


def test_spans_point_into_the_nfc_text():
    tokens = tokenize(unicodedata.normalize("NFD", "Ấp Phú Thọ có 31 hộ."))
    assert [tokens.text[start:end] for start, end in tokens.spans] == ["Ấp Phú Thọ", "có", "31", "hộ"]


def test_the_fast_path_gives_the_same_words():
    for text in corpus.texts().values():
        for options in ({}, {"mask_names": False, "mask_numbers": False}, {"fold_diacritics": True}):
            assert words(text, **options) == tokenize(text, **options).words
    assert words(None) == []
