"""An LSH index of sketches: add texts one at a time, ask which indexed texts a new one resembles.

The index holds no storage itself: `MemoryStorage` keeps band buckets in dicts (the command and the
benchmark); `db.DatabaseStorage` keeps them in indexed tables so any worker can query. A storage has
`put(key, sketch, band_keys)` (replacing what KEY had), `candidates(band_keys)` (the keys sharing
any band key) and `sketches(keys)`.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .minhash import LshParams, Sketch

#: An indexed text is reported when this share of the smaller text is estimated to be shared.
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class Match:
    key: Hashable
    jaccard: float
    containment: float


class MemoryStorage:
    """Band buckets as one dict per band: band key → a text key, or a list of them once they collide.

    Most buckets hold a single text, so the common case costs one dict entry and no list.
    """

    def __init__(self, params: LshParams):
        self._params = params
        self._buckets: list[dict] = [{} for _ in range(params.bands)]
        self._sketches: dict[Hashable, Sketch] = {}

    def __len__(self):
        return len(self._sketches)

    def put(self, key: Hashable, sketch: Sketch, band_keys: list[int]):
        if key in self._sketches:
            self._drop(key)
        for bucket, band_key in zip(self._buckets, band_keys, strict=True):
            held = bucket.get(band_key)
            if held is None:
                bucket[band_key] = key
            elif type(held) is list:
                held.append(key)
            else:
                bucket[band_key] = [held, key]
        self._sketches[key] = sketch

    def _drop(self, key: Hashable):
        for bucket, band_key in zip(self._buckets, self._params.band_keys(self._sketches[key]), strict=True):
            held = bucket[band_key]
            if type(held) is list:
                held.remove(key)
            else:
                del bucket[band_key]
        del self._sketches[key]

    def candidates(self, band_keys: list[int]) -> set:
        found = set()
        for bucket, band_key in zip(self._buckets, band_keys, strict=True):
            held = bucket.get(band_key)
            if held is None:
                continue
            if type(held) is list:
                found.update(held)
            else:
                found.add(held)
        return found

    def sketches(self, keys: Iterable[Hashable]) -> dict[Hashable, Sketch]:
        return {key: self._sketches[key] for key in keys}


class Index:
    """Incremental add and query over a storage (in memory unless one is given)."""

    def __init__(self, params: LshParams | None = None, storage=None):
        self.params = params or LshParams()
        self.storage = storage if storage is not None else MemoryStorage(self.params)

    def add(self, key: Hashable, sketch: Sketch):
        """Index SKETCH under KEY (replacing what KEY had)."""
        self.storage.put(key, sketch, self.params.band_keys(sketch))

    def add_many(self, keys: Sequence[Hashable], signatures: np.ndarray, sizes: np.ndarray):
        """Index many texts at once (their band keys computed together): KEYS[i] has row i (size 0: skipped)."""
        band_keys = self.params.band_keys_many(signatures).tolist()
        for key, signature, size, row in zip(keys, signatures, sizes.tolist(), band_keys, strict=True):
            if size:
                self.storage.put(key, Sketch(signature, size), row)

    def candidates(self, sketch: Sketch) -> set:
        """Keys of the indexed texts sharing at least one band key with SKETCH."""
        return self.storage.candidates(self.params.band_keys(sketch))

    def query(self, sketch: Sketch, threshold: float = DEFAULT_THRESHOLD, exclude: Hashable = None) -> list[Match]:
        """Indexed texts whose estimated containment with SKETCH reaches THRESHOLD, most similar first."""
        held = self.storage.sketches(self.candidates(sketch) - {exclude})
        matches = [Match(key, sketch.jaccard(other), sketch.containment(other)) for key, other in held.items()]
        return sorted((m for m in matches if m.containment >= threshold), key=lambda m: -m.containment)
