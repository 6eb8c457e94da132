"""The concreteness check of a stored programme (plans.concreteness), kept on its row.

What a programme is compared with:
- the programmes of the organisations above it for the same plan, always (what a unit pastes is
  most often the level above's);
- the programmes of other units the originality index proposes (its sketch, boilerplate aside,
  estimated to share PROPOSED_FROM with theirs), and those of its sibling units estimated so, the
  COMPARED_MAX nearest — but never those of the units below it (they copy it, not the reverse), nor
  those written after it (of two units with the same programme, the one that wrote it first is not
  accused of copying).
The resolution studied (the plan's documents) is boilerplate: quoting it is not copying.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from quantriet.org.tree import ancestors_of, parent_path
from quantriet.originality.compare import fingerprint
from quantriet.originality.db import DatabaseStorage
from quantriet.originality.index import Index
from quantriet.study.reference import plan_reference, plan_reference_texts

from . import concreteness
from .models import Programme, ProgrammeTask

PROGRAMME = "programme"
#: Besides those above, at most this many programmes are compared: the most similar by sketch.
#: Programmes on one resolution all resemble each other a little; the ones a unit pastes from
#: resemble it most (a paste shares most of its 8-grams), so the nearest few are the ones to align.
COMPARED_MAX = 5
#: ... and only those estimated to share this much of its 8-grams (the essays' ESTIMATED_FROM is
#: lower, for paraphrases; programmes are aligned at a stricter sentence threshold, so a programme
#: they could be found to copy shares far more than this).
PROPOSED_FROM = 0.25
#: The texts sharing the most LSH bands with a programme whose sketches are read (a paste shares
#: most of its bands with its source; hundreds of programmes on one resolution share one or two).
NEAREST_READ = 30


def programme_scope(plan_id: int) -> str:
    return f"programmes:{plan_id}"


def as_programme(programme: Programme) -> concreteness.Programme:
    """PROGRAMME's stored preamble and tasks as the check reads them (a lead person counts through their cell)."""
    return as_programmes([programme])[programme.pk]


def as_programmes(programmes: list[Programme]) -> dict[int, concreteness.Programme]:
    """`as_programme` of each of PROGRAMMES (with their org loaded), their tasks read in one query."""
    tasks: dict[int, list] = {programme.pk: [] for programme in programmes}
    rows = ProgrammeTask.objects.filter(programme__in=list(tasks)).select_related("lead_org", "lead_person__cell")
    for task in rows.order_by("programme_id", "number", "pk"):
        tasks[task.programme_id].append(
            concreteness.Task(
                task.content,
                lead_org_path=_lead_path(task),
                lead_person=task.lead_person.full_name if task.lead_person else "",
                deadline=task.deadline,
                product=task.product,
                indicator=task.indicator,
                target=task.target,
                unit=task.unit,
            )
        )
    return {
        programme.pk: concreteness.Programme(programme.org.path, programme.preamble, tuple(tasks[programme.pk]))
        for programme in programmes
    }


def _lead_path(task) -> str:
    if task.lead_org is not None:
        return task.lead_org.path
    return task.lead_person.cell.path if task.lead_person is not None and task.lead_person.cell else ""


def _index(programme: Programme, text: str):
    """Put PROGRAMME's sketch (its plan's documents aside) in the plan's scope; the sketch (None: too short)."""
    found = fingerprint(text).sketch(plan_reference(programme.plan))
    storage = DatabaseStorage(programme_scope(programme.plan_id))
    if found is None:
        storage.remove((PROGRAMME, programme.pk))
    else:
        Index(storage=storage).add((PROGRAMME, programme.pk), found)
    return found


def _earlier(programme: Programme) -> Q:
    return Q(created_at__lt=programme.created_at) | Q(created_at=programme.created_at, pk__lt=programme.pk)


def _compared(programme: Programme, found) -> list[Programme]:
    """The programmes PROGRAMME is compared with (see the module's docstring): those above, and at
    most COMPARED_MAX others, the most similar by sketch among the NEAREST_READ sharing the most
    LSH bands with it and its sibling units'."""
    same_plan = Programme.objects.filter(plan_id=programme.plan_id).exclude(pk=programme.pk)
    above = list(same_plan.filter(org__path__in=ancestors_of(programme.org.path)).select_related("org"))
    if found is None:
        return above
    storage = DatabaseStorage(programme_scope(programme.plan_id))
    keys = set(storage.nearest(Index(storage=storage).params.band_keys(found), NEAREST_READ))
    org = programme.org
    siblings = same_plan.filter(org__path__startswith=parent_path(org.path), org__depth=org.depth)
    keys |= {(PROGRAMME, pk) for pk in siblings.values_list("pk", flat=True)}
    keys = (
        {key for key in keys if key[0] == PROGRAMME} - {(PROGRAMME, p.pk) for p in above} - {(PROGRAMME, programme.pk)}
    )
    estimates = {pk: found.containment(other) for (_, pk), other in storage.sketches(keys).items()}
    likely = [pk for pk, estimate in estimates.items() if estimate >= PROPOSED_FROM]
    allowed = same_plan.filter(pk__in=likely).filter(_earlier(programme)).exclude(org__path__startswith=org.path)
    nearest = sorted(allowed.select_related("org"), key=lambda other: (-estimates[other.pk], other.pk))
    return above + nearest[:COMPARED_MAX]


@transaction.atomic
def programme_check(programme: Programme) -> concreteness.Concreteness:
    """Check PROGRAMME's concreteness against the others (`_compared`) and keep it on its row."""
    mine = as_programme(programme)
    found = _index(programme, mine.text)
    compared = _compared(programme, found)
    references = tuple(body for _, body in plan_reference_texts(programme.plan))
    others = as_programmes(compared)
    result = concreteness.concreteness(mine, {str(pk): other for pk, other in others.items()}, references)
    programme.concreteness = result.score
    programme.copied_share = result.copied
    programme.complete_share, programme.local_share, programme.own_share = result.complete, result.local, result.own
    programme.flags = list(result.flags)
    programme.copied_from = [
        {"programme": int(name), "share": share, "kind": kind} for name, share, kind in result.sources
    ]
    programme.evidence = list(result.evidence)
    programme.checked_at = timezone.now()
    programme.save(update_fields=CHECK_FIELDS)
    return result


CHECK_FIELDS = [
    "concreteness",
    "copied_share",
    "complete_share",
    "local_share",
    "own_share",
    "flags",
    "copied_from",
    "evidence",
    "checked_at",
]
