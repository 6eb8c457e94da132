"""`bulk`: many texts sketched at once (here or on worker processes), pairs found among the sketches."""

import numpy as np

from quantriet.originality import bulk
from quantriet.originality.compare import fingerprint, reference_share, reference_shingles
from quantriet.originality.generic import generic_report
from quantriet.originality.index import Index
from quantriet.originality.minhash import LshParams

from . import corpus

#: The bar of these tests: a containment estimated at 0.25.
BAR = 0.25


def texts():
    return [*corpus.texts().values(), "", "Quá ngắn."]


def test_print_many_gives_what_each_fingerprint_gives():
    reference = reference_shingles([corpus.read(corpus.REFERENCE_NAME)])
    printed = bulk.print_many(texts(), reference, processes=1)
    assert len(printed) == len(texts())
    for i, text in enumerate(texts()):
        found = fingerprint(text)
        assert printed.sketch(i) == found.sketch(reference) and printed.whole(i) == found.sketch(), i
        assert printed.reference_shares[i] == reference_share(found, reference)
        assert printed.generic[i] == generic_report(text)
    assert printed.sketch(len(texts()) - 1) is None


def test_worker_processes_give_the_same_as_one(monkeypatch):
    reference = reference_shingles([corpus.read(corpus.REFERENCE_NAME)])
    monkeypatch.setattr(bulk, "PARALLEL_FROM", 0)
    monkeypatch.setattr(bulk, "CHUNK", 7)
    chunks = list(bulk.print_chunks(texts(), reference, processes=2))
    assert [len(chunk) for chunk in chunks[:-1]] == [7] * (len(chunks) - 1) and len(chunks) == -(-len(texts()) // 7)
    parallel = bulk.joined(chunks)
    alone = bulk.print_many(texts(), reference, processes=1)
    for name in ("signatures", "sizes", "whole_signatures", "whole_sizes", "reference_shares"):
        assert np.array_equal(getattr(parallel, name), getattr(alone, name)), name
    assert parallel.generic == alone.generic


def test_candidate_pairs_are_those_an_index_proposes():
    params = LshParams()
    many = texts() + [corpus.read("mau-1-internet.txt")] * 3  # a bucket of four equal texts
    printed = bulk.print_many(many, processes=1)
    pairs = bulk.candidate_pairs(bulk.band_keys_of(printed.signatures, printed.sizes, params))
    index, expected = Index(params), set()
    for i in range(len(many)):
        if (found := printed.sketch(i)) is not None:
            expected |= {(j, i) for j in index.candidates(found)}
            index.add(i, found)
    assert {tuple(pair) for pair in pairs.tolist()} == expected
    likely = {tuple(pair) for pair in bulk.likely_pairs(printed.signatures, printed.sizes, pairs, BAR).tolist()}
    names = list(corpus.texts())
    sample, copy = names.index("mau-2-internet.txt"), names.index("chep-2a-doi-ten.txt")
    assert tuple(sorted((sample, copy))) in likely and likely <= expected
    for a, b in likely:
        assert printed.sketch(a).containment(printed.sketch(b)) >= BAR


def test_likely_pairs_drop_candidates_estimated_below_the_bar():
    signatures = np.arange(4 * 128, dtype=np.uint32).reshape(4, 128)
    signatures[1, :10] = signatures[0, :10]  # J ≈ 0.08: containment estimated at 0.14
    signatures[2, :60] = signatures[0, :60]  # J ≈ 0.47: 0.64
    signatures[3, :10] = signatures[0, :10]  # J ≈ 0.08, but 3 is ten times smaller: 0.78
    sizes = np.array([1000, 1000, 1000, 100])
    pairs = np.array([[0, 1], [0, 2], [0, 3]])
    assert bulk.likely_pairs(signatures, sizes, pairs, BAR).tolist() == [[0, 2], [0, 3]]
    assert bulk.likely_pairs(signatures, sizes, pairs, 0.1).tolist() == [[0, 1], [0, 2], [0, 3]]


def test_likely_across_compares_every_row_with_every_other_row(monkeypatch):
    monkeypatch.setattr(bulk, "_PAIR_BLOCK", 3)  # several blocks
    ours = np.arange(4 * 128, dtype=np.uint32).reshape(4, 128)
    theirs = np.arange(10_000, 10_000 + 2 * 128, dtype=np.uint32).reshape(2, 128)
    ours[1, :60] = theirs[0, :60]  # J ≈ 0.47
    ours[3, :] = theirs[1, :]  # the same text
    sizes, their_sizes = np.array([1000, 1000, 0, 1000]), np.array([1000, 1000])
    ours[2, :] = theirs[1, :]  # size 0: no sketch, matches nothing
    found = bulk.likely_across(ours, sizes, theirs, their_sizes, BAR)
    assert sorted(map(tuple, found.tolist())) == [(1, 0), (3, 1)]
    assert bulk.likely_across(ours, sizes, theirs[:0], their_sizes[:0], BAR).shape == (0, 2)


def test_sketch_texts_and_add_many_index_as_one_by_one():
    many = texts()
    signatures, sizes = bulk.sketch_texts(many)
    together, alone = Index(), Index()
    together.add_many(range(len(many)), signatures, sizes)
    for i, text in enumerate(many):
        if (found := fingerprint(text).sketch()) is not None:
            alone.add(i, found)
    assert len(together.storage) == len(alone.storage) == len(many) - 2  # "" and "Quá ngắn." have no 8-gram
    for i, text in enumerate(many[:-2]):
        found = fingerprint(text).sketch()
        assert together.candidates(found) == alone.candidates(found), i
