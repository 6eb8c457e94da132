"""Mức độ cụ thể hóa: how concretely a unit's action programme turns a resolution into its own work.

Chỉ thị 28 asks every committee for its own programme, "thực chất, sát hợp, khả thi cao"; the
failure to expose is a commune or cell that pastes the programme of the level above, changes the
name at the top and files it. Four measures, each from 0 to 1:

- **copied** (a): the share of the programme found in the programmes it copies — the parent's, or
  other units' — sentences aligned however reworded (`originality.align`), the resolution studied
  masked as boilerplate (quoting the resolution is not copying a programme); a programme counts as
  copied from only when the pair is a copy (`Alignment.copied`), so sentences that merely resemble
  those of many programmes on the same resolution do not add up; with the passages, to show side
  by side;
- **complete** (b): the share of tasks with a lead (a unit or a person), a deadline, a product and
  a measurable indicator (a target and its unit);
- **local** (c): the unit's own places, units, people and figures (`originality.generic`) in what
  it did not copy, LOCAL_ENOUGH of them being enough;
- **own** (d): the share of tasks led by the unit itself, one of its own units or one of their
  people (a person counts through the unit they belong to): a cell's programme that only
  restates the province's duties, or pastes the commune's, leads none of them.

The score is 100 × the weighted mean of (1 − copied, complete, local, own), WEIGHTS; a programme
is flagged "sao_chep" when COPIED_FLAG of it is copied, and "chua_cu_the" below CONCRETE_FROM.
The caller gives the programmes to compare with (the parent's, and those proposed among the other
units'): this module reads no database.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from quantriet.org.tree import is_within
from quantriet.originality import align
from quantriet.originality.generic import generic_report

#: The weight of each measure in the score (they add up to 1).
WEIGHTS = {"copied": 0.4, "complete": 0.25, "local": 0.2, "own": 0.15}
#: Two sentences of programmes are aligned (one taken from the other) at this similarity or above:
#: stricter than for essays (align.PAIR_THRESHOLD), because programmes on one resolution share
#: stock phrases ("tổ chức quán triệt…", "tăng cường kiểm tra, giám sát…"), and independently
#: written programmes composed of them were aligned sentence by sentence at the essays' threshold.
#: A pasted programme, or one reworded a little, still aligns whole.
SENTENCE_THRESHOLD = 0.55
#: A programme with this share copied from others is flagged "sao_chep".
COPIED_FLAG = 0.5
#: Below this score a programme is flagged "chua_cu_the".
CONCRETE_FROM = 50
#: The flags a programme can carry, with the words pages, exports and the report show.
FLAGS = {"sao_chep": "Sao chép", "chua_cu_the": "Chưa cụ thể hóa"}
#: This many of the unit's own names and figures make its content local.
LOCAL_ENOUGH = 4


@dataclass(frozen=True)
class Task:
    content: str
    #: The path of the lead unit in the tree (for a person, the unit they belong to), and the lead person.
    lead_org_path: str = ""
    lead_person: str = ""
    deadline: date | None = None
    product: str = ""
    indicator: str = ""
    target: Decimal | None = None
    unit: str = ""

    @property
    def complete(self) -> bool:
        lead = self.lead_org_path or self.lead_person.strip()
        measurable = self.indicator.strip() and self.target is not None and self.unit.strip()
        return bool(lead and self.deadline and self.product.strip() and measurable)

    @property
    def line(self) -> str:
        """The task as one sentence with its product in brackets: "content." followed by the product
        would be two sentences, and one shared task would count twice against the unit."""
        content, product = self.content.strip().rstrip(".!?…;: "), self.product.strip().rstrip(".!?…;: ")
        return f"{content} ({product})" if product and content else content or product

    def led_within(self, org_path: str) -> bool:
        """Is the task led by the unit at ORG_PATH, one of its own units, or one of their people?"""
        return bool(self.lead_org_path) and is_within(self.lead_org_path, org_path)


@dataclass(frozen=True)
class Programme:
    org_path: str
    #: The preamble: purpose, requirements, the unit's situation.
    preamble: str
    tasks: tuple[Task, ...] = ()

    @property
    def text(self) -> str:
        """The programme as one text: the preamble, then one sentence per task with its product."""
        lines = [self.preamble.strip(), *(task.line for task in self.tasks)]
        return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Concreteness:
    copied: float
    complete: float
    local: float
    own: float
    score: int
    flags: tuple[str, ...]
    #: The programme's passages found elsewhere, with the programme they were found in.
    passages: list[align.SourcePassage] = field(default_factory=list)
    #: The unit's own names and figures found in what it did not copy.
    evidence: tuple[str, ...] = ()
    #: The programmes it copies (`align.Alignment.copied`): (name, share of this programme best
    #: matched there, kind of copying), largest share first.
    sources: tuple[tuple[str, float, str], ...] = ()


def concreteness(programme: Programme, others: Mapping[str, Programme], references: Sequence[str] = ()) -> Concreteness:
    """The concreteness of PROGRAMME, compared with the OTHERS (name → programme), REFERENCES (the
    resolution studied) as boilerplate."""
    text = programme.text
    found = align.classify_sources(
        text,
        {name: other.text for name, other in others.items()},
        boilerplate=align.boilerplate_of(tuple(references)),
        threshold=SENTENCE_THRESHOLD,
    )
    # Only the programmes it copies count (the pair aligned over COPY_THRESHOLD of one side, or a
    # passage of it): a sentence that merely resembles one of many programmes on the same resolution
    # is not copied, and a hundred such resemblances must not add up to a copy.
    copied_sources = {name: found.shares.get(name, 0.0) for name in found.found}
    copied = min(1.0, sum(copied_sources.values()))
    passages = [passage for passage in found.passages if passage.source in found.found]
    evidence = _local_evidence(text, [passage.text for passage in passages])
    local = min(1.0, len(evidence) / LOCAL_ENOUGH)
    tasks = programme.tasks
    complete = sum(task.complete for task in tasks) / len(tasks) if tasks else 0.0
    own = sum(task.led_within(programme.org_path) for task in tasks) / len(tasks) if tasks else 0.0
    measures = {"copied": 1 - copied, "complete": complete, "local": local, "own": own}
    score = round(100 * sum(WEIGHTS[name] * value for name, value in measures.items()))
    flags = ("sao_chep",) * (copied >= COPIED_FLAG) + ("chua_cu_the",) * (score < CONCRETE_FROM)
    sources = sorted(
        ((name, round(share, 3), found.found[name].kind) for name, share in copied_sources.items() if share > 0),
        key=lambda source: (-source[1], source[0]),
    )
    return Concreteness(round(copied, 3), round(complete, 3), round(local, 3), round(own, 3), score, flags,
                        passages, tuple(evidence), tuple(sources))  # fmt: skip


def _local_evidence(text: str, copied: list[tuple[int, int]]) -> list[str]:
    """The names and figures of TEXT outside the COPIED spans (distinct, in order)."""
    kept, last = [], 0
    for start, end in sorted(copied):
        kept.append(text[last:start])
        last = max(last, end)
    kept.append(text[last:])
    report = generic_report("\n".join(kept))
    return list(dict.fromkeys([*report.names, *report.figures]))
