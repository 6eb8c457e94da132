import unicodedata

from quantriet.core.text import fold, nfc, vn_date


def test_fold_drops_diacritics_case_and_d():
    assert fold("Nghị quyết 28-CT/TU của Đảng") == "nghi quyet 28-ct/tu cua dang"
    assert fold("  ĐẢNG   BỘ  ") == "dang bo"
    assert fold(None) == ""


def test_fold_treats_nfc_and_nfd_alike():
    word = "Phường Thanh Đức"
    assert fold(unicodedata.normalize("NFD", word)) == fold(word) == "phuong thanh duc"
    assert nfc(unicodedata.normalize("NFD", word)) == word


def test_vn_date():
    import datetime

    assert vn_date(datetime.date(2022, 10, 19)) == "19/10/2022"
    assert vn_date(None) == ""
