"""Reads of evaluations that pages and the API need."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum

from quantriet.analytics.selectors import year_indices
from quantriet.org.models import Member, Organization
from quantriet.org.tree import path_length

from .models import DECIDED, Evaluation
from .rules import BAND_CODES

#: The study criterion's distribution: shares of its maximum, lowest first (label, from, below).
STUDY_BINS = (("duoi_50", "Dưới 50%", 0.0, 0.5), ("tu_50", "Từ 50% đến dưới 80%", 0.5, 0.8),
              ("tu_80", "Từ 80% trở lên", 0.8, None))  # fmt: skip
#: A unit stands out (rated high while it skimmed) only with at least this many members rated.
STANDS_OUT_MIN = 5
#: … when its fidelity index for the year is below this (the dashboard's default floor) or flagged "làm lướt",
SKIMMED_BELOW = 50
#: … and the study points its cells gave average at least this share of the maximum,
HIGH_STUDY = 0.8
#: … or exceed what the records proposed by this share of the maximum on average.
RAISED_BY = 0.2


@dataclass
class SummaryRow:
    """One unit of the summary: its members rated in the year by band, the study criterion as its cells
    gave it (mean and distribution) beside the records' proposal and the unit's fidelity index."""

    org: Organization
    members: int = 0
    bands: dict = field(default_factory=lambda: dict.fromkeys(BAND_CODES, 0))
    study_given: float = 0.0  # the sum of the study shares given, over the members with one
    study_rated: int = 0
    #: The sum of the proposed shares and how many had a proposal; the sum of (given − proposed) over them.
    study_proposed: float = 0.0
    study_proposed_n: int = 0
    study_raised: float = 0.0
    study_bins: dict = field(default_factory=lambda: dict.fromkeys((b[0] for b in STUDY_BINS), 0))
    #: The unit's own (collective) evaluation of the year, when decided: its band code.
    own_band: str = ""
    indices: list = field(default_factory=list)

    @property
    def evaluated(self) -> int:
        return sum(self.bands.values())

    def share(self, code: str) -> float | None:
        return self.bands[code] / self.evaluated if self.evaluated else None

    @property
    def study_mean(self) -> float | None:
        return self.study_given / self.study_rated if self.study_rated else None

    @property
    def study_proposed_mean(self) -> float | None:
        return self.study_proposed / self.study_proposed_n if self.study_proposed_n else None

    @property
    def study_raise(self) -> float | None:
        """How much higher than proposed the cells gave, on average over the members with a proposal."""
        return self.study_raised / self.study_proposed_n if self.study_proposed_n else None

    @property
    def fidelity(self) -> float | None:
        return sum(i["index"] for i in self.indices) / len(self.indices) if self.indices else None

    @property
    def skimmed(self) -> bool:
        return any(i["lam_luot"] for i in self.indices) or (self.fidelity is not None and self.fidelity < SKIMMED_BELOW)

    @property
    def stands_out(self) -> list[str]:
        """Why the unit's ratings do not match how it studied ([] when they do, or too few to tell)."""
        if self.evaluated < STANDS_OUT_MIN or not self.skimmed:
            return []
        why = []
        if self.study_mean is not None and self.study_mean >= HIGH_STUDY:
            why.append(f"học tập làm lướt nhưng điểm học tập bình quân {round(100 * self.study_mean)}% điểm tối đa")
        if self.study_raise is not None and self.study_raise >= RAISED_BY:
            why.append(f"điểm học tập cho cao hơn đề xuất từ kết quả học tập bình quân {round(100 * self.study_raise)}%"
                       " điểm tối đa")  # fmt: skip
        return why

    def add(self, other: "SummaryRow") -> None:
        self.members += other.members
        for code, number in other.bands.items():
            self.bands[code] += number
        for key, number in other.study_bins.items():
            self.study_bins[key] += number
        self.study_given += other.study_given
        self.study_rated += other.study_rated
        self.study_proposed += other.study_proposed
        self.study_proposed_n += other.study_proposed_n
        self.study_raised += other.study_raised


def _counts() -> dict:
    """The aggregates of one unit's decided members: a count per band and per study bin, the study
    shares' sums and how many have one (one row per unit: fewer rows than one per unit and band)."""
    # Only the index's own columns are named (never "id"), so that the rows can be read from it alone.
    found = {f"band_{code}": Count("band", filter=Q(band=code)) for code in BAND_CODES}
    found.update(given=Sum("study_share"), rated=Count("study_share"), proposed=Sum("study_proposed_share"),
                 proposed_n=Count("study_proposed_share"),
                 raised=Sum(F("study_share") - F("study_proposed_share")))  # fmt: skip
    for key, _, low, high in STUDY_BINS:
        condition = Q(study_share__gte=low) if high is None else Q(study_share__gte=low, study_share__lt=high)
        found[f"bin_{key}"] = Count("study_share", filter=condition)
    return found


def _by_org(org: Organization, year: int) -> dict[int, SummaryRow]:
    """Every organisation of ORG's subtree with members or decided evaluations: its own counts."""
    found: dict[int, SummaryRow] = {}
    subtree = Organization.objects.filter(path__startswith=org.path).values("pk")
    # IN (the subtree's ids), not a join on the path: the index is then searched unit by unit.
    decided = Evaluation.objects.filter(year=year, state=DECIDED, member__isnull=False, org__in=subtree)
    counts = _counts()
    bins = len(STUDY_BINS)
    for org_id, *values in decided.values("org_id").annotate(**counts).values_list("org_id", *counts):
        bands, (given, rated, proposed, proposed_n, raised), in_bins = values[:4], values[4:9], values[9 : 9 + bins]
        found[org_id] = SummaryRow(
            None, bands=dict(zip(BAND_CODES, bands, strict=True)), study_given=given or 0.0, study_rated=rated,
            study_proposed=proposed or 0.0, study_proposed_n=proposed_n, study_raised=raised or 0.0,
            study_bins=dict(zip((key for key, *_ in STUDY_BINS), in_bins, strict=True)),
        )  # fmt: skip
    counted = Member.objects.filter(cell__path__startswith=org.path).values("cell_id").annotate(n=Count("id"))
    for cell_id, number in counted.values_list("cell_id", "n"):
        found.setdefault(cell_id, SummaryRow(None)).members += number
    return found


def evaluation_summary(org: Organization, year: int) -> list[SummaryRow]:
    """ORG and each of its active children, each with its subtree's members rated in YEAR by band, the
    study criterion's distribution, its own collective band and its fidelity index for the year: the
    summary page, its .docx and .xlsx. Six queries whatever the size of the subtree."""
    children = list(Organization.objects.active().filter(path__startswith=org.path, depth=org.depth + 1)
                    .order_by("path"))  # fmt: skip
    rows = {unit.pk: SummaryRow(unit) for unit in [org, *children]}
    by_path = {unit.path: rows[unit.pk] for unit in children}
    found = _by_org(org, year)
    width = path_length(org.depth + 1)
    for pk, path in Organization.objects.filter(path__startswith=org.path).values_list("pk", "path"):
        if pk not in found:
            continue
        rows[org.pk].add(found[pk])
        child = by_path.get(path[:width])
        if child is not None:
            child.add(found[pk])
    own = Evaluation.objects.filter(year=year, state=DECIDED, member__isnull=True, org__in=list(rows))
    for org_id, band in own.values_list("org_id", "band"):
        rows[org_id].own_band = band
    for org_id, indices in year_indices(list(rows), year).items():
        rows[org_id].indices = indices
    return list(rows.values())
