"""`DatabaseStorage.put_many`: the same tables and the same candidates as `put` one text at a time."""

import pytest
from django.db import connection

from quantriet.originality.compare import fingerprint
from quantriet.originality.db import DatabaseStorage
from quantriet.originality.index import Index
from quantriet.originality.minhash import LshParams
from quantriet.originality.models import OriginalityBand, OriginalitySignature

from . import corpus

pytestmark = pytest.mark.django_db

NAMES = sorted(path.name for path in corpus.FOLDER.glob("*.txt") if path.name != corpus.REFERENCE_NAME)
PARAMS = LshParams()


def sketches():
    return {("essay", number): fingerprint(corpus.read(name)).sketch() for number, name in enumerate(NAMES, 1)}


def items(found):
    return [(key, sketch, PARAMS.band_keys(sketch)) for key, sketch in found.items()]


def tables():
    """Every signature and band row, by key (ids aside)."""
    signatures = {
        (row.doc_type, row.doc_id): (bytes(row.sketch), row.size, row.scope)
        for row in OriginalitySignature.objects.all()
    }
    bands = sorted(OriginalityBand.objects.values_list("signature__doc_type", "signature__doc_id", "band", "key"))
    return signatures, bands


def candidates_of(found, scope):
    index = Index(PARAMS, DatabaseStorage(scope))
    return {key: index.candidates(sketch) for key, sketch in found.items()}


def test_put_many_equals_put_one_by_one():
    found = sketches()
    for key, sketch in found.items():
        Index(PARAMS, DatabaseStorage("plan:1")).add(key, sketch)
    one_by_one, candidates_one = tables(), candidates_of(found, "plan:1")
    OriginalitySignature.objects.all().delete()

    assert DatabaseStorage("plan:1").put_many(items(found), chunk=5) == len(found)
    assert tables() == one_by_one
    assert candidates_of(found, "plan:1") == candidates_one
    assert len(one_by_one[1]) == len(found) * PARAMS.bands
    # The families of copies find each other.
    first, copy = NAMES.index("mau-1-internet.txt") + 1, NAMES.index("chep-1a-doi-tu.txt") + 1
    assert ("essay", copy) in candidates_one[("essay", first)]


def test_put_many_replaces_what_keys_had_and_keeps_the_last_of_a_repeated_key():
    found = sketches()
    storage = DatabaseStorage("plan:1")
    storage.put_many(items(found))
    other, before = found[("essay", 2)], found[("essay", 3)]
    twice = [(("essay", 1), before, PARAMS.band_keys(before)), (("essay", 1), other, PARAMS.band_keys(other))]
    for chunk in (1, 10):
        storage.put_many(twice, chunk=chunk)
    row = OriginalitySignature.objects.get(doc_type="essay", doc_id=1)
    assert bytes(row.sketch) == other.to_bytes() and row.bands.count() == PARAMS.bands
    assert OriginalitySignature.objects.count() == len(found)
    assert OriginalityBand.objects.count() == len(found) * PARAMS.bands
    assert ("essay", 1) in Index(PARAMS, storage).candidates(other)


def test_put_many_writes_its_scope_and_a_scoped_query_stays_in_it():
    found = sketches()
    DatabaseStorage("plan:1").put_many(items(found))
    sample = {("sample", 1): found[("essay", 1)]}
    DatabaseStorage("samples").put_many(items(sample))
    assert set(OriginalitySignature.objects.values_list("scope", flat=True)) == {"plan:1", "samples"}
    assert ("sample", 1) not in Index(PARAMS, DatabaseStorage("plan:1")).candidates(found[("essay", 1)])
    assert Index(PARAMS, DatabaseStorage("samples")).candidates(found[("essay", 1)]) == {("sample", 1)}
    assert DatabaseStorage().put_many([]) == 0


def test_a_text_with_thousands_of_candidates_is_answered():
    """A query's sketches are read per doc_type with IN lists: no expression too deep for SQLite."""
    text = sketches()[("essay", 1)]
    DatabaseStorage("plan:1").put_many((("essay", n), text, PARAMS.band_keys(text)) for n in range(1, 2501))
    matches = Index(PARAMS, DatabaseStorage("plan:1")).query(text, exclude=("essay", 1))
    assert len(matches) == 2499 and {m.jaccard for m in matches} == {1.0}


def explain(rows=None, sql=None, params=None) -> str:
    if rows is not None:
        sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        else:
            # A tiny test table would be scanned whatever its indexes: ask which index PostgreSQL can use.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def test_the_candidate_query_reads_the_band_key_index():
    """The query plan: band rows through (band, key), then signatures by primary key, scoped."""
    found = sketches()
    storage = DatabaseStorage("plan:1")
    storage.put_many(items(found))
    DatabaseStorage("samples").put_many(items({("sample", n): s for (_, n), s in found.items()}))
    band_keys = PARAMS.band_keys(found[("essay", 1)])
    params = [value for band, band_key in enumerate(band_keys) for value in (band, band_key)]
    bands = explain(sql=storage.band_sql(len(band_keys)), params=params)
    assert "originality_band_key" in bands and "SCAN originality" not in bands and "Seq Scan" not in bands, bands
    ids = storage.band_rows(band_keys)
    assert len(ids) >= 2  # the essay and the sample with the same text
    signatures = explain(storage.signature_rows(ids))
    # One lookup per id: by primary key, or by (scope, rowid) (every SQLite index ends with the rowid).
    assert any(hint in signatures for hint in ("PRIMARY KEY", "rowid=?", "_pkey", "Index")), signatures
    assert "SCAN originality" not in signatures and "Seq Scan" not in signatures, signatures
    found_keys = storage.candidates(band_keys)
    assert ("essay", 1) in found_keys and {doc_type for doc_type, _ in found_keys} == {"essay"}
