"""Đánh giá, xếp loại: the rules of a criteria set as plain values and pure functions.

Quy định 366-QĐ/TW (30/8/2025) and Hướng dẫn 43-HD/BTCTW (31/10/2025) evaluate members and
collectives by criteria on a 100-point scale, then rate them in four bands. The numbers change every
few years, so none is written in the code that applies them: a criteria set (`Rules`) carries its
groups and criteria with their maximum points, its bands with their thresholds and the extra
conditions each band needs, and its quota. `DEFAULT_MEMBER_RULES` holds the defaults the issue
gives, every one to be confirmed against the guidance in force (docs/evaluation.md).

- `grade`: the total of a member's (or a unit's) points and the best band whose threshold it
  reaches and whose conditions it meets, with the reasons a better band was refused;
- `excellent_allowed` / `check_excellent_quota`: how many "hoàn thành xuất sắc" a grassroots
  organisation may decide, and the refusal, in Vietnamese with the numbers, beyond it;
- `check_head`: a head of a unit rated below "hoàn thành tốt" is not rated above the unit.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import ValidationError

from quantriet.core.numbers import format_decimal

XUAT_SAC, TOT, HOAN_THANH, KHONG_HOAN_THANH = "xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"
#: The bands, best first (the API's `bands` keys).
BAND_CODES = (XUAT_SAC, TOT, HOAN_THANH, KHONG_HOAN_THANH)


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    max_points: Decimal
    #: Below this many points the criterion holds its subject back from the bands that ask for
    #: every criterion at its floor (`Band.needs_floors`); None: no floor.
    floor: Decimal | None = None
    #: The criterion the system proposes from study records (evaluation.study).
    study: bool = False


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    criteria: tuple[Criterion, ...]

    @property
    def max_points(self) -> Decimal:
        return sum((c.max_points for c in self.criteria), Decimal(0))


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    #: The least total (inclusive) of the band.
    min_points: Decimal
    #: No discipline (kỷ luật) in the period.
    needs_no_discipline: bool = False
    #: Every criterion at or above its floor.
    needs_floors: bool = False


@dataclass(frozen=True)
class Rules:
    groups: tuple[Group, ...]
    #: Best first; the last one's threshold is 0.
    bands: tuple[Band, ...]
    #: "Hoàn thành xuất sắc" decided by a grassroots organisation: at most this share of the number
    #: it rates "hoàn thành tốt" (rounded down) — those rated "xuất sắc" counted among them, as they are
    #: chosen from them (the reading that refuses fewer decisions, to confirm: docs/evaluation.md).
    excellent_share: Decimal = Decimal("0.2")
    #: A head of a unit rated below "hoàn thành tốt" is rated no better than the unit.
    heads_follow_unit: bool = True

    @property
    def criteria(self) -> dict[str, Criterion]:
        return {c.key: c for group in self.groups for c in group.criteria}

    @property
    def max_points(self) -> Decimal:
        return sum((group.max_points for group in self.groups), Decimal(0))

    @property
    def study(self) -> Criterion | None:
        """The criterion the system proposes from study records (None: the set has none)."""
        return next((c for c in self.criteria.values() if c.study), None)

    def band(self, code: str) -> Band:
        return next(band for band in self.bands if band.code == code)

    def rank(self, code: str) -> int:
        """0 for the best band."""
        return [band.code for band in self.bands].index(code)


def _criterion(key, label, points, floor=None, study=False) -> Criterion:
    return Criterion(key, label, Decimal(points), None if floor is None else Decimal(floor), study)


#: The default criteria set for members (to confirm against Hướng dẫn 43-HD/BTCTW: docs/evaluation.md).
DEFAULT_MEMBER_RULES = Rules(
    groups=(
        Group("tu_tuong", "Tư tưởng chính trị", (
            _criterion("tu_tuong", "Bản lĩnh chính trị, chấp hành chủ trương, đường lối của Đảng", 10, 5),
            _criterion("hoc_tap", "Ý thức, kết quả học tập, quán triệt nghị quyết", 10, 5, study=True),
        )),
        Group("dao_duc", "Đạo đức, lối sống", (
            _criterion("dao_duc", "Phẩm chất đạo đức, lối sống; nêu gương, giữ mối liên hệ với nhân dân", 20, 10),
        )),
        Group("ky_luat", "Ý thức tổ chức kỷ luật, tác phong, lề lối làm việc", (
            _criterion("ky_luat", "Chấp hành nguyên tắc tổ chức, kỷ luật của Đảng; tác phong, lề lối làm việc", 20, 10),
        )),
        Group("nhiem_vu", "Kết quả thực hiện chức trách, nhiệm vụ được giao", (
            _criterion("nhiem_vu", "Kết quả, sản phẩm cụ thể thực hiện nhiệm vụ được giao trong năm", 40, 20),
        )),
    ),
    bands=(
        Band(XUAT_SAC, "Hoàn thành xuất sắc nhiệm vụ", Decimal(90), needs_no_discipline=True, needs_floors=True),
        Band(TOT, "Hoàn thành tốt nhiệm vụ", Decimal(70), needs_floors=True),
        Band(HOAN_THANH, "Hoàn thành nhiệm vụ", Decimal(50)),
        Band(KHONG_HOAN_THANH, "Không hoàn thành nhiệm vụ", Decimal(0)),
    ),
)  # fmt: skip


#: The default criteria set for cells and grassroots organisations (to confirm, as the members').
DEFAULT_COLLECTIVE_RULES = Rules(
    groups=(
        Group("chinh_tri", "Lãnh đạo công tác chính trị, tư tưởng", (
            _criterion("hoc_tap", "Học tập, quán triệt, cụ thể hóa nghị quyết (chỉ số làm kỹ)", 10, 5, study=True),
            _criterion("tu_tuong", "Nắm bắt, định hướng tư tưởng, dư luận", 10, 5),
        )),
        Group("to_chuc", "Công tác tổ chức, cán bộ, đảng viên", (
            _criterion("to_chuc", "Xây dựng tổ chức đảng, chất lượng sinh hoạt, quản lý đảng viên", 20, 10),
        )),
        Group("kiem_tra", "Công tác kiểm tra, giám sát, kỷ luật đảng", (
            _criterion("kiem_tra", "Kiểm tra, giám sát theo chương trình; xử lý vi phạm", 20, 10),
        )),
        Group("nhiem_vu", "Lãnh đạo thực hiện nhiệm vụ chính trị", (
            _criterion("nhiem_vu", "Kết quả thực hiện các chỉ tiêu, nhiệm vụ chính trị của địa phương, đơn vị", 40, 20),
        )),
    ),
    bands=DEFAULT_MEMBER_RULES.bands,
)  # fmt: skip


@dataclass(frozen=True)
class Facts:
    """What a grading reads: the points per criterion key, and whether a discipline fell in the period."""

    points: Mapping[str, Decimal]
    disciplined: bool = False


@dataclass(frozen=True)
class Grading:
    total: Decimal
    band: str
    #: Why each better band was refused, in Vietnamese, best band first.
    refused: tuple[str, ...] = field(default=())


def checked_points(rules: Rules, points: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """POINTS per criterion, refused (all problems at once) when one is missing, unknown or out of its range."""
    criteria, problems = rules.criteria, []
    for key in sorted(set(points) - set(criteria)):
        problems.append(f"Không có tiêu chí “{key}” trong bộ tiêu chí này.")
    for key, criterion in criteria.items():
        value = points.get(key)
        if value is None:
            problems.append(f"Chưa chấm tiêu chí “{criterion.label}”.")
        elif not Decimal(0) <= Decimal(value) <= criterion.max_points:
            problems.append(
                f"Tiêu chí “{criterion.label}”: {format_decimal(value)} điểm, ngoài khoảng 0–"
                f"{format_decimal(criterion.max_points)}."
            )
    if problems:
        raise ValidationError(problems)
    return {key: Decimal(points[key]) for key in criteria}


def _unmet(rules: Rules, band: Band, points: dict[str, Decimal], disciplined: bool) -> list[str]:
    unmet = []
    if band.needs_no_discipline and disciplined:
        unmet.append("bị kỷ luật trong kỳ")
    if band.needs_floors:
        low = [c for c in rules.criteria.values() if c.floor is not None and points[c.key] < c.floor]
        unmet += [
            f"tiêu chí “{c.label}” {format_decimal(points[c.key])} điểm, dưới mức {format_decimal(c.floor)}"
            for c in low
        ]
    return unmet


def grade(rules: Rules, facts: Facts) -> Grading:
    """The total and the best band FACTS reach: its threshold (inclusive) and its conditions."""
    points = checked_points(rules, facts.points)
    total = sum(points.values(), Decimal(0))
    refused = []
    for band in rules.bands:
        if total < band.min_points:
            continue
        unmet = _unmet(rules, band, points, facts.disciplined)
        if not unmet:
            return Grading(total, band.code, tuple(refused))
        refused.append(f"Chưa đủ điều kiện “{band.label}”: {'; '.join(unmet)}.")
    return Grading(total, rules.bands[-1].code, tuple(refused))


def excellent_allowed(rules: Rules, rated_good_or_better: int) -> int:
    """How many "hoàn thành xuất sắc" an organisation may decide among RATED_GOOD_OR_BETTER rated
    "hoàn thành tốt" or better."""
    return int((rules.excellent_share * rated_good_or_better).to_integral_value(rounding=ROUND_FLOOR))


def check_excellent_quota(rules: Rules, unit_name: str, excellent: int, good: int) -> None:
    """Refuse, naming the numbers, a decision rating EXCELLENT "hoàn thành xuất sắc" beside GOOD
    "hoàn thành tốt" beyond the quota."""
    allowed = excellent_allowed(rules, excellent + good)
    if excellent > allowed:
        share = format_decimal(rules.excellent_share * 100)
        raise ValidationError(
            f"{unit_name}: {excellent} đảng viên “{rules.band(XUAT_SAC).label}” vượt mức {share}% của "
            f"{excellent + good} đảng viên xếp loại “{rules.band(TOT).label}” trở lên (tối đa {allowed}). "
            "Hãy xem lại trước khi quyết định."
        )


def check_head(rules: Rules, unit_name: str, unit_band: str, head_band: str) -> None:
    """Refuse rating a head of UNIT better than the unit when the unit is rated below "hoàn thành tốt"."""
    if not rules.heads_follow_unit or rules.rank(unit_band) <= rules.rank(TOT):
        return
    if rules.rank(head_band) < rules.rank(unit_band):
        raise ValidationError(
            f"{unit_name} được xếp loại “{rules.band(unit_band).label}”: người đứng đầu không được xếp loại cao hơn "
            f"(đang đề nghị “{rules.band(head_band).label}”)."
        )
