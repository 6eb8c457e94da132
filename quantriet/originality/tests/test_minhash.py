import itertools
import random

import pytest

from quantriet.originality.compare import fingerprint
from quantriet.originality.index import Index, Match
from quantriet.originality.minhash import NUM_PERM, LshParams, Sketch, sketch
from quantriet.originality.shingles import shingle_hashes

from . import corpus


def test_shingle_hashes_are_stable_64_bit_ints():
    words = "học tập quán triệt nghị quyết".split()
    hashes = shingle_hashes(words)
    assert len(hashes) == 3 and all(0 <= h < 2**64 for h in hashes)
    # Stored sketches depend on these values: they must be the same in every run and on every machine.
    assert hashes[0] == 0x5B73763E79D5C353
    assert shingle_hashes(words, k=2)[0] != hashes[0]
    assert shingle_hashes(["một", "hai"]) == []
    with pytest.raises(ValueError):
        shingle_hashes(words, k=9)


def exact_jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


def test_estimated_jaccard_follows_the_exact_one_on_the_essays():
    sets = {name: fingerprint(text).shingles() for name, text in corpus.texts().items()}
    errors = []
    for a, b in itertools.combinations(sorted(sets), 2):
        estimate = sketch(sets[a]).jaccard(sketch(sets[b]))
        errors.append(abs(estimate - exact_jaccard(sets[a], sets[b])))
    # One slot is a Bernoulli(J) draw: the standard error over 128 slots is at most 0.044.
    assert max(errors) < 0.15
    assert sum(errors) / len(errors) < 0.03


def test_estimate_on_random_sets_of_known_overlap():
    rng = random.Random(7)
    for target in (0.2, 0.5, 0.8):
        shared = {rng.getrandbits(64) for _ in range(int(1000 * target))}
        a = shared | {rng.getrandbits(64) for _ in range(500 - len(shared) // 2)}
        b = shared | {rng.getrandbits(64) for _ in range(500 - len(shared) // 2)}
        assert sketch(a).jaccard(sketch(b)) == pytest.approx(exact_jaccard(a, b), abs=0.12)


def test_sketch_of_a_short_text_is_densified_and_round_trips():
    few = set(shingle_hashes("tôi cam kết học tập đầy đủ".split()))
    small = sketch(few)
    assert len(small.signature) == NUM_PERM and small.size == 4
    assert small.jaccard(small) == 1.0
    assert Sketch.from_bytes(small.to_bytes(), small.size) == small
    assert len(small.to_bytes()) == 4 * NUM_PERM
    assert sketch(set()) is None


def test_containment_estimate_sees_a_shortened_copy_whole():
    words = corpus.read("mau-1-internet.txt").split()
    long = set(shingle_hashes(words))
    short = set(shingle_hashes(words[: len(words) // 3]))
    assert sketch(short).containment(sketch(long)) > 0.8
    assert sketch(short).jaccard(sketch(long)) < 0.5


def test_band_keys_and_parameters():
    params = LshParams()
    keys = params.band_keys(sketch({1, 2, 3}))
    assert len(keys) == params.bands == 42 and all(0 <= key < 2**60 for key in keys)
    assert len(set(keys)) == len(keys)
    assert params.probability(0.5) > 0.99 > params.probability(0.4) > 0.9 > params.probability(0.1)
    with pytest.raises(ValueError):
        LshParams(bands=50, rows=3)


def test_lsh_candidate_recall_matches_the_theory():
    """Pairs of random sets with Jaccard 0.4 share a band as often as 1 - (1 - J^r)^b predicts."""
    rng = random.Random(11)
    params = LshParams()
    index = Index(params)
    queries = []
    for number in range(300):
        shared = {rng.getrandbits(64) for _ in range(229)}  # 229 / (229 + 2 × 171) ≈ 0.40
        index.add(number, sketch(shared | {rng.getrandbits(64) for _ in range(171)}))
        queries.append(sketch(shared | {rng.getrandbits(64) for _ in range(171)}))
    found = sum(number in index.candidates(query) for number, query in enumerate(queries))
    assert found / len(queries) == pytest.approx(params.probability(0.4), abs=0.05)
    strangers = sum(len(index.candidates(query) - {number}) for number, query in enumerate(queries))
    assert strangers == 0


def test_index_add_query_and_replace():
    index = Index()
    prints = {name: fingerprint(corpus.read(name)) for name in ["mau-2-internet.txt", "that-5-hong-tram-y-te.txt"]}
    for name, fp in prints.items():
        index.add(name, fp.sketch())
    copy = fingerprint(corpus.read("chep-2a-doi-ten.txt")).sketch()
    [match] = index.query(copy)
    assert isinstance(match, Match) and match.key == "mau-2-internet.txt" and match.containment > 0.9
    assert index.query(prints["mau-2-internet.txt"].sketch(), exclude="mau-2-internet.txt") == []
    # Re-adding a key replaces its buckets: the old text is no longer found.
    index.add("mau-2-internet.txt", prints["that-5-hong-tram-y-te.txt"].sketch())
    assert index.query(copy) == []
    assert len(index.storage) == 2
