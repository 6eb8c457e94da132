"""The matching stream: folded letters without spaces, masks, spans, character shingles."""

import re
import unicodedata

import numpy as np
import pytest

from quantriet.originality.compare import fingerprint
from quantriet.originality.normalize import (
    _CLASSES,
    SYMBOL_NAME,
    SYMBOL_NUMBER,
    UPPERCASE,
    _coded,
    _name_spans,
    _number_spans,
    batch_symbols,
    symbols,
)
from quantriet.originality.shingles import char_shingle_hashes

from . import corpus


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_unaccented_glued_and_decomposed_texts_give_the_same_stream():
    text = "Nghị quyết của Đảng, học tập và làm theo: 31 đảng viên ở ấp Phú Thọ!"
    same = [
        strip_accents(text),
        strip_accents(text).lower().replace("phu tho", "Phu Tho"),
        text.replace("quyết của", "quyếtcủa").replace(", học tập và", ",họctậpvà"),
        unicodedata.normalize("NFD", text),
    ]
    expected = symbols(text)
    assert list(expected).count(SYMBOL_NAME) == 1 and list(expected).count(SYMBOL_NUMBER) == 1
    for other in same:
        assert np.array_equal(symbols(other), expected), other
    # Glued names are not masked (a glued run is no syllable): the rest is the same.
    glued = symbols(text.replace(" ", ""))
    assert np.array_equal(glued[: len(expected) - 1], expected[:-1]) and SYMBOL_NAME not in glued


def test_masks_stand_on_the_first_character_of_what_they_cover():
    text = "Tôi là Nguyễn Văn An, có 1.250 hộ; Nghịquyếtcủa Đảng."
    codes = _coded(text, True, True)
    assert codes[text.index("Nguyễn")] == SYMBOL_NAME and not codes[text.index("Văn") : text.index(",")].any()
    assert codes[text.index("1.250")] == SYMBOL_NUMBER and not codes[text.index(".250") : text.index(" hộ")].any()
    # A glued run is longer than a syllable: not a name ("Nghịquyếtcủa Đảng" stays letters).
    assert SYMBOL_NAME not in codes[text.index("Nghị") :] and codes[text.index("Đảng")] == 4  # "d"
    assert np.array_equal(symbols(unicodedata.normalize("NFD", text)), codes[codes != 0])


def _regex_masks(text: str) -> list[tuple[int, int, str]]:
    """The masks as a regular expression finds them (what the array operations must agree with)."""
    syllable = rf"[{UPPERCASE}][^\W\d_]{{0,6}}(?![^\W\d_])"
    pattern = re.compile(rf"(?P<name>{syllable}(?:[ \t\u00a0]+{syllable})+)|(?P<number>[0-9]+(?:[.,:/-][0-9]+)*)")
    return [(m.start(), m.end(), m.lastgroup) for m in pattern.finditer(text)]


@pytest.mark.parametrize("extra", ["", "A B", "1..2 3.4.5 x9/10 -7-", "ABCDEFGH Ij Kl", "củaĐảng Cộng Sản Hồ Chí Minh"])
def test_array_masks_agree_with_the_regular_expression(extra):
    for text in [*corpus.texts().values(), extra]:
        classes = _CLASSES[np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)]
        names, numbers = _name_spans(classes), _number_spans(classes)
        found = [(s, e, "name") for s, e in zip(*names, strict=True)]
        found += [(s, e, "number") for s, e in zip(*numbers, strict=True)]
        assert sorted((int(s), int(e), kind) for s, e, kind in found) == _regex_masks(text)


def test_a_batch_gives_each_text_its_own_symbols():
    texts = [*list(corpus.texts().values())[:5], "", "Ấp 3", "ĐẢNG VIÊN"]
    joined, offsets = batch_symbols(texts)
    assert len(offsets) == len(texts) + 1
    for i, text in enumerate(texts):
        assert np.array_equal(joined[offsets[i] : offsets[i + 1]], symbols(text)), i
    hashes, hash_offsets = char_shingle_hashes(joined, 8, offsets)
    for i, text in enumerate(texts):
        assert np.array_equal(hashes[hash_offsets[i] : hash_offsets[i + 1]], char_shingle_hashes(symbols(text), 8)), i


def test_character_shingles_are_stable_exact_packings():
    hashes = char_shingle_hashes(symbols("học tập quán triệt"), 8)
    assert len(hashes) == len("hoctapquantriet") - 8 + 1 and hashes.dtype == np.uint64
    # Stored sketches depend on these values: they must be the same in every run and on every machine.
    assert int(hashes[0]) == int(fingerprint("Học  tập, quán triệt").hashes[0])
    assert int(hashes[0]) == 0x588EED9D6954C9ED
    assert len(set(hashes.tolist())) == len(hashes)
    assert len(char_shingle_hashes(symbols("ngắn"), 8)) == 0
    with pytest.raises(ValueError):
        char_shingle_hashes(symbols("học tập"), 13)
