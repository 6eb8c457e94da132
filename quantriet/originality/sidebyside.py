"""Two texts side by side with their aligned sentences marked (the essays' and the programmes'
comparison pages): each aligned pair has one number, shown on both sides, so a reader follows a
copied sentence however it was disguised."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .align import Pair


@dataclass(frozen=True)
class SideBySide:
    mine: SafeString
    #: None when the other text may not be shown (it belongs to another's scope).
    theirs: SafeString | None
    #: The numbered passages as they are marked, with whether the number shows on the right too.
    legend: list[dict]
    passages: int


def side_by_side(mine: str, theirs: str, pairs: list[Pair], *, hide_theirs: bool = False) -> SideBySide:
    """MINE and THEIRS as HTML, the PAIRS' sentences marked "a-N" on the left and "b-N" on the right."""
    spans_a = [(p.a[0], p.a[1], i) for i, p in enumerate(pairs, 1)]
    spans_b = [] if hide_theirs else [(p.b[0], p.b[1], i) for i, p in enumerate(pairs, 1)]
    in_b = {number for _, _, number in _merged(spans_b)}
    legend = [{"number": number, "in_b": number in in_b} for _, _, number in _merged(spans_a)]
    return SideBySide(
        highlight(mine, spans_a, "a"), None if hide_theirs else highlight(theirs, spans_b, "b"), legend, len(pairs)
    )


def highlight(text: str, spans, prefix: str) -> SafeString:
    """TEXT escaped, with each (start, end, number) span wrapped in <mark>, line breaks as <br>."""
    out, last = [], 0
    for start, end, number in _merged(spans):
        out.append(_escaped(text[last:start]))
        out.append(
            f'<mark id="{prefix}-{number}" class="passage" data-passage="{number}">{_escaped(text[start:end])}</mark>'
        )
        last = end
    out.append(_escaped(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text went through escape()


def _escaped(text: str) -> str:
    return escape(text).replace("\n", "<br>\n")


def _merged(spans):
    """Spans sorted, overlapping ones joined (keeping the first's number)."""
    merged = []
    for start, end, number in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, number])
    return merged
