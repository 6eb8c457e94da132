"""The verdicts on submit, and the bulk rescan, on the quality corpus: every kind of copying found and named.

Two ways members copy, as the engine proposes candidates (see essays/originality.py):
- from the sample library (every sample compared whole with every essay): the originals are the
  library, the copies and the honest essays are submitted by members all over the province;
- from a neighbour (the essays of one cell compared whole with each other): the corpus submitted as
  essays, each family of copies (a text, its copies, the texts it is spliced from) in one cell,
  and the honest essays on the directive all in one cell, where they must stay apart.
"""

from collections import Counter

import pytest

from quantriet.essays import originality, services
from quantriet.essays.models import EssayVerdict, VerdictLabel
from quantriet.org.models import Member
from quantriet.originality import scan
from quantriet.originality.cluster import clusters
from quantriet.originality.tests import quality

TARGET = 0.98


@pytest.fixture
def corpus_plan(plan):
    plan.documents.update(body="\n".join(quality.references()))
    return plan


def writers_by_cell(plan) -> list[list]:
    """The members asked for an essay, grouped by cell, largest cells first."""
    cells: dict[int, list] = {}
    for member in services.essay_writers(plan).order_by("id"):
        cells.setdefault(member.cell_id, []).append(member)
    return sorted(cells.values(), key=len, reverse=True)


def submit(plan, actor, authors: dict[str, object]) -> dict[str, object]:
    """Each text of the corpus named in AUTHORS submitted by its author: name → essay."""
    texts = quality.texts()
    return {name: services.essay_submit(actor, plan, member, texts[name]) for name, member in authors.items()}


def pairs_found(essays) -> dict[tuple[str, str], str]:
    """(name, name) → kind of copying, of every pair the verdicts list."""
    names = {essay.pk: name for name, essay in essays.items()}
    found = {}
    for verdict in EssayVerdict.objects.filter(essay__in=essays.values()):
        for listed in verdict.duplicates:
            found[tuple(sorted((names[verdict.essay_id], names[listed["essay"]])))] = listed["kind"]
    return found


def assert_quality(found: dict[tuple[str, str], str]):
    result = quality.measure(found)
    missed = sorted(set(quality.true_pairs()) - set(found))
    assert not quality.short_of(result, TARGET) and result["honest_false_pairs"] == 0, (quality.table(result), missed)
    misnamed = quality.misnamed(found)
    assert len(misnamed) <= (1 - TARGET) * len(quality.true_pairs()), misnamed


def test_copies_of_neighbours_are_found_on_submit_and_by_the_rescan_with_their_kind(corpus_plan, users, monkeypatch):
    monkeypatch.setattr(scan, "PARALLEL_PAIRS", 0)
    families = clusters(quality.true_pairs())
    in_families = {name for family in families for name in family}
    groups = [sorted(set(quality.honest()) - in_families), *families]
    writers = iter(services.essay_writers(corpus_plan).order_by("id"))
    cells = iter(cell[0].cell for cell in writers_by_cell(corpus_plan))
    authors = {}
    for group in groups:  # each group's authors moved into one cell
        members = [next(writers) for _ in group]
        Member.objects.filter(pk__in=[member.pk for member in members]).update(cell=next(cells))
        authors.update(zip(group, Member.objects.filter(pk__in=[m.pk for m in members]).order_by("id"), strict=True))
    essays = submit(corpus_plan, users["admin"], authors)
    assert len({essay.cell_id for essay in essays.values()}) == len(groups)
    on_submit = pairs_found(essays)
    assert_quality(on_submit)
    originality.plan_rescan(corpus_plan)  # the second stage in worker processes
    assert pairs_found(essays) == on_submit


def test_copies_of_library_samples_are_found_with_their_kind(corpus_plan, users):
    originals = quality.originals()
    for name, text in originals.items():
        originality.sample_add(users["admin"], name, text)
    copies = {name: entry for name, entry in quality.copies().items() if set(entry["sources"]) <= set(originals)}
    writers = [member for cell in writers_by_cell(corpus_plan) for member in cell[:3]]  # all over the province
    names = [*copies, *quality.honest()]
    essays = submit(corpus_plan, users["admin"], dict(zip(names, writers, strict=False)))
    verdicts = {name: EssayVerdict.objects.select_related("sample").get(essay=essays[name]) for name in names}
    found = Counter()
    for name, entry in copies.items():
        verdict = verdicts[name]
        right = verdict.sample is not None and verdict.sample.title in entry["sources"]
        found[
            entry["kind"],
            right and verdict.label == VerdictLabel.COPIES_SAMPLE and verdict.sample_kind == entry["kind"],
        ] += 1
    missed = {kind: found[kind, False] for kind, _ in found if found[kind, False]}
    assert sum(missed.values()) <= (1 - TARGET) * len(copies), (missed, found)
    assert not [name for name in quality.honest() if verdicts[name].sample is not None]
