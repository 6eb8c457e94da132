"""Near-duplicate detection for Vietnamese essays: MinHash signatures and LSH band buckets.

A Python library on numpy arrays (it imports only `quantriet.core` and numpy) with thin models
around it (docs/originality.md says what it compares and how fast):

- `normalize`: the matching stream (letters folded, no diacritics, đ → d, spaces and punctuation
  dropped, numbers and proper names masked), each symbol with its character span; syllable tokens.
- `shingles`: character 8-grams of the stream (and syllable shingles) hashed to stable 64-bit ints.
- `minhash`: 128-slot signatures, LSH band keys, for one text or a batch.
- `bulk`: many texts at once on every core, and the near pairs among their sketches (a rescan).
- `index`: incremental add and query over in-memory or database band buckets.
- `compare`: boilerplate suppression, exact Jaccard and containment, shared passages as spans.
- `cluster`: near-duplicate pairs grouped by union-find.
- `generic`: does a text say anything local or personal?
- `scan`: every near-duplicate pair in a set of texts (the `originality_scan` command).
- `align`: the second stage on candidate pairs: sentences aligned however the copy is disguised
  (reworded, without diacritics, spaces lost, reordered), the share of each text copied, the kind
  of copying, and which passages came from which source.

`db` (the database storage) and `models` are the only modules that import Django.
"""
