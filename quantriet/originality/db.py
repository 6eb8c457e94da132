"""The database storage of an `index.Index`: sketches and band keys in the originality tables.

Keys are (doc_type, doc_id) pairs. `put` replaces what the key had (a resubmitted essay), in one
transaction; `put_many` does the same for many keys at once with bulk inserts (a rescan, a load).
Candidates are two indexed reads: the band rows matching any (band, key) through the (band, key)
index, then their signature rows by primary key; `sketches` reads the unique (doc_type, doc_id)
index. A storage made with a SCOPE writes that scope on what it puts and finds candidates in it only:
the scope is checked on the signature rows of the second read. Band keys are 60-bit hashes, so band
rows of other scopes only come back for texts that really share a band; a (scope, band, key) index
would cost a copy of the scope in each of the 42 band rows of every text for little.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from itertools import islice

from django.db import connection, transaction

from .minhash import Sketch
from .models import OriginalityBand, OriginalitySignature

#: Texts per round of `put_many`: one delete of what they had, one bulk insert of signatures, one of
#: their 42 band rows each.
PUT_MANY_CHUNK = 2000
#: Band rows per executemany; signature rows per INSERT of bulk_create (Django lowers it to SQLite's
#: 999 parameters per statement there; PostgreSQL takes 1000 rows × 6 columns in one).
BAND_BATCH = 20_000
SIGNATURE_BATCH = 1000


#: The SQLite page cache (KiB) while band rows are inserted in bulk.
SQLITE_BULK_CACHE_KIB = 256 * 1024


@contextmanager
def _sqlite_cache(cursor):
    if connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA cache_size")
    (before,) = cursor.fetchone()
    cursor.execute(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(before)}")


class DatabaseStorage:
    def __init__(self, scope: str | None = None):
        self.scope = scope

    def put(self, key: tuple[str, int], sketch: Sketch, band_keys: list[int]):
        doc_type, doc_id = key
        with transaction.atomic():
            row, created = OriginalitySignature.objects.update_or_create(
                doc_type=doc_type,
                doc_id=doc_id,
                defaults={"sketch": sketch.to_bytes(), "size": sketch.size, "scope": self.scope or ""},
            )
            if not created:
                row.bands.all().delete()
            OriginalityBand.objects.bulk_create(
                OriginalityBand(signature=row, band=band, key=band_key) for band, band_key in enumerate(band_keys)
            )

    def put_many(self, items: Iterable[tuple[tuple[str, int], Sketch, list[int]]], chunk: int = PUT_MANY_CHUNK) -> int:
        """`put` for every (key, sketch, band_keys) of ITEMS, with bulk inserts; the number of texts put.

        The same rows as putting them one by one (a key given twice keeps its last sketch), in
        rounds of CHUNK texts: what the keys had is deleted, then their signatures and band rows
        are inserted. The whole is one transaction.
        """
        total = 0
        items = iter(items)
        with transaction.atomic():
            while batch := list(islice(items, chunk)):
                latest = {key: (sketch, band_keys) for key, sketch, band_keys in batch}
                self._delete(latest)
                rows = OriginalitySignature.objects.bulk_create(
                    [
                        OriginalitySignature(
                            doc_type=doc_type,
                            doc_id=doc_id,
                            sketch=sketch.to_bytes(),
                            size=sketch.size,
                            scope=self.scope or "",
                        )
                        for (doc_type, doc_id), (sketch, _) in latest.items()
                    ],
                    batch_size=SIGNATURE_BATCH,
                )
                ids = self._ids(latest, rows)
                self._insert_bands(
                    (ids[key], band, band_key)
                    for key, (_, band_keys) in latest.items()
                    for band, band_key in enumerate(band_keys)
                )
                total += len(latest)
        return total

    @staticmethod
    def _insert_bands(rows):
        """Insert (signature_id, band, key) ROWS: COPY on PostgreSQL, else executemany, BAND_BATCH rows per round.

        Band rows are three integers: bulk_create would build a model instance and prepare three
        values per row in Python (18,000 rows/s on SQLite); executemany of one prepared INSERT
        takes them as tuples (10× faster), and PostgreSQL's COPY streams them (faster still). On
        SQLite the page cache is raised to SQLITE_BULK_CACHE_KIB meanwhile: each row goes into
        the (band, key) index at a random place, and with the default 2 MB cache most of those
        places are read again from the file (the rate nearly doubles; the cache is given back).
        """
        meta = OriginalityBand._meta
        quote = connection.ops.quote_name
        columns = ", ".join(quote(meta.get_field(name).column) for name in ("signature", "band", "key"))
        table = quote(meta.db_table)
        rows = iter(rows)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s)"  # noqa: S608 (quoted model names)
            with _sqlite_cache(cursor):
                while batch := list(islice(rows, BAND_BATCH)):
                    cursor.executemany(sql, batch)

    @staticmethod
    def _delete(keys):
        by_type = {}
        for doc_type, doc_id in keys:
            by_type.setdefault(doc_type, []).append(doc_id)
        for doc_type, doc_ids in by_type.items():
            held = OriginalitySignature.objects.filter(doc_type=doc_type, doc_id__in=doc_ids)
            ids = list(held.values_list("pk", flat=True))
            if ids:
                OriginalityBand.objects.filter(signature_id__in=ids).delete()
                OriginalitySignature.objects.filter(pk__in=ids).delete()

    @staticmethod
    def _ids(keys, rows) -> dict[tuple[str, int], int]:
        """The primary keys of the signature rows just inserted (read back where the insert returned none)."""
        if all(row.pk is not None for row in rows):
            return {(row.doc_type, row.doc_id): row.pk for row in rows}
        ids = {}
        by_type = {}
        for doc_type, doc_id in keys:
            by_type.setdefault(doc_type, []).append(doc_id)
        for doc_type, doc_ids in by_type.items():
            held = OriginalitySignature.objects.filter(doc_type=doc_type, doc_id__in=doc_ids)
            ids.update({(doc_type, doc_id): pk for pk, doc_id in held.values_list("pk", "doc_id")})
        return ids

    @staticmethod
    def band_sql(bands: int) -> str:
        """The first read of `candidates` for BANDS band keys: ids of the signatures with a matching band row.

        A query of the band table alone, so that it can only go through the (band, key) index: joined
        to the signatures and filtered by scope, SQLite (without statistics) drives the join from the
        scope index instead and reads every signature of the scope. Written as SQL (the ORM spends
        longer building 42 OR-ed lookups than the database answering them).
        """
        meta = OriginalityBand._meta
        quote = connection.ops.quote_name
        signature, band, key = (quote(meta.get_field(name).column) for name in ("signature", "band", "key"))
        matching = " OR ".join([f"({band} = %s AND {key} = %s)"] * bands)
        return f"SELECT DISTINCT {signature} FROM {quote(meta.db_table)} WHERE {matching}"  # noqa: S608 (names, %s)

    @staticmethod
    def nearest_sql(bands: int) -> str:
        """`band_sql` counting the band keys each signature shares, most first, LIMIT %s of them."""
        meta = OriginalityBand._meta
        signature = connection.ops.quote_name(meta.get_field("signature").column)
        matching = DatabaseStorage.band_sql(bands).split(" WHERE ", 1)[1]
        table = connection.ops.quote_name(meta.db_table)
        return (
            f"SELECT {signature} FROM {table} WHERE {matching} "  # noqa: S608 (names, %s)
            f"GROUP BY {signature} ORDER BY COUNT(*) DESC, {signature} LIMIT %s"
        )

    def nearest(self, band_keys: list[int], limit: int) -> list[tuple[str, int]]:
        """The (at most) LIMIT indexed texts of the scope sharing the most band keys with BAND_KEYS: the
        likeliest copies first, without reading the sketches of hundreds of texts that share one band."""
        params = [value for band, band_key in enumerate(band_keys) for value in (band, band_key)]
        with connection.cursor() as cursor:
            cursor.execute(self.nearest_sql(len(band_keys)), [*params, limit])
            ids = [row[0] for row in cursor.fetchall()]
        return list(self.signature_rows(ids)) if ids else []

    def band_rows(self, band_keys: list[int]) -> list[int]:
        params = [value for band, band_key in enumerate(band_keys) for value in (band, band_key)]
        with connection.cursor() as cursor:
            cursor.execute(self.band_sql(len(band_keys)), params)
            return [row[0] for row in cursor.fetchall()]

    def signature_rows(self, ids):
        """The second read of `candidates`: (doc_type, doc_id) of the signatures IDS in the scope (by primary key)."""
        rows = OriginalitySignature.objects.filter(pk__in=ids)
        if self.scope is not None:
            rows = rows.filter(scope=self.scope)
        return rows.values_list("doc_type", "doc_id")

    def candidates(self, band_keys: list[int]) -> set[tuple[str, int]]:
        ids = self.band_rows(band_keys)
        if not ids:
            return set()
        return set(self.signature_rows(ids))

    def remove(self, key: tuple[str, int]):
        """Forget KEY (its bands go with it)."""
        doc_type, doc_id = key
        OriginalitySignature.objects.filter(doc_type=doc_type, doc_id=doc_id).delete()

    def sketches(self, keys) -> dict[tuple[str, int], Sketch]:
        """The sketches of KEYS: one `doc_id IN (...)` read per doc_type through the unique (doc_type, doc_id) index.

        (One OR-ed lookup per key would nest past SQLite's expression depth of 1000 for a text with
        hundreds of candidates.)
        """
        by_type = {}
        for doc_type, doc_id in keys:
            by_type.setdefault(doc_type, []).append(doc_id)
        found = {}
        for doc_type, doc_ids in by_type.items():
            rows = OriginalitySignature.objects.filter(doc_type=doc_type, doc_id__in=doc_ids)
            for doc_id, data, size in rows.values_list("doc_id", "sketch", "size"):
                found[(doc_type, doc_id)] = Sketch.from_bytes(bytes(data), size)
        return found
