"""Near-duplicate detection for Vietnamese essays: MinHash signatures and LSH band buckets.

A plain Python library (it imports only `quantriet.core`, and numpy in `align`) with thin models around it:

- `normalize`: NFC, case, punctuation, optional diacritic folding, numbers and proper names masked;
  syllable tokens with their character spans.
- `shingles`: k-syllable shingles hashed to stable 64-bit ints.
- `minhash`: 128-slot signatures, LSH band keys.
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
