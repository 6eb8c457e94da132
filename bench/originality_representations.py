"""What to compare: syllable shingles or character shingles of the folded text, side by side, per kind of copy.

    python -m bench.originality_representations [--markdown]

The labelled essays of quantriet/originality/tests (corpus.py: honest essays on Chỉ thị 28 quoting
its headings, internet samples, copies reworded, reordered, shortened, names swapped) are given
disguises the way members' copies arrive: typed without diacritics (all or half of the words, or
all lower case as on a phone), words glued together (all or a third of the spaces lost, as out of
a PDF), both, and 15 % or 30 % of the words replaced (a heavier rewording than the corpus's own). For each KIND every text gets a disguised twin ("that-1…~khong-dau"), so the
set holds the originals and the twins; a pair is true when both sides come from the same text or
the same family of copies. Every representation runs through the folder scan's pipeline
(`scan.scan_sets`: reference shingles left out, LSH candidates, exact containment ≥ 0.5, frequent
shingles of unrelated texts left out), and the pairs involving a twin are counted:

- `precision`, `recall` per kind; `honest_pairs`: pairs of two different honest essays (should be 0);
- `honest_max`: the highest exact containment between two different honest essays of the plain
  corpus (boilerplate aside), and `copy_min`: the lowest between true pairs: the margin either side
  of the 0.5 threshold;
- `unrelated_jaccard_p99`: the 99th percentile of the Jaccard similarity of unrelated texts, which
  sets how many false candidates LSH proposes (a band of 3 rows matches with probability J**3).

One JSON line on stdout (with `--markdown`, the table of docs/originality.md instead).
"""

import argparse
import itertools
import json
import random
import re
import time
import unicodedata

from bench._common import emit

#: (name, how a text becomes its shingle set): the engine's character shingles and the alternatives.
KINDS = [
    "goc",
    "khong-dau",
    "khong-dau-mot-nua",
    "khong-dau-chu-thuong",
    "dinh-chu",
    "dinh-chu-mot-phan",
    "khong-dau-dinh-chu",
    "thay-15",
    "thay-30",
]
MASK_64 = 2**64 - 1
_WORD = re.compile(r"[^\W\d_]+")
_SPACE_BETWEEN_WORDS = re.compile(r"(?<=\w) (?=\w)")


def strip_accents(word: str) -> str:
    """WORD without diacritics, its case kept ("Đảng" → "Dang")."""
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def unaccented(text: str, share: float, rng: random.Random) -> str:
    return _WORD.sub(lambda m: strip_accents(m.group()) if rng.random() < share else m.group(), text)


def glued(text: str, share: float, rng: random.Random) -> str:
    return _SPACE_BETWEEN_WORDS.sub(lambda m: "" if rng.random() < share else " ", text)


def disguise(kind: str, text: str, rng: random.Random) -> str:
    if kind == "khong-dau":
        return unaccented(text, 1.0, rng)
    if kind == "khong-dau-mot-nua":
        return unaccented(text, 0.5, rng)
    if kind == "khong-dau-chu-thuong":
        return unaccented(text, 1.0, rng).lower()
    if kind == "dinh-chu":
        return glued(text, 1.0, rng)
    if kind == "dinh-chu-mot-phan":
        return glued(text, 0.3, rng)
    if kind == "khong-dau-dinh-chu":
        return glued(unaccented(text, 1.0, rng), 0.5, rng)
    if kind.startswith("thay-"):
        return replaced(text, int(kind[len("thay-") :]) / 100, rng)
    return text


def replaced(text: str, share: float, rng: random.Random) -> str:
    """SHARE of the lower-case words replaced by other words of the text (a heavy hand-rewording)."""
    vocabulary = sorted({m.group() for m in _WORD.finditer(text) if m.group().islower()})
    return _WORD.sub(lambda m: rng.choice(vocabulary) if m.group().islower() and rng.random() < share else m.group(), text)


def representations() -> dict:
    """Name → function (text → set of shingle hashes)."""
    from quantriet.originality.compare import fingerprint
    from quantriet.originality.normalize import words
    from quantriet.originality.shingles import shingle_hashes

    def syllables(k, fold):
        return lambda text: set(shingle_hashes(words(text, fold_diacritics=fold), k))

    def characters(k, **options):
        return lambda text: fingerprint(text, k=k, **options).shingles()

    def spaced(k):
        def shingles(text):
            line = " ".join(words(text, fold_diacritics=True))
            return {hash(line[i : i + k]) & MASK_64 for i in range(len(line) - k + 1)}

        return shingles

    found = {"âm tiết k=4 (có dấu, cũ)": syllables(4, False), "âm tiết k=4, bỏ dấu": syllables(4, True)}
    found["âm tiết k=3, bỏ dấu"] = syllables(3, True)
    for k in (5, 6, 7, 8, 10, 12):
        found[f"ký tự k={k}, bỏ dấu, bỏ cách"] = characters(k)
    found["ký tự k=8, không che tên/số"] = characters(8, mask_names=False, mask_numbers=False)
    for k in (8, 12, 16):
        found[f"ký tự k={k}, bỏ dấu, giữ cách"] = spaced(k)
    return found


def kind_set(kind: str) -> tuple[dict[str, str], dict[str, str]]:
    """The texts for KIND (originals and their disguised twins) and each text's base name."""
    from quantriet.originality.tests import corpus

    originals = corpus.texts()
    texts, base = dict(originals), {name: name for name in originals}
    if kind != "goc":
        rng = random.Random(f"{kind}-28")
        for name, text in originals.items():
            twin = f"{name}~{kind}"
            texts[twin], base[twin] = disguise(kind, text, rng), name
    return texts, base


def measure(shingler, kind: str) -> dict:
    from quantriet.originality.scan import scan_sets
    from quantriet.originality.tests import corpus

    texts, base = kind_set(kind)
    reference = shingler(corpus.read(corpus.REFERENCE_NAME))
    sets = {name: shingler(text) - reference for name, text in texts.items()}
    family = _families()
    truth = {
        pair
        for pair in itertools.combinations(sorted(texts), 2)
        if _counted(kind, pair) and family[base[pair[0]]] == family[base[pair[1]]]
    }
    found = {(p.a, p.b) for p in scan_sets(sets) if _counted(kind, (p.a, p.b))}
    true = len(found & truth)
    honest = sum(
        base[a] != base[b] and base[a].startswith("that-") and base[b].startswith("that-")
        and family[base[a]] != family[base[b]]
        for a, b in found
    )  # fmt: skip
    return {
        "precision": round(true / len(found), 3) if found else 1.0,
        "recall": round(true / len(truth), 3) if truth else 1.0,
        "honest_pairs": honest,
    }


def _counted(kind: str, pair: tuple[str, str]) -> bool:
    """Pairs counted for KIND: those with a disguised twin (every pair for the plain corpus)."""
    return kind == "goc" or any("~" in name for name in pair)


def _families() -> dict[str, int]:
    """Each text's family number: texts copied from each other share one."""
    from quantriet.originality.cluster import clusters
    from quantriet.originality.tests import corpus

    names = sorted(corpus.texts())
    groups = clusters(corpus.near_duplicates())
    number = {name: n for n, group in enumerate(groups) for name in group}
    return {name: number.get(name, len(groups) + i) for i, name in enumerate(names)}


def margins(shingler) -> dict:
    from quantriet.originality.compare import similarity
    from quantriet.originality.tests import corpus

    texts = corpus.texts()
    reference = shingler(corpus.read(corpus.REFERENCE_NAME))
    sets = {name: shingler(text) - reference for name, text in texts.items()}
    near = corpus.near_duplicates()
    honest, copies, unrelated = [], [], []
    for a, b in itertools.combinations(sorted(texts), 2):
        shared = len(sets[a] & sets[b])
        containment = shared / min(len(sets[a]), len(sets[b]))
        if (a, b) in near:
            copies.append(similarity(sets[a], sets[b]).containment)
        else:
            unrelated.append(shared / len(sets[a] | sets[b]))
            if a.startswith("that-") and b.startswith("that-"):
                honest.append(containment)
    unrelated.sort()
    return {
        "honest_max": round(max(honest), 3),
        "copy_min": round(min(copies), 3),
        "unrelated_jaccard_p99": round(unrelated[int(0.99 * (len(unrelated) - 1))], 4),
    }


def run() -> dict:
    table = {}
    for name, shingler in representations().items():
        row = {kind: measure(shingler, kind) for kind in KINDS}
        row.update(margins(shingler))
        table[name] = row
    return table


def markdown(table: dict) -> str:
    head = "| biểu diễn | " + " | ".join(KINDS) + " | cặp bài thật | thật max | chép min | J p99 |"
    lines = [head, "|" + "---|" * (len(KINDS) + 5)]
    for name, row in table.items():
        cells = [f"{row[kind]['precision']:.2f} / {row[kind]['recall']:.2f}" for kind in KINDS]
        honest = sum(row[kind]["honest_pairs"] for kind in KINDS)
        tail = [str(honest), f"{row['honest_max']:.2f}", f"{row['copy_min']:.2f}", f"{row['unrelated_jaccard_p99']:.3f}"]
        lines.append(f"| {name} | " + " | ".join(cells + tail) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the table of docs/originality.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    table = run()
    if args.markdown:
        print(markdown(table))
        return
    emit({"bench": "originality_representations", "table": table, "seconds": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()
