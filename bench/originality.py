"""Originality engine at province scale: index N essays, find the planted copies, answer a submission.

    python -m bench.originality [--docs 150000] [--words 500] [--queries 2000]
                                [--database sqlite|postgres] [--db-docs N] [--db-queries 1000]
                                [--e2e-docs 20000] [--rescan-docs N]

A deterministic corpus of N essays of about W syllables is generated on the fly (never held in
memory): sentences drawn from the syllable frequencies of Chỉ thị 28, stock sentences shared by
many essays, a header with the author's name and hamlet, figures. Every 50th essay (2%) is a
planted copy of a random earlier one: a new author and hamlet, 3–12% of syllables replaced,
0–30% of sentences dropped, two sentences swapped.

Two implementations index the same essays with the same shingles (our engine's character 8-grams
of the folded text; datasketch gets the top 32 bits of our 64-bit shingle hashes), the same 128
slots and the same 42 bands × 3 rows, each in a fresh subprocess so neither pollutes the other's memory:

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

End to end (`--e2e-docs` essays, the first of the same corpus, default 20,000 or --docs if fewer;
each pipeline in a fresh subprocess, the texts generated before the clock starts): what a user
waits for, from raw text to indexed, everything included:

- `ours_e2e_docs_per_s`: our engine, one process: NFC, folding, masks, character 8-grams, sketches
  and band keys by batches of E2E_BATCH texts (`bulk.sketch_texts`), put in the in-memory index;
- `datasketch_e2e_docs_per_s`: datasketch as an engineer would build it in an afternoon:
  character 5-grams of the NFC-lowercased text without spaces, `MinHash(num_perm=128)` with
  `update_batch`, `MinHashLSH(threshold=0.25)`;
- `rensa_e2e_docs_per_s`: rensa on the same 5-grams: `RMinHash.digest_matrix_from_token_sets` (its
  batch API) by batches of 1,000 texts, `RMinHashLSH(threshold=0.25, num_perm=128, num_bands=64)`
  (rensa needs the bands to divide 128; 64 × 2 is the banding nearest a 0.25 threshold);
- `bare_pass_docs_per_s`: only NFC + lowercase + split over the same texts, the floor no
  pipeline beats; `ours_vs_datasketch_e2e`, `ours_vs_rensa_e2e`: the ratios.

Rescan (a subprocess of its own, `--rescan-docs` essays, default --docs; 0 skips it): a fresh
database holds one plan and that many members and essays (the corpus's first texts, created with
bulk inserts before the clock starts), in cells of CELL_SIZE members; `rescan_s` is
`essays.originality.plan_rescan` on that plan, the path of the "Quét lại toàn bộ" job and of
`rescan_originality`: reading the essays, sketching them on every core, rewriting the plan's index,
finding the pairs (LSH bands, and every pair of each cell), confirming them (both stages), generic
reports, writing every verdict. `rescan_docs` is the number of essays, `rescan_copies_found` how
many essays it labelled copies of another essay. Then VERDICT_QUERIES new essays (fresh, or planted
copies) are submitted by new members of random cells and each checked as on submit,
`essays.originality.essay_check` from raw text to the stored verdict (index, candidates from the
bands, the cell and the sample library, exact comparison, sentence alignment, the neighbours' side):
`ours_verdict_p50_ms`, `ours_verdict_p95_ms`; `ours_verdict_copies_flagged` is "flagged/planted".

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

    def signature(self, shingles):
        return self.sketch(shingles)

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

    def signature(self, shingles):
        import numpy as np

        minhash = self.minhash(num_perm=128, seed=1, hashfunc=int, permutations=self.permutations, scheme="affine32")
        minhash.update_batch((np.unique(shingles) >> np.uint64(32)).tolist())
        return minhash

    def insert(self, key: int, signature):
        self.index.insert(key, signature, check_duplication=False)

    def candidates(self, signature) -> set:
        return set(self.index.query(signature))

    def verdict(self, signature) -> list:
        return self.index.query(signature)


def shingles_of(text: str):
    from quantriet.originality.compare import fingerprint

    return fingerprint(text).hashes


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
                found = sketch(shingles_of(corpus.text(i)))
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
            found = sketch(shingles_of(text))
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


E2E_DOCS = 20_000
E2E_BATCH = 100
RENSA_BATCH = 1000
GRAM = 5


def _grams(text: str) -> list[str]:
    """The character 5-grams of the NFC-lowercased TEXT without spaces (the baselines' shingles)."""
    import unicodedata

    line = "".join(unicodedata.normalize("NFC", text).lower().split())
    return [line[i : i + GRAM] for i in range(len(line) - GRAM + 1)]


def e2e_ours(texts: list[str]):
    from quantriet.originality.bulk import sketch_texts
    from quantriet.originality.index import Index
    from quantriet.originality.minhash import LshParams

    index = Index(LshParams(BANDS, ROWS))
    for start in range(0, len(texts), E2E_BATCH):
        signatures, sizes = sketch_texts(texts[start : start + E2E_BATCH])
        index.add_many(range(start, start + len(sizes)), signatures, sizes)
    return index


def e2e_datasketch(texts: list[str]):
    from datasketch import MinHash, MinHashLSH

    index = MinHashLSH(threshold=0.25, num_perm=128)
    for i, text in enumerate(texts):
        minhash = MinHash(num_perm=128)
        minhash.update_batch([gram.encode() for gram in set(_grams(text))])
        index.insert(i, minhash, check_duplication=False)
    return index


def e2e_rensa(texts: list[str]):
    from rensa import RMinHash, RMinHashLSH

    index = RMinHashLSH(threshold=0.25, num_perm=128, num_bands=64)
    for start in range(0, len(texts), RENSA_BATCH):
        grams = [_grams(text) for text in texts[start : start + RENSA_BATCH]]
        index.insert_matrix(RMinHash.digest_matrix_from_token_sets(grams, 128, 1), start_key=start)
    return index


def e2e_bare(texts: list[str]):
    import unicodedata

    return [unicodedata.normalize("NFC", text).lower().split() for text in texts]


E2E = {"ours": e2e_ours, "datasketch": e2e_datasketch, "rensa": e2e_rensa, "bare_pass": e2e_bare}


def run_e2e_worker(pipeline: str, docs: int, words: int) -> dict:
    """Time PIPELINE from raw text to indexed over the first DOCS essays (generated before the clock starts)."""
    corpus = Corpus(words)
    texts = [corpus.text(i) for i in range(docs)]
    with timer() as elapsed:
        E2E[pipeline](texts)
    log(f"{pipeline} end to end: {docs / elapsed():,.0f} docs/s")
    name = "bare_pass_docs_per_s" if pipeline == "bare_pass" else f"{pipeline}_e2e_docs_per_s"
    return {name: round(docs / elapsed())}


def run_rescan_worker(database: str, docs: int, words: int) -> dict:
    """Time the bulk rescan of one plan of DOCS essays in a fresh DATABASE."""
    with fresh_database(database, "bench_originality_rescan"), redirect_stdout(sys.stderr):
        _migrate()
        import logging

        from quantriet.essays.models import VerdictLabel
        from quantriet.essays.originality import plan_rescan

        logging.getLogger("quantriet.essays.originality").setLevel(logging.INFO)
        corpus = Corpus(words)
        plan = _plan_with_essays(corpus, docs)
        with timer() as elapsed:
            counts = plan_rescan(plan)
        log(f"rescan: {docs:,} essays in {elapsed():.1f} s: {counts}")
        latencies, flagged = _verdict_latencies(plan, corpus, docs)
        return {
            "rescan_docs": docs,
            "rescan_s": round(elapsed(), 1),
            "rescan_copies_found": counts[VerdictLabel.COPIES_ESSAY],
            "verdict_queries": len(latencies),
            "ours_verdict_p50_ms": round(percentile(latencies, 50), 1),
            "ours_verdict_p95_ms": round(percentile(latencies, 95), 1),
            "ours_verdict_copies_flagged": flagged,
        }


#: Essays submitted after the rescan, each checked as on submit (`essay_check`), timed one by one.
VERDICT_QUERIES = 200


def _verdict_latencies(plan, corpus: "Corpus", docs: int) -> tuple[list[float], str]:
    """The time of `essay_check` (raw text to the stored verdict, both stages) for new essays of PLAN.

    Each is written by a new member of a cell of the plan, as the essays after the first DOCS of
    the corpus (fresh, or planted copies of earlier ones); returns the latencies and how many of
    the planted copies were flagged ("n/m").
    """
    from django.utils import timezone

    from quantriet.essays.models import Essay, EssaySource, EssayVerdict, VerdictLabel
    from quantriet.essays.originality import essay_check
    from quantriet.org.models import Organization

    cells = list(Organization.objects.filter(pk__in=Essay.objects.filter(plan=plan).values("cell_id")))
    rng = random.Random(SEED + 3)
    members = _members(docs, [rng.choice(cells) for _ in range(VERDICT_QUERIES)])
    now = timezone.now()
    latencies, copies, flagged = [], 0, 0
    for q, member in enumerate(members):
        i = docs + q
        essay = Essay.objects.create(
            plan=plan, member=member, cell=member.cell, text=corpus.text(i), source=EssaySource.TYPED, submitted_at=now
        )
        with timer() as elapsed:
            essay_check(essay)
        latencies.append(elapsed() * 1000)
        if corpus.is_copy(i) and corpus.source(i) < docs:
            copies += 1
            flagged += EssayVerdict.objects.get(essay=essay).label == VerdictLabel.COPIES_ESSAY
    return latencies, f"{flagged}/{copies}"


#: Members per cell of the benchmark's province (a party cell has tens of members).
CELL_SIZE = 50


def _plan_with_essays(corpus: Corpus, docs: int):
    """A plan of a province of cells of CELL_SIZE members, DOCS members and an essay each (bulk
    inserts, no verdict yet)."""
    from django.utils import timezone

    from quantriet.essays.models import Essay, EssaySource
    from quantriet.org.models import Organization, OrgKind
    from quantriet.study.models import StudyPlan

    province = Organization.objects.add_root(instance=Organization(name="Đảng bộ tỉnh", kind=OrgKind.TINH_UY, code="T"))
    cells = [
        Organization.objects.add_child(
            province, instance=Organization(name=f"Chi bộ {n}", kind=OrgKind.CHI_BO, code=f"T{n}")
        )
        for n in range(1, docs // CELL_SIZE + 2)
    ]
    plan = StudyPlan.objects.create(issuer=province, title="Kế hoạch học tập Chỉ thị 28")
    now = timezone.now()
    for start in range(0, docs, DB_CHUNK):
        members = _members(start, [cells[i // CELL_SIZE] for i in range(start, min(docs, start + DB_CHUNK))])
        Essay.objects.bulk_create(
            Essay(plan=plan, member=m, cell=m.cell, text=corpus.text(i), source=EssaySource.TYPED, submitted_at=now)
            for i, m in zip(range(start, start + len(members)), members, strict=True)
        )
    return plan


def _members(first: int, cells: list) -> list:
    """New members numbered from FIRST, one in each of CELLS (in order), bulk inserted."""
    import datetime

    from quantriet.core.text import fold
    from quantriet.org.models import Member, MemberStatus

    born, joined = datetime.date(1980, 1, 1), datetime.date(2010, 1, 1)
    return Member.objects.bulk_create(
        Member(
            full_name=f"Đảng viên {i}",
            full_name_folded=fold(f"Đảng viên {i}"),
            date_of_birth=born,
            gender="nam",
            joined_on=joined,
            status=MemberStatus.FULL,
            cell=cell,
        )
        for i, cell in enumerate(cells, first)
    )


def run_in_subprocess(kind: str, args, pipeline: str | None = None) -> dict:
    command = [sys.executable, "-m", "bench.originality", "--worker", kind]
    command += ["--docs", str(args.docs), "--words", str(args.words), "--queries", str(args.queries)]
    command += ["--database", args.database, "--db-queries", str(args.db_queries)]
    command += ["--e2e-docs", str(args.e2e_docs), "--pipeline", pipeline or ""]
    for name in ("db_docs", "rescan_docs"):
        if getattr(args, name) is not None:
            command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
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
    parser.add_argument("--e2e-docs", type=int, default=None, help="essays of the end-to-end runs (default 20,000)")
    parser.add_argument("--rescan-docs", type=int, default=None, help="essays of the bulk rescan (default --docs)")
    parser.add_argument("--worker", choices=["ours", "datasketch", "db", "e2e", "rescan"], help=argparse.SUPPRESS)
    parser.add_argument("--pipeline", choices=[*E2E, ""], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    db_docs = args.docs if args.db_docs is None else args.db_docs
    rescan_docs = args.docs if args.rescan_docs is None else args.rescan_docs
    if args.e2e_docs is None:
        args.e2e_docs = min(args.docs, E2E_DOCS)
    if args.worker == "db":
        sys.__stdout__.write(json.dumps(run_db_worker(args.database, db_docs, args.words, args.db_queries)) + "\n")
        return
    if args.worker == "e2e":
        sys.__stdout__.write(json.dumps(run_e2e_worker(args.pipeline, args.e2e_docs, args.words)) + "\n")
        return
    if args.worker == "rescan":
        sys.__stdout__.write(json.dumps(run_rescan_worker(args.database, rescan_docs, args.words)) + "\n")
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
    e2e = {"e2e_docs": args.e2e_docs}
    for pipeline in E2E:
        e2e.update(run_in_subprocess("e2e", args, pipeline))
    e2e["ours_vs_datasketch_e2e"] = round(e2e["ours_e2e_docs_per_s"] / e2e["datasketch_e2e_docs_per_s"], 2)
    e2e["ours_vs_rensa_e2e"] = round(e2e["ours_e2e_docs_per_s"] / e2e["rensa_e2e_docs_per_s"], 2)
    log(f"e2e: {json.dumps(e2e)}")
    rescan = run_in_subprocess("rescan", args) if rescan_docs > 0 else {"rescan_docs": 0}
    figures = {"bench": "originality", "docs": args.docs, "words": args.words, "num_perm": 128}
    figures.update({"bands": BANDS, "rows": ROWS, "queries": args.queries})
    figures.update(ours)
    figures.update({key: value for key, value in theirs.items() if key.startswith("datasketch_")})
    figures["speedup"] = round(ours["ours_docs_per_s"] / theirs["datasketch_docs_per_s"], 2)
    figures["memory_ratio"] = round(theirs["datasketch_peak_mb"] / max(0.1, ours["ours_peak_mb"]), 2)
    figures.update(db)
    figures.update(e2e)
    figures.update(rescan)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    emit(figures)


if __name__ == "__main__":
    main()
