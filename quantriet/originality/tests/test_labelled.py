"""Precision and recall of the folder scan on the labelled essays (see corpus.py)."""

import pytest

from quantriet.originality.scan import reference_copies, scan

from . import corpus


def measure(pairs, labels):
    found = {(p.a, p.b) for p in pairs}
    assert found <= set(labels)
    true = sum(labels[pair] for pair in found)
    return true / len(found), true / sum(labels.values())


@pytest.mark.parametrize("with_reference", [True, False], ids=["reference", "no-reference"])
def test_precision_and_recall_on_the_labelled_pairs(with_reference):
    labels = corpus.labelled_pairs()
    assert sum(labels.values()) == 15 and len(labels) == 210
    references = [corpus.read(corpus.REFERENCE_NAME)] if with_reference else []
    precision, recall = measure(scan(corpus.texts(), references=references), labels)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


def test_every_kind_of_cheat_is_found_and_honest_quoters_are_not_paired():
    pairs = {(p.a, p.b): p.similarity for p in scan(corpus.texts())}
    for pair in corpus.near_duplicates():
        assert pairs.get(pair, 0) >= 0.5, pair
    honest = sorted(name for name in corpus.texts() if name.startswith("that-"))
    assert not any(a in honest and b in honest for a, b in pairs)


def test_a_popular_sample_does_not_hide_its_copies():
    """Ten members copy one sample: its passages are frequent, but in one cluster only."""
    texts = corpus.texts()
    sample = texts["mau-1-internet.txt"]
    crowd = {f"chep-dong-{n:02}.txt": corpus.reword(sample).replace("Thứ", f"Ý {n}") for n in range(10)}
    pairs = scan({**texts, **crowd})
    copied = {name for p in pairs for name in (p.a, p.b) if name in crowd}
    assert copied == set(crowd)


def test_copies_of_the_directive_are_reported_apart():
    copies = reference_copies(corpus.texts(), [corpus.read(corpus.REFERENCE_NAME)])
    assert [name for name, _ in copies] == ["chep-nghi-quyet.txt"]
