"""The labelled essays: files in corpus/ plus cheats derived from them here, and the true pairs.

Honest essays (that-*) on studying Chỉ thị 28 each have their own place, figures and plans; four
of them quote the same headings of the directive. Internet samples (mau-*) and hand-made cheats
(chep-*) copy them reworded, reordered, shortened, with names and places swapped, or copy the
directive itself. More cheats are derived below with the same moves, applied mechanically.
"""

import itertools
import re
from pathlib import Path

FOLDER = Path(__file__).parent / "corpus"
REFERENCE_NAME = "tham-chieu-chi-thi-28.txt"

#: Hand-made near-duplicate families: every pair inside a family is a near-duplicate.
FAMILIES = [
    ["mau-1-internet.txt", "chep-1a-doi-tu.txt", "chep-1b-dao-doan.txt", "chep-1c-rut-gon.txt"],
    ["mau-2-internet.txt", "chep-2a-doi-ten.txt", "chep-2b-tong-hop.txt"],
    ["that-1-lan-long-duc.txt", "chep-that-1.txt"],
]

SYNONYMS = {
    "nâng cao": "tăng cường",
    "thực hiện": "triển khai",
    "nhận thức": "hiểu biết",
    "bản thân tôi": "cá nhân tôi",
    "đồng thời": "bên cạnh đó",
    "tham gia": "tham dự",
    "cụ thể": "rõ ràng",
    "thường xuyên": "liên tục",
    "nhiệm vụ": "công việc",
    "chi bộ": "tổ chức",
    "đề xuất": "kiến nghị",
    "vận động": "động viên",
    "phấn đấu": "cố gắng",
    "tổ chức": "mở",
}

NAME_SWAPS = {
    "Trần Văn Bình": "Lý Hoàng Phúc",
    "Hòa Thuận": "Long Hữu",
    "Sóc Ruộng": "Tầm Phương",
    "Lê Minh Tâm": "Dương Quốc Khải",
    "Tân Hòa": "Phước Hưng",
    "Tân Thành": "Ô Tre",
    "Phạm Thị Hồng": "Châu Thị Kim Yến",
    "Đa Lộc": "Song Lộc",
    "Hương Phụ A": "Bãi Vàng",
    "Hương Phụ B": "Chợ Dưới",
    "Võ Văn Dũng": "Kiên Văn Thành",
    "Bến Có": "Sa Bình",
    "Cổ Chiên": "Hậu Giang",
}


def read(name: str) -> str:
    return (FOLDER / name).read_text(encoding="utf-8")


def reword(text: str) -> str:
    """Swap stock words for synonyms, as a member "editing" a downloaded essay does."""
    for word, synonym in SYNONYMS.items():
        text = re.sub(rf"\b{word}\b", synonym, text)
    return text


def swap_names(text: str) -> str:
    for name, other in NAME_SWAPS.items():
        text = text.replace(name, other)
    return text


def reorder(text: str) -> str:
    """The paragraphs in reverse order."""
    return "\n\n".join(reversed([p for p in text.split("\n") if p.strip()]))


def shorten(text: str) -> str:
    """Every other sentence dropped."""
    sentences = re.split(r"(?<=[.;])\s+", text)
    return " ".join(sentences[::2])


#: Derived cheat → (the essay it was made from, how).
DERIVED = {
    "chep-that-2-doi-tu.txt": ("that-2-binh-truong-hoa-thuan.txt", lambda t: swap_names(reword(t))),
    "chep-that-3-dao-doan.txt": ("that-3-tam-cong-an-tan-hoa.txt", lambda t: swap_names(reorder(t))),
    "chep-that-5-rut-gon.txt": ("that-5-hong-tram-y-te.txt", lambda t: shorten(reword(t))),
    "chep-that-6-tong-hop.txt": ("that-6-dung-hop-tac-xa.txt", lambda t: swap_names(shorten(reorder(reword(t))))),
    "chep-mau-3-doi-tu.txt": ("mau-3-internet-dai-hoi.txt", reword),
}


def texts() -> dict[str, str]:
    """Every essay, file name → text (the reference text excluded)."""
    found = {path.name: path.read_text(encoding="utf-8") for path in sorted(FOLDER.glob("*.txt"))}
    found.pop(REFERENCE_NAME)
    for name, (source, derive) in DERIVED.items():
        found[name] = derive(found[source])
    return found


def near_duplicates() -> set[tuple[str, str]]:
    """The true pairs, each sorted."""
    families = FAMILIES + [[source, name] for name, (source, _) in DERIVED.items()]
    return {tuple(sorted(pair)) for family in families for pair in itertools.combinations(family, 2)}


def labelled_pairs() -> dict[tuple[str, str], bool]:
    """Every pair of essays, sorted, → whether it is a near-duplicate."""
    near = near_duplicates()
    return {pair: pair in near for pair in itertools.combinations(sorted(texts()), 2)}
