"""The quality corpus: Vietnamese texts, their labelled copies of every kind, and the per-kind score.

Files live in quality/ (plain UTF-8, NFC):

- originals/: texts of the kinds members copy (bài thu hoạch on several directives and
  resolutions, bản cam kết tu dưỡng rèn luyện, kế hoạch and chương trình hành động of a cell,
  báo cáo, resolutions of a cell), each written independently;
- honest/: essays on ONE directive (Chỉ thị 28-CT/TU of Trà Vinh) written independently on the
  outline the district's guidance mandates: same headings, same slogans, same quotations of the
  directive, own situation and own commitments. No two of them may be paired;
- reference/: the directive itself (boilerplate every honest essay may quote);
- copies/: the paraphrases, written by hand as a member or a chatbot asked to "viết lại" writes
  them: sentences merged and split, paragraphs reordered, a third to a half of the syllables
  reworded. None is generated, so no synonym list exists here to leak into the engine.

manifest.json lists every copy: its name, its kind (one of KINDS), the texts it copies (its
sources), and either the file it was written in or the steps that make it, in order, from the
texts named in "from" (by default its sources). The steps are deterministic (seeded by the copy's
name) and defined here: light edits (names, places and figures swapped, a sentence dropped),
diacritics removed wholly or in part with a phone typist's typos and abbreviations, spaces lost as
in text pasted from a PDF, line breaks in odd places, passages spliced from several sources.

The engine must never import this module or read these files: they are the measure, not a
source of rules (no word list here may find its way into normalisation).

A true pair is a copy and each of its sources, labelled with the copy's kind. Two copies of the
same source are related: finding them is neither required nor counted against precision. Any
other pair found is false: it counts against the precision of the kind of every copy in it, and
against overall precision (pairs among originals and honest essays included).
"""

import itertools
import json
import random
import re
import unicodedata
import zlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent / "quality"
ORIGINALS = FOLDER / "originals"
HONEST = FOLDER / "honest"
MANIFEST = FOLDER / "manifest.json"

#: The kinds of copying measured apart: light edits only; without diacritics (wholly, or some
#: paragraphs and sentences), with typos; spaces lost (in runs or wholly), odd line breaks;
#: reworded by hand; passages of 2–3 sources; and two combinations.
KINDS = (
    "verbatim",
    "unaccented",
    "glued",
    "paraphrased",
    "spliced",
    "unaccented_glued",
    "paraphrased_unaccented",
)

# ---------------------------------------------------------------------------------------------
# Loading


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _folder_texts(folder: Path) -> dict[str, str]:
    return {path.name: _read(path) for path in sorted(folder.glob("*.txt"))}


@cache
def manifest() -> dict:
    return json.loads(_read(MANIFEST))


def originals() -> dict[str, str]:
    return _folder_texts(ORIGINALS)


def honest() -> dict[str, str]:
    return _folder_texts(HONEST)


def copies() -> dict[str, dict]:
    """Copy name → its manifest entry."""
    return {entry["name"]: entry for entry in manifest()["copies"]}


def references() -> list[str]:
    return [_read(FOLDER / name) for name in manifest()["references"]]


@cache
def _texts() -> dict[str, str]:
    found = {**originals(), **honest()}
    pending = dict(copies())
    while pending:  # a copy may be made from another copy (a paraphrase typed without diacritics)
        ready = [name for name, entry in pending.items() if all(s in found for s in _made_from(entry))]
        if not ready:
            raise ValueError(f"copies made from unknown texts: {sorted(pending)}")
        for name in ready:
            found[name] = make_copy(pending.pop(name), found)
    return found


def texts() -> dict[str, str]:
    """Every text of the corpus (the references aside), name → text."""
    return dict(_texts())


def _made_from(entry: dict) -> list[str]:
    return entry.get("from", entry["sources"])


def make_copy(entry: dict, known: dict[str, str]) -> str:
    """The text of the copy ENTRY: its hand-written file, or its steps applied to the texts it is made from."""
    if "file" in entry:
        return _read(FOLDER / entry["file"])
    rng = random.Random(zlib.crc32(entry["name"].encode()))
    made = [known[name] for name in _made_from(entry)]
    steps = entry["steps"]
    if steps[0] == "splice":
        text, steps = splice(made, rng), steps[1:]
    else:
        (text,) = made
    for step in steps:
        text = STEPS[step](text, rng)
    return unicodedata.normalize("NFC", text)


def copy_kind(name: str) -> str | None:
    entry = copies().get(name)
    return entry["kind"] if entry else None


def true_pairs() -> dict[tuple[str, str], str]:
    """Every copy with each of its sources, sorted, → the copy's kind."""
    entries = copies().items()
    return {tuple(sorted((name, source))): entry["kind"] for name, entry in entries for source in entry["sources"]}


def related_pairs() -> set[tuple[str, str]]:
    """Pairs of copies sharing a source: neither required nor false."""
    by_source: dict[str, list[str]] = {}
    for name, entry in copies().items():
        for source in entry["sources"]:
            by_source.setdefault(source, []).append(name)
    return {tuple(sorted(pair)) for names in by_source.values() for pair in itertools.combinations(names, 2)}


# ---------------------------------------------------------------------------------------------
# The score


def measure(found: Iterable[tuple[str, str]]) -> dict:
    """Recall and precision per kind of copy and overall for the pairs FOUND, and the honest pairs found.

    Per kind: recall = true pairs of the kind found / true pairs of the kind; precision = true pairs
    of the kind found / (those + false pairs involving a copy of the kind), 1.0 when nothing of the
    kind was found (recall says what was missed). Overall precision counts every false pair.
    """
    truth, related, known = true_pairs(), related_pairs(), set(_texts())
    honest_names = set(honest())
    found = {tuple(sorted(pair)) for pair in found}
    unknown = {name for pair in found for name in pair} - known
    if unknown:
        raise ValueError(f"pairs name texts outside the corpus: {sorted(unknown)}")
    hits = dict.fromkeys(KINDS, 0)
    false = dict.fromkeys(KINDS, 0)
    false_total, honest_false = 0, []
    for pair in sorted(found):
        if pair in truth:
            hits[truth[pair]] += 1
        elif pair not in related:
            false_total += 1
            for kind in {copy_kind(name) for name in pair} - {None}:
                false[kind] += 1
            if set(pair) <= honest_names:
                honest_false.append(pair)
    expected = dict.fromkeys(KINDS, 0)
    for kind in truth.values():
        expected[kind] += 1
    result = {kind: _score(hits[kind], false[kind], expected[kind]) for kind in KINDS}
    result["overall"] = _score(sum(hits.values()), false_total, len(truth))
    result["honest_false_pairs"] = len(honest_false)
    result["honest_pairs"] = honest_false
    return result


def short_of(result: dict, target: float) -> list[str]:
    """The kinds (and "overall") whose recall or precision in RESULT is below TARGET."""
    return [kind for kind in (*KINDS, "overall") if min(result[kind]["recall"], result[kind]["precision"]) < target]


def misnamed(found: dict[tuple[str, str], str]) -> list[tuple]:
    """The true pairs among FOUND (pair → kind of copying named) whose kind is not the copy's."""
    truth = true_pairs()
    return [(pair, truth[pair], kind) for pair, kind in found.items() if pair in truth and truth[pair] != kind]


def _score(hits: int, false: int, expected: int) -> dict:
    return {
        "recall": hits / expected if expected else 1.0,
        "precision": hits / (hits + false) if hits + false else 1.0,
        "found": hits,
        "expected": expected,
        "false": false,
    }


def table(result: dict) -> str:
    """The score as a plain-text table, one line per kind."""
    lines = [f"{'kind':<24}{'recall':>8}{'precision':>11}{'found':>7}{'expected':>10}{'false':>7}"]
    for kind in (*KINDS, "overall"):
        row = result[kind]
        lines.append(
            f"{kind:<24}{row['recall']:>8.3f}{row['precision']:>11.3f}{row['found']:>7}{row['expected']:>10}{row['false']:>7}"
        )
    lines.append(f"honest pairs found: {result['honest_false_pairs']} {result['honest_pairs']}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The steps that make copies (each takes the text and the copy's seeded random generator)

_LETTERS = "A-Za-zÀ-ỹĐđ"
_SURNAMES = (
    "Nguyễn Trần Lê Phạm Huỳnh Hoàng Phan Võ Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lý Thạch Kim Sơn Trương Châu Lâm "
    "Đoàn Tô Mai Trịnh Cao Lưu Triệu Thái Đinh Hà Tăng La Danh Lư Kiên"
).split()
_NEW_PEOPLE = [
    "Trịnh Văn Hậu",
    "Lâm Thị Bích Ngọc",
    "Sơn Thị Sa Ri",
    "Đặng Minh Khoa",
    "Tô Văn Nghĩa",
    "Cao Thị Thu Hà",
    "Kiên Văn Sóc",
    "Lưu Quốc Việt",
    "Phan Thị Mỹ Duyên",
    "Dương Văn Lợi",
    "Thạch Thị Chanh Đa",
    "Mai Văn Tuấn",
]
_NEW_PLACES = [
    "Bà Mi",
    "Giồng Lức",
    "Ô Đùng",
    "Cây Da",
    "Thanh Nguyên",
    "Sà Vần",
    "Vĩnh Hưng",
    "Tân Lập",
    "Phước An",
    "Kinh Xáng",
    "Rạch Cốc",
    "Đồng Cò",
]
_LATIN_RANGES = ((0x41, 0x5B), (0xC0, 0x250), (0x1E00, 0x1F00))
_UPPER = "".join(ch for lo, hi in _LATIN_RANGES for ch in map(chr, range(lo, hi)) if ch.isupper())
_CAPITALISED = rf"[{_UPPER}][{_LETTERS}]*"
#: Names nobody swaps: the leaders whose words every essay quotes.
_KEPT_NAMES = ("Hồ Chí Minh", "Võ Nguyên Giáp", "Tôn Đức Thắng", "Phạm Văn Đồng", "Nguyễn Phú Trọng")
_PERSON = re.compile(rf"\b(?!{'|'.join(_KEPT_NAMES)})(?:{'|'.join(_SURNAMES)})(?: {_CAPITALISED}){{1,3}}")
_PLACE = re.compile(
    rf"\b(?P<kind>ấp|xã|khóm|phường|thị trấn|huyện|Chi bộ ấp|Chi bộ khóm|Đảng bộ xã|Đảng bộ phường)"
    rf" (?P<name>{_CAPITALISED}(?: {_CAPITALISED})*)"
)
#: A figure of the author's situation ("27 đảng viên", "khoảng 46%"), not a date, a year or a
#: document's number ("Nghị quyết 57", "Trung ương 4", "Câu 2": after one of _NUMBERED).
_FIGURE = re.compile(r"(?<= )(?P<figure>[1-9]\d{0,2}(?:\.\d{3})*)(?P<percent>%?)(?=[ ,.;)]|$)", re.MULTILINE)
_NUMBERED = set("quyết thị luận định ương nghị số khóa thứ câu điều khoản tháng ngày năm lần kỳ phần mục".split())


def edit(text: str, rng: random.Random) -> str:
    """Light edits of a member passing a text off as theirs: names, places and figures swapped, a sentence dropped."""
    people, places = {}, {}
    text = _PERSON.sub(lambda m: people.setdefault(m.group(), rng.choice(_NEW_PEOPLE)), text)
    text = _PLACE.sub(lambda m: f"{m['kind']} {places.setdefault(m['name'], rng.choice(_NEW_PLACES))}", text)
    text = _FIGURE.sub(lambda m: _other_figure(m, rng), text)
    return _drop_a_sentence(text, rng)


def _other_figure(match: re.Match, rng: random.Random) -> str:
    figure, percent = match["figure"], match["percent"]
    before = match.string[max(0, match.start() - 12) : match.start()].split()
    value = int(figure.replace(".", ""))
    if 1900 <= value <= 2100 or not before or before[-1].lower() in _NUMBERED:
        return match.group()
    value = max(1, value + rng.choice([-1, 1]) * max(1, value // rng.randint(3, 8)))
    if percent:
        value = min(value, 99)
    return f"{value:,}".replace(",", ".") + percent


def _drop_a_sentence(text: str, rng: random.Random) -> str:
    paragraphs = text.split("\n")
    long = [i for i, p in enumerate(paragraphs) if i > 2 and len(_FULL_STOP.split(p)) > 2]
    if not long:
        return text
    i = rng.choice(long)
    sentences = _FULL_STOP.split(paragraphs[i])
    del sentences[rng.randrange(len(sentences))]
    paragraphs[i] = " ".join(sentences)
    return "\n".join(paragraphs)


_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")
_FULL_STOP = re.compile(r"(?<=[.!?])\s+")
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})


def unaccent(text: str, _rng: random.Random | None = None) -> str:
    """Every diacritic dropped, đ → d (as typed without a Vietnamese keyboard)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def unaccent_partly(text: str, rng: random.Random) -> str:
    """Some paragraphs, and some sentences of the others, without diacritics (a keyboard switched mid-way)."""
    paragraphs = text.split("\n")
    for i, paragraph in enumerate(paragraphs):
        if rng.random() < 0.45:
            paragraphs[i] = unaccent(paragraph)
        else:
            sentences = _SENTENCE_END.split(paragraph)
            paragraphs[i] = " ".join(unaccent(s) if rng.random() < 0.3 else s for s in sentences)
    return "\n".join(paragraphs)


_ABBREVIATIONS = {"khong": "ko", "duoc": "dc", "voi": "vs", "nguoi": "ng", "nhung": "nhg", "trong": "trg"}


def phone_typos(text: str, rng: random.Random) -> str:
    """A phone typist's slips: some common words abbreviated, a few letters swapped, dropped or doubled."""

    def slip(match: re.Match) -> str:
        word = match.group()
        if not word.isascii():  # typed with a Vietnamese keyboard, or pasted
            return word
        short = _ABBREVIATIONS.get(word)
        if short and rng.random() < 0.35:
            return short
        if len(word) < 4 or rng.random() >= 0.025:
            return word
        i = rng.randrange(1, len(word) - 1)
        how = rng.choice(("swap", "drop", "double"))
        if how == "swap":
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if how == "drop":
            return word[:i] + word[i + 1 :]
        return word[:i] + word[i] + word[i:]

    return re.sub(rf"[{_LETTERS}]+", slip, text)


def lowercase_some(text: str, rng: random.Random) -> str:
    """Some paragraphs typed all in lower case."""
    return "\n".join(p.lower() if rng.random() < 0.4 else p for p in text.split("\n"))


def glue_partly(text: str, rng: random.Random) -> str:
    """Spaces lost in runs here and there, over about half the paragraphs (a PDF's text layer)."""
    out = []
    for paragraph in text.split("\n"):
        if rng.random() < 0.4:
            out.append(paragraph)
            continue
        words, glued = paragraph.split(" "), []
        for word in words:
            if glued and rng.random() < 0.55:
                glued[-1] += word
            else:
                glued.append(word)
        out.append(" ".join(glued))
    return "\n".join(out)


def glue_all(text: str, _rng: random.Random | None = None) -> str:
    """Every space lost, the line breaks kept."""
    return "\n".join(line.replace(" ", "") for line in text.split("\n"))


def odd_breaks(text: str, rng: random.Random) -> str:
    """Paragraphs run together and broken into lines of a PDF column's width, wherever the width falls."""
    flat = " ".join(p.strip() for p in text.split("\n") if p.strip())
    lines, start = [], 0
    while start < len(flat):
        end = start + rng.randint(48, 78)
        lines.append(flat[start:end].strip(" "))
        start = end
    return "\n".join(lines)


def splice(texts: list[str], rng: random.Random) -> str:
    """One text made of consecutive passages of TEXTS, each about 1/N of its source's words, in order.

    The first source gives its opening (header included), the i-th the passage starting i/N of the
    way through it; the whole then gets the light edits of `edit`.
    """
    parts, share = [], len(texts)
    for i, text in enumerate(texts):
        paragraphs = [p for p in text.split("\n") if p.strip()]
        sizes = [len(p.split()) for p in paragraphs]
        total, passed, start = sum(sizes), 0, 0
        while start < len(paragraphs) - 1 and passed + sizes[start] <= i * total / share:
            passed += sizes[start]
            start += 1
        end, taken = start, 0
        while end < len(paragraphs) and (taken < total / share or end == start):
            taken += sizes[end]
            end += 1
        parts.extend(paragraphs[start:end])
    return edit("\n".join(parts), rng)


STEPS = {
    "edit": edit,
    "unaccent": unaccent,
    "unaccent_partly": unaccent_partly,
    "phone_typos": phone_typos,
    "lowercase_some": lowercase_some,
    "glue_partly": glue_partly,
    "glue_all": glue_all,
    "odd_breaks": odd_breaks,
}
