"""What a study plan's documents say, as the originality engine's boilerplate: quoting the
resolution studied is not copying (an essay's, an action programme's). Essays and programmes
both ask here, so the two judge the same reference alike."""

from functools import lru_cache

from quantriet.originality import align
from quantriet.originality.compare import reference_shingles

from .models import StudyPlan


def plan_reference_texts(plan: StudyPlan) -> list[tuple[int, str]]:
    """(document id, full text) of the documents PLAN studies."""
    return [(pk, body) for pk, body in plan.documents.order_by("pk").values_list("pk", "body") if body]


@lru_cache(maxsize=32)
def _reference(bodies: tuple[str, ...]) -> frozenset[int]:
    return reference_shingles(bodies)


def plan_reference(plan: StudyPlan) -> frozenset[int]:
    """The shingles of PLAN's documents (cached per process on their text: resolutions are long)."""
    return _reference(tuple(body for _, body in plan_reference_texts(plan)))


def plan_boilerplate(plan: StudyPlan) -> align.Boilerplate:
    """PLAN's documents as the sentence aligner's boilerplate (cached per process on their text)."""
    return align.boilerplate_of(tuple(body for _, body in plan_reference_texts(plan)))
