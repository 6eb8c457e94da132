"""The database storage of an `index.Index`: sketches and band keys in the originality tables.

Keys are (doc_type, doc_id) pairs. `put` replaces what the key had (a resubmitted essay), in one
transaction. A query is two indexed reads: the band rows matching any (band, key), then the sketches.
A storage made with a SCOPE writes that scope on what it puts and finds candidates in it only.
"""

from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q

from .minhash import Sketch
from .models import OriginalityBand, OriginalitySignature


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

    def candidates(self, band_keys: list[int]) -> set[tuple[str, int]]:
        matching = reduce(or_, (Q(band=band, key=band_key) for band, band_key in enumerate(band_keys)))
        rows = OriginalityBand.objects.filter(matching)
        if self.scope is not None:
            rows = rows.filter(signature__scope=self.scope)
        rows = rows.values_list("signature__doc_type", "signature__doc_id")
        return set(rows)

    def remove(self, key: tuple[str, int]):
        """Forget KEY (its bands go with it)."""
        doc_type, doc_id = key
        OriginalitySignature.objects.filter(doc_type=doc_type, doc_id=doc_id).delete()

    def sketches(self, keys) -> dict[tuple[str, int], Sketch]:
        keys = list(keys)
        if not keys:
            return {}
        matching = reduce(or_, (Q(doc_type=doc_type, doc_id=doc_id) for doc_type, doc_id in keys))
        rows = OriginalitySignature.objects.filter(matching).values_list("doc_type", "doc_id", "sketch", "size")
        return {(doc_type, doc_id): Sketch.from_bytes(bytes(data), size) for doc_type, doc_id, data, size in rows}
