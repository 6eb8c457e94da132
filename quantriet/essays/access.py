"""Plans with essays, essays, their versions and the sample library by id, through the gate and the
policy (org.policy): out of scope (or missing) is a 404, in scope without the right the action's 403.

- `essay.grade` is checked on the essay's cell (the cell it was submitted in: a transfer does not
  move the record), or on the organisation a board shows (`study.access.access_plan_org`).
- `sample.manage` is checked at the top of the tree: the sample library is the province's.
- Configuring a plan's essays (its rubric, the bulk rescan) is `plan.manage` on its issuer.
"""

from django.shortcuts import get_object_or_404

from quantriet.org.policy import VIEW, access, can, require
from quantriet.study.access import access_plan
from quantriet.study.models import StudyPlan

from .models import Essay, EssayVerdict, EssayVersion, SampleEssay


def access_essay_plan(user, plan_id, action=VIEW) -> StudyPlan:
    """The plan PLAN_ID as `access_plan` gives it, if it asks for essays (else 404)."""
    return access_plan(user, plan_id, action, among=StudyPlan.objects.exclude(essay_audience=""))


def access_essay(user, essay_id, action=VIEW) -> Essay:
    """The essay ESSAY_ID in USER's scope (else 404) on whose cell USER may do ACTION (else 403).

    One's own essay is always in scope (`Essay.visible_to`), never gradable by oneself without the role."""
    essays = Essay.objects.visible_to(user).select_related("plan", "plan__issuer", "member", "cell")
    return access(essays, essay_id, user, action, org_of=lambda essay: essay.cell)


def access_version(user, version_id, action=VIEW) -> EssayVersion:
    """One submission (EssayVersion) of an essay in USER's scope (else 404), ACTION checked as for the essay."""
    versions = EssayVersion.objects.filter(essay__in=Essay.objects.visible_to(user))
    versions = versions.select_related("essay__cell", "upload")
    return access(versions, version_id, user, action, org_of=lambda version: version.essay.cell)


def access_sample(user, sample_id, *, beside: Essay | None = None) -> SampleEssay:
    """The sample SAMPLE_ID of the library (missing: 404), to whoever keeps the library.

    Anyone else gets `sample.manage`'s 403 whatever the id, existing or not: the library is not
    theirs to browse. BESIDE is an essay the caller has already let USER grade (the side-by-side
    view): its grader may read the one sample its verdict names, since that sample's passages are
    what the verdict holds against the essay; any other sample is a 404 there, as an essay the
    verdict did not pair is."""
    samples = SampleEssay.objects.select_related("uploaded_by")
    if beside is not None and not can(user, "sample.manage"):
        return get_object_or_404(samples.filter(pk=_matched_sample_id(beside)), pk=sample_id)
    require(user, "sample.manage")
    return get_object_or_404(samples, pk=sample_id)


def _matched_sample_id(essay: Essay) -> int | None:
    """The id of the sample ESSAY's current verdict names (None: no verdict, or no sample over the threshold)."""
    return EssayVerdict.objects.filter(essay=essay).values_list("sample_id", flat=True).first()
