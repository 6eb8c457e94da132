import pytest

from quantriet.core.text import fold
from quantriet.originality import compare
from quantriet.originality.cluster import clusters
from quantriet.originality.compare import (
    MIN_SHARED,
    fingerprint,
    frequent_shingles,
    reference_share,
    reference_shares,
    reference_shingles,
    similarity,
)
from quantriet.originality.scan import REFERENCE_SHARE

from . import corpus

HEADING_QUOTERS = ["that-1-lan-long-duc.txt", "that-2-binh-truong-hoa-thuan.txt", "that-4-phet-khom-4.txt"]


def test_reference_boilerplate_separates_honest_essays_quoting_the_same_headings():
    a, b = (fingerprint(corpus.read(name)) for name in HEADING_QUOTERS[::2])
    raw = similarity(a.shingles(), b.shingles())
    assert raw.containment > 0.35  # the quoted headings alone make them look alike
    reference = reference_shingles([corpus.read(corpus.REFERENCE_NAME)])
    assert similarity(a.shingles(reference), b.shingles(reference)).containment < 0.1


def test_frequent_shingles_are_boilerplate():
    sets = [fingerprint(corpus.read(name)).shingles() for name in HEADING_QUOTERS]
    frequent = frequent_shingles(sets, max_documents=2)
    heading = set(fingerprint("tổ chức học tập, quán triệt chỉ thị, nghị quyết bằng các hình thức phù hợp").hashes)
    assert heading <= frequent
    assert all(len(s - frequent) > 0.5 * len(s) for s in sets)


def test_reference_share_flags_an_essay_copying_the_directive():
    reference = reference_shingles([corpus.read(corpus.REFERENCE_NAME)])
    assert reference_share(fingerprint(corpus.read("chep-nghi-quyet.txt")), reference) > 0.8
    assert reference_share(fingerprint(corpus.read("that-1-lan-long-duc.txt")), reference) < REFERENCE_SHARE
    assert reference_share(fingerprint(""), reference) == 0.0


@pytest.mark.parametrize("batch", [compare.SHARE_BATCH, 7], ids=["one-round", "rounds-of-7"])
def test_reference_shares_in_a_batch_equal_one_by_one(batch, monkeypatch):
    """The batched shares (the fidelity refresh's copied local sections) are exactly the single ones:
    copies, a copy without diacritics, one with other names, honest texts, empty texts, repeats."""
    names = [path.name for path in sorted(corpus.FOLDER.glob("*.txt"))]
    texts = [corpus.read(name) for name in names]
    plain = [fold(text) for text in texts[:3]]
    pool = [*texts, *plain, "", "Chi bộ ấp Bình Lợi 12 hộ", texts[0].replace("Chỉ thị", "Nghị quyết")]
    pairs = [(text, reference) for text in pool for reference in (texts[0], texts[5], pool[-1], "")]
    single = [reference_share(fingerprint(text), reference_shingles([reference])) for text, reference in pairs]
    monkeypatch.setattr(compare, "SHARE_BATCH", batch)
    assert reference_shares(pairs) == single
    assert any(share > 0.8 for share in single) and any(0 < share < 0.5 for share in single)


def test_similarity_needs_enough_shared_shingles():
    assert similarity(set(range(MIN_SHARED - 1)), set(range(MIN_SHARED - 1))).containment == 0.0
    full = similarity(set(range(100)), set(range(50, 250)))
    assert (full.shared, full.containment, round(full.jaccard, 3)) == (50, 0.5, 0.2)


def test_clusters_group_pairs_by_union_find():
    pairs = [("b", "c"), ("a", "b"), ("x", "y"), ("d", "c")]
    assert clusters(pairs) == [["a", "b", "c", "d"], ["x", "y"]]
    assert clusters([]) == []
