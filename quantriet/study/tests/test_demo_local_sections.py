"""The demo's local-situation sections: a unit never relates a fact a unit above it related, so the fidelity
index judges a section copied from the one above only where the demo copies it on purpose (`copy_from`)."""

import re

from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Organization
from quantriet.org.tree import parent_path
from quantriet.originality.compare import fingerprint, reference_share, reference_shingles
from quantriet.study.demo import LOCAL_FACTS, PLAN_SYMBOL, StudyDemo
from quantriet.study.models import Obligation

#: A section sharing this much of its text with the one above is judged copied (analytics' threshold).
COPIED = 0.5
PATTERNS = [
    re.compile(re.escape(fact).replace(r"\{unit\}", ".+?").replace(r"\{rate\}", r"\d+")) for fact in LOCAL_FACTS
]


def facts(text: str) -> set[int]:
    return {i for i, pattern in enumerate(PATTERNS) if pattern.search(text)}


def judged_pairs():
    """(section, the section above) for every unit of the seeded demo plan, as the fidelity index pairs them:
    the conference that fulfilled the unit's duty against the one that fulfilled its parent's."""
    rows = Obligation.objects.filter(plan__symbol=PLAN_SYMBOL).values_list(
        "org__path", "conference_id", "conference__local_context"
    )
    held = {path: (conference, text) for path, conference, text in rows}
    for path, (conference, text) in held.items():
        conference_above, above = held.get(parent_path(path), (None, ""))
        if conference and conference_above and conference != conference_above and text and above:
            yield text, above


def test_the_seeded_sections_share_no_fact_with_the_one_above_but_deliberate_copies(db):
    pairs = list(judged_pairs())
    assert len(pairs) > 100
    copies = [(text, above) for text, above in pairs if text in above]
    assert copies  # the demo still pastes the commune's section into some cells
    own = [(text, above) for text, above in pairs if text not in above]
    assert all(len(facts(text)) == 3 for text, _ in own)
    assert [text for text, above in own if facts(text) & facts(above)] == []
    judged_copied = [
        text for text, above in own if reference_share(fingerprint(text), reference_shingles([above])) >= COPIED
    ]
    assert judged_copied == []


def test_a_unit_draws_around_every_unit_above_it_and_a_copy_passes_its_facts_down(db):
    root = Organization.objects.get(code=ROOT_CODE)
    bloc = Organization.objects.get_children(root).filter(kind="dang_uy_khoi").order_by("path").first()
    unit = Organization.objects.get_children(bloc).filter(kind="dang_bo_co_so").order_by("path").first()
    cells = list(Organization.objects.get_children(unit).order_by("path")[:2])
    demo = StudyDemo()
    province, in_bloc = facts(demo.local_text(root)), facts(demo.local_text(bloc))
    assert len(province) == len(in_bloc) == 3 and not province & in_bloc
    copied = demo.local_text(unit, copy_from=bloc)
    assert facts(copied) == in_bloc  # word for word, on purpose
    own = facts(demo.local_text(cells[0]))
    assert len(own) == 3 and not own & (province | in_bloc)


def test_the_sections_are_the_same_on_every_run(db):
    root = Organization.objects.get(code=ROOT_CODE)
    communes = list(Organization.objects.get_children(root).filter(kind="dang_uy_xa").order_by("path")[:3])

    def run():
        demo = StudyDemo()
        return [demo.local_text(org) for org in [root, *communes, *Organization.objects.get_children(communes[0])]]

    assert run() == run()
