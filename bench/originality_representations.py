"""What to compare: syllable shingles or character shingles of the folded text, side by side, per kind of copy.

    python -m bench.originality_representations [--markdown]

Every representation runs through the folder scan's own pipeline (`scan.scan_sets`: the
directive's shingles left out, LSH candidates, exact containment ≥ 0.5, shingles of more than two
unrelated texts left out) over the labelled quality corpus (quantriet/originality/tests/quality.py:
originals of the kinds members copy, honest essays on one directive sharing its outline, headings,
slogans and quotations, and copies of every kind), and is scored by `quality.measure`:

- per kind of copy, precision / recall; `honest_pairs`: pairs of two honest essays found (must be 0);
- `honest_max`: the highest exact containment between two honest essays (directive aside): how
  close the outline they share brings them to the 0.5 threshold;
- `unrelated_jaccard_p99`: the 99th percentile of the Jaccard similarity of unrelated texts, which
  sets how many false candidates LSH proposes (a band of 3 rows matches with probability J**3:
  the database candidates each essay's verdict reads at 150,000 essays).

One JSON line on stdout (with `--markdown`, the table of docs/originality.md instead).
"""

import argparse
import itertools
import time

from bench._common import emit

MASK_64 = 2**64 - 1


def representations() -> dict:
    """Name → function (text → set of shingle hashes): the engine's character shingles and the alternatives."""
    from quantriet.originality.compare import fingerprint
    from quantriet.originality.normalize import words
    from quantriet.originality.shingles import shingle_hashes

    def syllables(k, fold):
        return lambda text: set(shingle_hashes(words(text, fold_diacritics=fold), k))

    def characters(k, **options):
        return lambda text: fingerprint(text, k=k, **options).shingles()

    def spaced(k):
        """Character shingles of the folded syllables joined by single spaces (Python's string hash)."""

        def shingles(text):
            line = " ".join(words(text, fold_diacritics=True))
            return {hash(line[i : i + k]) & MASK_64 for i in range(len(line) - k + 1)}

        return shingles

    found = {"âm tiết k=4, có dấu (bộ máy cũ)": syllables(4, False)}
    found["âm tiết k=4, bỏ dấu"] = syllables(4, True)
    found["âm tiết k=3, bỏ dấu"] = syllables(3, True)
    for k in (5, 6, 7, 8, 10, 12):
        found[f"ký tự k={k}, bỏ dấu, bỏ cách"] = characters(k)
    found["ký tự k=8, bỏ dấu, bỏ cách, không che tên/số"] = characters(8, mask_names=False, mask_numbers=False)
    for k in (6, 8, 12):
        found[f"ký tự k={k}, bỏ dấu, giữ cách"] = spaced(k)
    return found


def measure(shingler) -> dict:
    from quantriet.originality.scan import scan_sets
    from quantriet.originality.tests import quality

    texts = quality.texts()
    reference = set().union(*(shingler(text) for text in quality.references()))
    sets = {name: shingler(text) - reference for name, text in texts.items()}
    result = quality.measure((p.a, p.b) for p in scan_sets(sets))
    row = {kind: {"precision": round(result[kind]["precision"], 3), "recall": round(result[kind]["recall"], 3)}
           for kind in (*quality.KINDS, "overall")}  # fmt: skip
    row["honest_pairs"] = result["honest_false_pairs"]
    honest = sorted(quality.honest())
    row["honest_max"] = round(
        max(len(sets[a] & sets[b]) / min(len(sets[a]), len(sets[b])) for a, b in itertools.combinations(honest, 2)), 3
    )
    related = set(quality.true_pairs()) | quality.related_pairs()
    unrelated = sorted(
        len(sets[a] & sets[b]) / len(sets[a] | sets[b])
        for a, b in itertools.combinations(sorted(quality.originals()) + honest, 2)
        if (a, b) not in related
    )
    row["unrelated_jaccard_p99"] = round(unrelated[int(0.99 * (len(unrelated) - 1))], 4)
    return row


def markdown(table: dict) -> str:
    from quantriet.originality.tests import quality

    kinds = (*quality.KINDS, "overall")
    lines = [
        "| biểu diễn | " + " | ".join(kinds) + " | cặp bài thật | thật max | J p99 |",
        "|" + "---|" * (len(kinds) + 4),
    ]
    for name, row in table.items():
        cells = [f"{row[kind]['precision']:.2f} / {row[kind]['recall']:.2f}" for kind in kinds]
        tail = [str(row["honest_pairs"]), f"{row['honest_max']:.2f}", f"{row['unrelated_jaccard_p99']:.3f}"]
        lines.append(f"| {name} | " + " | ".join(cells + tail) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the table of docs/originality.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    table = {name: measure(shingler) for name, shingler in representations().items()}
    if args.markdown:
        print(markdown(table))
        return
    emit({"bench": "originality_representations", "table": table, "seconds": round(time.perf_counter() - started, 1)})


if __name__ == "__main__":
    main()
