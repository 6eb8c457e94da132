"""The engine measured on the quality corpus (see quality.py): every kind of copying found, honest essays apart.

The targets are the issue's: recall and precision at least 0.98 on copies of each kind, at the
scan's default threshold, and no two honest essays on the same directive paired. Each pair found
also says what kind of copying it is: the corpus's label for each true pair.
"""

import unicodedata

from quantriet.originality.scan import scan

from . import quality

TARGET = 0.98


def test_every_kind_of_copy_is_found_and_named_and_honest_essays_stay_apart():
    pairs = scan(quality.texts(), references=quality.references())
    result = quality.measure((pair.a, pair.b) for pair in pairs)
    assert not quality.short_of(result, TARGET) and result["honest_false_pairs"] == 0, "\n" + quality.table(result)
    misnamed = quality.misnamed({(pair.a, pair.b): pair.kind for pair in pairs})
    assert len(misnamed) <= (1 - TARGET) * len(quality.true_pairs()), misnamed


def test_the_corpus_is_well_formed():
    originals, honest, copies = quality.originals(), quality.honest(), quality.copies()
    assert len(originals) >= 40 and len(honest) >= 12
    names = [*originals, *honest, *copies]
    assert len(names) == len(set(names))
    texts = quality.texts()
    for name, entry in copies.items():
        assert entry["kind"] in quality.KINDS, name
        assert entry["sources"] and set(entry["sources"]) <= set(originals) | set(honest), name
        assert set(entry.get("from", [])) <= set(texts), name
        assert ("file" in entry) != ("steps" in entry), name
        assert "file" in entry or all(step in quality.STEPS for step in entry["steps"] if step != "splice"), name
        assert ("splice" in entry.get("steps", [])) == (entry["kind"] == "spliced" and "file" not in entry), name
    kinds = [entry["kind"] for entry in copies.values()]
    assert all(kinds.count(kind) >= 8 for kind in quality.KINDS), {kind: kinds.count(kind) for kind in quality.KINDS}
    assert sum("file" in entry for entry in copies.values() if entry["kind"] == "paraphrased") >= 15
    for name, text in {**texts, "reference": "".join(quality.references())}.items():
        assert unicodedata.is_normalized("NFC", text), name
    for name, text in {**originals, **honest}.items():
        assert 250 <= len(text.split()) <= 700, (name, len(text.split()))


def test_the_score_counts_true_related_and_false_pairs():
    truth = quality.true_pairs()
    (pair, kind), related = next(iter(truth.items())), next(iter(quality.related_pairs()))
    honest = sorted(quality.honest())[:2]
    result = quality.measure([pair, related, tuple(honest)])
    assert result[kind]["found"] == 1 and result[kind]["precision"] == 1.0
    assert result["overall"]["found"] == 1 and result["overall"]["precision"] == 0.5
    assert result["honest_false_pairs"] == 1
    everything = quality.measure(truth)
    assert all(everything[k]["recall"] == everything[k]["precision"] == 1.0 for k in (*quality.KINDS, "overall"))
