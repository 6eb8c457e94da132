"""Originality engine at province scale: index N essays, find the planted copies, answer a submission.

    python -m bench.originality [--docs 150000] [--words 500] [--queries 2000]
                                [--database sqlite|postgres] [--db-docs N] [--db-queries 1000]

A deterministic corpus of N essays of about W syllables is generated on the fly (never held in
memory): sentences drawn from the syllable frequencies of Chỉ thị 28, stock sentences shared by
many essays, a header with the author's name and hamlet, figures. Every 50th essay (2%) is a
planted copy of a random earlier one: a new author and hamlet, 3–12% of syllables replaced,
0–30% of sentences dropped, two sentences swapped.

Two implementations index the same essays with the same shingles (our tokenizer, 4-syllable
shingles; datasketch gets the top 32 bits of our 64-bit shingle hashes), the same 128 slots and
the same 42 bands × 3 rows, each in a fresh subprocess so neither pollutes the other's memory:

- ours: `originality.index.Index` in memory (one-permutation MinHash, dict band buckets);
- datasketch: `MinHash` (shared permutations, `update_batch`) and `MinHashLSH(params=(42, 3))`.

Figures: `ours_docs_per_s` / `datasketch_docs_per_s` count signature + insert time only (the
shared tokenizing and shingling is timed apart: `shingle_docs_per_s`); `*_peak_mb` is the peak
resident memory of the indexing phase above the process's resident memory before it (corpus
generation included for both alike); `*_recall` is the share of planted copies whose original is a
candidate (shares a band) when the copy is queried; `ours_verdict_recall` is the share where our
query also reports it (estimated containment ≥ 0.5). Then `--queries` new essays (half of them
copies of indexed ones) are checked one by one against the full index, from raw text to verdict:
`ours_query_p95_ms` (and p50, candidates per query); `datasketch_query_p95_ms` is the same path
with datasketch's MinHash and `query`.

DB phase (a third subprocess, `--db-docs` essays, default `--docs`; 0 skips it): a fresh database
(SQLite in a temporary file, or PostgreSQL with `--database postgres`, on DATABASE_URL's server),
migrated, no demo data. The first DB_DOCS essays of the same corpus are sketched and loaded into the
originality tables under scope "plan:1" with `DatabaseStorage.put_many` (`db_load_s` is the time
spent in put_many, `db_load_docs_per_s` the rate, sketching apart); then `--db-queries` new essays
(every other one a copy of a loaded essay) are checked one by one through the path a submission's
verdict takes, `Index(storage=DatabaseStorage("plan:1")).query`: candidates from the indexed
(band, key) table, their signatures from the database, the comparison. `ours_db_query_p95_ms` (and
p50) is raw text to verdict, as `ours_query_p95_ms`; `ours_db_recall` is the share of the copies
whose original the query reports; `database` is the backend measured.
"""

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

from bench._common import database_label, emit, fresh_database, log, percentile, timer

SEED = 28
COPY_EVERY = 50
BANDS, ROWS = 42, 3
ROOT = Path(__file__).resolve().parent.parent
VOCABULARY_SOURCE = ROOT / "quantriet" / "documents" / "fixtures" / "chi-thi-28-CT-TU.txt"


class Corpus:
    """Essay I of the corpus, the same in every process: `text(i)`, `source(i)` (planted copies only)."""

    def __init__(self, words: int):
        from quantriet.org import demo_names as names
        from quantriet.originality.normalize import tokenize

        counts = {}
        for word in tokenize(VOCABULARY_SOURCE.read_text(encoding="utf-8"), mask_names=False).words:
            if word.isalpha():
                counts[word] = counts.get(word, 0) + 1
        self.syllables = list(counts)
        self.cumulative = _cumulative(counts.values())
        self.words = words
        self.families = [family for family, _ in names.KINH_FAMILY]
        self.middles, self.givens = names.MALE_MIDDLE + names.FEMALE_MIDDLE, names.MALE_GIVEN + names.FEMALE_GIVEN
        self.hamlets = [f"{a} {b}" for a in names.VILLAGE_FIRST for b in names.VILLAGE_SECOND if a != b]
        self.communes = names.COMMUNES
        self.stock = [self._sentence(random.Random(SEED * 7 + n)) for n in range(300)]

    @staticmethod
    def is_copy(i: int) -> bool:
        return i % COPY_EVERY == COPY_EVERY - 1

    def source(self, i: int) -> int:
        return random.Random(SEED * 1_000_003 + i).randrange(i)

    def text(self, i: int) -> str:
        if not self.is_copy(i):
            return self._essay(random.Random(SEED * 1_000_003 + i))
        rng = random.Random(SEED * 1_000_003 + i)
        return self.perturbed(self.text(rng.randrange(i)), rng)

    def perturbed(self, original: str, rng: random.Random) -> str:
        """ORIGINAL with a new header, sentences dropped and swapped, syllables replaced."""
        sentences = original.split("\n", 1)[1].split(". ")
        replace, drop = rng.uniform(0.03, 0.12), rng.uniform(0, 0.3)
        kept = [s for s in sentences if rng.random() >= drop] or sentences[:1]
        if len(kept) > 2:
            a, b = rng.sample(range(len(kept)), 2)
            kept[a], kept[b] = kept[b], kept[a]
        reworded = [
            " ".join(w if rng.random() >= replace else self._syllable(rng) for w in sentence.split(" "))
            for sentence in kept
        ]
        return self._header(rng) + "\n" + ". ".join(reworded)

    def _syllable(self, rng) -> str:
        return rng.choices(self.syllables, cum_weights=self.cumulative)[0]

    def _sentence(self, rng) -> str:
        words = rng.choices(self.syllables, cum_weights=self.cumulative, k=rng.randint(8, 22))
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), str(rng.randint(2, 2000)))
        return " ".join(words).capitalize()

    def _header(self, rng) -> str:
        author = f"{rng.choice(self.families)} {rng.choice(self.middles)} {rng.choice(self.givens)}"
        return f"Họ và tên: {author}, Chi bộ ấp {rng.choice(self.hamlets)}, xã {rng.choice(self.communes)}."

    def _essay(self, rng) -> str:
        sentences, length = [], 0
        while length < self.words:
            sentence = rng.choice(self.stock) if rng.random() < 0.2 else self._sentence(rng)
            sentences.append(sentence)
            length += sentence.count(" ") + 1
        return self._header(rng) + "\n" + ". ".join(sentences)


def _cumulative(weights):
    total, out = 0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _resident_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Ours:
    """Our in-memory index."""

    def __init__(self):
        from quantriet.originality.index import Index
        from quantriet.originality.minhash import LshParams, sketch

        self.index = Index(LshParams(BANDS, ROWS))
        self.sketch = sketch

    def signature(self, shingles: list[int]):
        return self.sketch(set(shingles))

    def insert(self, key: int, signature):
        self.index.add(key, signature)

    def candidates(self, signature) -> set:
        return self.index.candidates(signature)

    def verdict(self, signature) -> list:
        return self.index.query(signature)


class Datasketch:
    """datasketch's MinHashLSH with the same parameters, fed the same shingles."""

    def __init__(self):
        from datasketch import MinHash, MinHashLSH

        self.minhash = MinHash
        self.permutations = MinHash(num_perm=128, seed=1).permutations
        self.index = MinHashLSH(num_perm=128, params=(BANDS, ROWS))

    def signature(self, shingles: list[int]):
        minhash = self.minhash(num_perm=128, seed=1, hashfunc=int, permutations=self.permutations, scheme="affine32")
        minhash.update_batch([shingle >> 32 for shingle in set(shingles)])
        return minhash

    def insert(self, key: int, signature):
        self.index.insert(key, signature, check_duplication=False)

    def candidates(self, signature) -> set:
        return set(self.index.query(signature))

    def verdict(self, signature) -> list:
        return self.index.query(signature)


def shingles_of(text: str) -> list[int]:
    from quantriet.originality.normalize import words
    from quantriet.originality.shingles import shingle_hashes

    return shingle_hashes(words(text))


def run_worker(kind: str, docs: int, words: int, queries: int) -> dict:
    """Index DOCS essays with KIND, then measure recall and query latency; figures prefixed by KIND."""
    corpus = Corpus(words)
    engine = Ours() if kind == "ours" else Datasketch()
    before = _resident_mb()
    shingle_time = insert_time = 0.0
    planted = {}
    for i in range(docs):
        text = corpus.text(i)
        start = time.perf_counter()
        shingles = shingles_of(text)
        middle = time.perf_counter()
        signature = engine.signature(shingles)
        engine.insert(i, signature)
        insert_time += time.perf_counter() - middle
        shingle_time += middle - start
        if corpus.is_copy(i):
            planted[i] = signature
        if i % 10_000 == 9_999:
            log(f"{kind}: {i + 1:,} indexed, {(i + 1) / insert_time:,.0f} docs/s (signature + insert)")
    peak = _peak_mb() - before
    found = sum(corpus.source(i) in engine.candidates(signature) for i, signature in planted.items())
    figures = {
        f"{kind}_docs_per_s": round(docs / insert_time),
        f"{kind}_peak_mb": round(peak, 1),
        f"{kind}_recall": round(found / max(1, len(planted)), 4),
        "planted_pairs": len(planted),
        "shingle_docs_per_s": round(docs / shingle_time),
    }
    if kind == "ours":
        reported = sum(corpus.source(i) in {m.key for m in engine.verdict(s)} for i, s in planted.items())
        figures["ours_verdict_recall"] = round(reported / max(1, len(planted)), 4)
    figures.update(measure_queries(kind, engine, corpus, docs, queries))
    return figures


def measure_queries(kind: str, engine, corpus: Corpus, docs: int, queries: int) -> dict:
    """Latency of checking QUERIES new essays (every other one a copy of an indexed essay), text to verdict."""
    rng = random.Random(SEED + 1)
    latencies, candidates = [], 0
    for q in range(queries):
        if q % 2:
            text = corpus.perturbed(corpus.text(rng.randrange(docs)), rng)
        else:
            text = corpus.text(docs + q)  # beyond the index: a fresh essay (or a copy of an indexed one)
        start = time.perf_counter()
        signature = engine.signature(shingles_of(text))
        engine.verdict(signature)
        latencies.append((time.perf_counter() - start) * 1000)
        if kind == "ours":
            candidates += len(engine.candidates(signature))
    figures = {
        f"{kind}_query_p50_ms": round(percentile(latencies, 50), 3),
        f"{kind}_query_p95_ms": round(percentile(latencies, 95), 3),
    }
    if kind == "ours":
        figures["ours_candidates_per_query"] = round(candidates / max(1, queries), 2)
    return figures


DB_SCOPE = "plan:1"
DB_CHUNK = 2000


def _migrate():
    """django.setup() and the schema on the fresh database (no demo data: only the originality tables are used)."""
    import io

    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.DEBUG = False  # DJANGO_DEBUG only supplies the development secret key; no query log
    call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())


def run_db_worker(database: str, docs: int, words: int, queries: int) -> dict:
    """Load DOCS essays' sketches into the originality tables of a fresh DATABASE, then time verdict queries."""
    with fresh_database(database, "bench_originality"), redirect_stdout(sys.stderr):
        _migrate()
        from quantriet.originality.db import DatabaseStorage
        from quantriet.originality.index import Index
        from quantriet.originality.minhash import LshParams, sketch

        params = LshParams(BANDS, ROWS)
        storage = DatabaseStorage(DB_SCOPE)
        corpus = Corpus(words)
        load_time = 0.0
        for start in range(0, docs, DB_CHUNK):
            items = []
            for i in range(start, min(docs, start + DB_CHUNK)):
                found = sketch(set(shingles_of(corpus.text(i))))
                items.append((("essay", i), found, params.band_keys(found)))
            with timer() as elapsed:
                storage.put_many(items)
            load_time += elapsed()
            done = start + len(items)
            if done % 10_000 == 0 or done == docs:
                log(f"db: {done:,} loaded, {done / load_time:,.0f} docs/s (put_many)")
        label = database_label()
        index = Index(params, DatabaseStorage(DB_SCOPE))
        rng = random.Random(SEED + 2)
        latencies, candidates, copies, reported = [], 0, 0, 0
        for q in range(queries):
            source = None
            if q % 2:
                source = rng.randrange(docs)
                text = corpus.perturbed(corpus.text(source), rng)
            else:
                text = corpus.text(docs + q)  # beyond the tables: a fresh essay (or a planted copy)
                if corpus.is_copy(docs + q) and corpus.source(docs + q) < docs:
                    source = corpus.source(docs + q)
            start = time.perf_counter()
            found = sketch(set(shingles_of(text)))
            matches = index.query(found)
            latencies.append((time.perf_counter() - start) * 1000)
            candidates += len(index.candidates(found))
            if source is not None:
                copies += 1
                reported += ("essay", source) in {m.key for m in matches}
        return {
            "database": label,
            "db_docs": docs,
            "db_queries": queries,
            "db_load_s": round(load_time, 1),
            "db_load_docs_per_s": round(docs / max(load_time, 1e-9)),
            "ours_db_query_p50_ms": round(percentile(latencies, 50), 3),
            "ours_db_query_p95_ms": round(percentile(latencies, 95), 3),
            "ours_db_candidates_per_query": round(candidates / max(1, queries), 2),
            "ours_db_recall": round(reported / max(1, copies), 4),
        }


def run_in_subprocess(kind: str, args) -> dict:
    command = [sys.executable, "-m", "bench.originality", "--worker", kind]
    command += ["--docs", str(args.docs), "--words", str(args.words), "--queries", str(args.queries)]
    command += ["--database", args.database, "--db-queries", str(args.db_queries)]
    if args.db_docs is not None:
        command += ["--db-docs", str(args.db_docs)]
    result = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(result.stdout)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=150_000)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite", help="the DB phase's backend")
    parser.add_argument("--db-docs", type=int, default=None, help="essays loaded in the DB phase (default --docs)")
    parser.add_argument("--db-queries", type=int, default=1000)
    parser.add_argument("--worker", choices=["ours", "datasketch", "db"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    db_docs = args.docs if args.db_docs is None else args.db_docs
    if args.worker == "db":
        sys.__stdout__.write(json.dumps(run_db_worker(args.database, db_docs, args.words, args.db_queries)) + "\n")
        return
    if args.worker:
        sys.__stdout__.write(json.dumps(run_worker(args.worker, args.docs, args.words, args.queries)) + "\n")
        return
    started = time.perf_counter()
    ours = run_in_subprocess("ours", args)
    log(f"ours: {json.dumps(ours)}")
    theirs = run_in_subprocess("datasketch", args)
    log(f"datasketch: {json.dumps(theirs)}")
    db = run_in_subprocess("db", args) if db_docs > 0 else {"database": None, "db_docs": 0}
    log(f"db: {json.dumps(db)}")
    figures = {"bench": "originality", "docs": args.docs, "words": args.words, "num_perm": 128}
    figures.update({"bands": BANDS, "rows": ROWS, "queries": args.queries})
    figures.update(ours)
    figures.update({key: value for key, value in theirs.items() if key.startswith("datasketch_")})
    figures["speedup"] = round(ours["ours_docs_per_s"] / theirs["datasketch_docs_per_s"], 2)
    figures["memory_ratio"] = round(theirs["datasketch_peak_mb"] / max(0.1, ours["ours_peak_mb"]), 2)
    figures.update(db)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    emit(figures)


if __name__ == "__main__":
    main()
