import pytest

from quantriet.originality.compare import fingerprint
from quantriet.originality.db import DatabaseStorage
from quantriet.originality.index import Index
from quantriet.originality.models import OriginalityBand, OriginalitySignature

from . import corpus

pytestmark = pytest.mark.django_db


def test_add_then_query_through_the_tables():
    index = Index(storage=DatabaseStorage())
    for number, name in enumerate(["mau-1-internet.txt", "mau-2-internet.txt", "that-3-tam-cong-an-tan-hoa.txt"], 1):
        index.add(("sample", number), fingerprint(corpus.read(name)).sketch())
    assert OriginalitySignature.objects.count() == 3
    assert OriginalityBand.objects.count() == 3 * index.params.bands

    submitted = fingerprint(corpus.read("chep-2a-doi-ten.txt")).sketch()
    [match] = index.query(submitted)
    assert match.key == ("sample", 2) and match.containment > 0.9
    assert index.query(fingerprint(corpus.read("that-5-hong-tram-y-te.txt")).sketch()) == []


def test_a_resubmitted_text_replaces_its_sketch_and_bands():
    index = Index(storage=DatabaseStorage())
    index.add(("essay", 7), fingerprint(corpus.read("mau-1-internet.txt")).sketch())
    index.add(("essay", 7), fingerprint(corpus.read("that-6-dung-hop-tac-xa.txt")).sketch())
    row = OriginalitySignature.objects.get(doc_type="essay", doc_id=7)
    assert row.bands.count() == index.params.bands
    assert index.query(fingerprint(corpus.read("chep-1c-rut-gon.txt")).sketch()) == []
    [match] = index.query(fingerprint(corpus.read("that-6-dung-hop-tac-xa.txt")).sketch())
    assert match.key == ("essay", 7) and match.jaccard == 1.0
    assert DatabaseStorage().sketches([]) == {}


def test_a_scoped_storage_finds_candidates_in_its_scope_only():
    text = fingerprint(corpus.read("mau-1-internet.txt")).sketch()
    Index(storage=DatabaseStorage("plan:1")).add(("essay", 1), text)
    Index(storage=DatabaseStorage("plan:2")).add(("essay", 2), text)
    assert OriginalitySignature.objects.get(doc_id=1).scope == "plan:1"
    assert [m.key for m in Index(storage=DatabaseStorage("plan:2")).query(text)] == [("essay", 2)]
    assert {m.key for m in Index(storage=DatabaseStorage()).query(text)} == {("essay", 1), ("essay", 2)}
    DatabaseStorage().remove(("essay", 2))
    assert Index(storage=DatabaseStorage("plan:2")).query(text) == []


def test_nearest_puts_the_texts_sharing_the_most_bands_first_within_the_scope():
    storage = DatabaseStorage("plan:1")
    index = Index(storage=storage)
    original = fingerprint(corpus.read("mau-2-internet.txt")).sketch()
    index.add(("essay", 1), original)  # the very text
    index.add(("essay", 2), fingerprint(corpus.read("chep-2a-doi-ten.txt")).sketch())  # a copy, names changed
    index.add(("essay", 3), fingerprint(corpus.read("that-5-hong-tram-y-te.txt")).sketch())  # another essay
    Index(storage=DatabaseStorage("plan:2")).add(("essay", 4), original)  # the same text, another scope
    band_keys = index.params.band_keys(original)
    assert storage.nearest(band_keys, 1) == [("essay", 1)]
    assert storage.nearest(band_keys, 10)[:2] == [("essay", 1), ("essay", 2)]
    assert ("essay", 4) not in storage.nearest(band_keys, 10)
