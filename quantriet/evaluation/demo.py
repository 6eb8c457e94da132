"""The demo province's yearly evaluations (issue 15, item 7): last year's done, this year's in progress.

Last year (today's year − 1), bulk-created: every member who was a member by the end of that year and
every cell and grassroots organisation of the province, decided in December by the committee that
decides them, with its decision's number ("số 112-QĐ/ĐU"): the cells' own evaluations first, then
their members', then the grassroots organisations'. Bands are drawn as they usually fall (about one
member in six "hoàn thành xuất sắc", most "hoàn thành tốt", one in ten "hoàn thành", a few "không hoàn
thành", the few disciplined ones "hoàn thành"), then held to the rules `services.decide` applies: a
head of a cell rated below "hoàn thành tốt" no better than the cell, and "hoàn thành xuất sắc" within
the quota of each deciding organisation. Points come from pools graded by the criteria set itself, so
every total and band is what `rules.grade` says of its points. That year predates the study records:
its evaluations have no study proposal (the study points given are kept as a share for the summaries, none
proposed), and no history beyond this seed's audit entry.

This year, in xa1.bithu's commune (TVL-X001), the evaluation in progress, cell by cell (in path order):
- dangvien1's cell: the cell's own evaluation a draft, some members' self-assessments sent (the
  committee writes them for members without an account), some drafts, the rest not started —
  dangvien1's own among them, so the member opens it on their phone;
- the cell whose members copied essays (the one with the most essays judged copies, from the essays
  demo): every self-assessment sent, awaiting the cell's review, the study points proposed from the
  records showing each copy ("bài thu hoạch bị kết luận sao chép …, không tính điểm");
- the cell over its quota: its own evaluation decided, its members reviewed with more "hoàn thành
  xuất sắc" than the commune may still decide (the decided cells used the commune's quota), so the
  decision is refused with the numbers (`seed_evaluations` checks it is);
- the other cells, in turn: decided, reviewed awaiting the decision, self-assessed, drafts, not
  started. The cells follow the proposed study points, or write why not (an essay not due yet).
The first decided cell and the first few members of each named cell go through the services with the
demo's logins as actors (their history is real); the rest is bulk-created in the same states, the
study proposals computed for the whole commune at once (`evidence.propose_for`).

Idempotent: nothing is done when the province has evaluations.
"""

import datetime
import random
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from quantriet.analytics.selectors import year_indices
from quantriet.core.audit import audit_record
from quantriet.core.bulk import insert_rows
from quantriet.core.models import DRAFT
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import CELL_KINDS, Member, Organization, OrgKind, Position
from quantriet.org.tree import parent_path
from quantriet.study.demo import PLAN_SYMBOL
from quantriet.study.models import StudyPlan

from . import rules, services
from .evidence import collective_proposal, propose_for
from .models import DECIDED, REVIEWED, SELF_ASSESSED, CriteriaSet, Evaluation, Subject
from .rules import HOAN_THANH, KHONG_HOAN_THANH, TOT, XUAT_SAC

SEED = 2815
NOT_STARTED = "not_started"
#: Members of each named cell written through the services (the rest of the cell is bulk-created alike).
SHOWCASE = 3
#: How bands usually fall, best first.
MEMBER_SHARES = {XUAT_SAC: 0.16, TOT: 0.73, HOAN_THANH: 0.10, KHONG_HOAN_THANH: 0.01}
COLLECTIVE_SHARES = {XUAT_SAC: 0.17, TOT: 0.70, HOAN_THANH: 0.11, KHONG_HOAN_THANH: 0.02}
#: Members disciplined in the year (rated "hoàn thành").
DISCIPLINED = 0.004
#: The totals drawn for each band.
TOTALS = {XUAT_SAC: (90, 98), TOT: (72, 89), HOAN_THANH: (54, 69), KHONG_HOAN_THANH: (38, 49)}
#: Graded point vectors per band, drawn once for a whole year.
POOL = 48
#: This year, the stages of xa1.bithu's cells other than the three named ones, in turn (path order).
STAGES = (DECIDED, REVIEWED, DECIDED, SELF_ASSESSED, DRAFT, NOT_STARTED, DECIDED, REVIEWED)
#: The over-quota cell proposes at least this share of its members "hoàn thành xuất sắc".
OVER_SHARE = 0.4
#: The share of cells that give members whose essay is not due yet more study points than proposed (with
#: that reason) when the proposal is below the floor; the others follow the proposal.
EXPLAINED = 0.75

SELF_TEXTS = (
    "Ưu điểm: giữ vững lập trường, chấp hành nghị quyết của chi bộ, hoàn thành công việc được giao. Hạn chế: có lúc "
    "chưa mạnh dạn góp ý trong sinh hoạt chi bộ. Hướng khắc phục: chủ động phát biểu, đóng góp xây dựng chi bộ.",
    "Ưu điểm: dự đủ sinh hoạt chi bộ, đóng đảng phí đúng hạn, gương mẫu nơi cư trú. Hạn chế: tự học nghị quyết chưa "
    "thường xuyên. Hướng khắc phục: mỗi tháng dành thời gian đọc tài liệu, viết thu hoạch đúng hạn.",
    "Ưu điểm: hoàn thành các chỉ tiêu công tác, đoàn kết với đồng chí, đồng nghiệp. Hạn chế: một số việc còn chậm "
    "tiến độ. Hướng khắc phục: lập kế hoạch công việc theo tuần, báo cáo chi bộ kết quả.",
    "Ưu điểm: có ý thức tổ chức kỷ luật, giữ mối liên hệ với nhân dân nơi cư trú. Hạn chế: còn ngại ứng dụng công nghệ "
    "thông tin trong công việc. Hướng khắc phục: tham gia lớp bồi dưỡng kỹ năng số của phường.",
)
REVIEW_TEXTS = {
    XUAT_SAC: "Đồng chí hoàn thành xuất sắc nhiệm vụ, gương mẫu, có sản phẩm cụ thể trong năm; chi bộ nhất trí.",
    TOT: "Đồng chí hoàn thành tốt nhiệm vụ được giao; cần chủ động hơn trong sinh hoạt chi bộ.",
    HOAN_THANH: "Đồng chí hoàn thành nhiệm vụ; ý thức học tập và tiến độ công việc còn hạn chế, cần khắc phục.",
    KHONG_HOAN_THANH: "Đồng chí chưa hoàn thành nhiệm vụ được giao; chi bộ đề nghị có kế hoạch khắc phục cụ thể.",
}
DISCIPLINED_TEXT = "Trong năm đồng chí bị kỷ luật khiển trách; chi bộ đề nghị xếp loại “Hoàn thành nhiệm vụ”."
UNIT_SELF_TEXT = (
    "Báo cáo kiểm điểm của chi ủy: lãnh đạo thực hiện nghị quyết năm, tổ chức học tập, quán triệt Chỉ thị "
    "28-CT/TU đúng kế hoạch; sinh hoạt chi bộ đều đặn; còn hạn chế trong việc liên hệ tình hình địa phương."
)
UNIT_REVIEW_TEXT = "Ban Thường vụ Đảng ủy nhận xét: chi bộ đoàn kết, sinh hoạt nền nếp, hoàn thành các chỉ tiêu."
#: Why a cell gives more study points than proposed: the essay is not due yet (the essay's plan and deadline).
NOT_DUE_REASON = "Bài thu hoạch theo {plan} còn hạn nộp đến {deadline:%d/%m/%Y}: chi bộ chưa tính phần này."
#: Generous reasons (the over-quota cell's, the skimming cell's), for members and (the commune's) for a cell.
GENEROUS_REASON = "Chi bộ đánh giá đồng chí tích cực tự học, dự đủ các buổi sinh hoạt chuyên đề của chi bộ."
UNIT_GENEROUS_REASON = "Chi bộ đã tổ chức học bù cho đảng viên vắng hội nghị, chưa được tính vào chỉ số làm kỹ."
#: The number and symbol of a decision by a kind of deciding organisation.
SYMBOLS = {OrgKind.TINH_UY: "QĐ/TU", OrgKind.DANG_UY_KHOI: "QĐ/ĐUK", OrgKind.CHI_BO_CO_SO: "NQ/CB"}
GRASSROOTS_KINDS = (OrgKind.DANG_UY_XA, OrgKind.DANG_BO_CO_SO)


def _stored(points: dict[str, Decimal]) -> dict[str, str]:
    return {key: str(value) for key, value in points.items()}


class Grader:
    """Points of a criteria set aiming at a band, graded by the set itself (`rules.grade`)."""

    def __init__(self, criteria_set: CriteriaSet, rng: random.Random):
        self.criteria_set, self.rng = criteria_set, rng
        self.rules = criteria_set.rules()
        self.criteria = list(self.rules.criteria.values())
        self.study = self.rules.study
        self.pools = {}

    def spread(self, total: float, fixed: dict[str, Decimal] | None = None) -> dict[str, Decimal]:
        """Points near TOTAL, each criterion at about the same share of its maximum, FIXED ones kept."""
        fixed = fixed or {}
        free = [c for c in self.criteria if c.key not in fixed]
        room = sum((c.max_points for c in free), Decimal(0))
        share = (Decimal(str(round(total, 2))) - sum(fixed.values(), Decimal(0))) / room
        points = {}
        for criterion in self.criteria:
            if criterion.key in fixed:
                points[criterion.key] = fixed[criterion.key]
                continue
            noisy = min(Decimal(1), max(Decimal(0), share + Decimal(str(round(self.rng.uniform(-0.05, 0.05), 3)))))
            halves = (criterion.max_points * noisy * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            points[criterion.key] = (halves / 2).quantize(Decimal("0.01"))
        return points

    def graded(self, band: str, fixed=None, disciplined=False, tries=12) -> tuple[dict[str, Decimal], rules.Grading]:
        """Points aiming at BAND and their grading: BAND's when FIXED and DISCIPLINED allow it."""
        low, high = TOTALS[band]
        fixed = fixed or {}
        most = sum(fixed.values(), Decimal(0)) + sum((c.max_points for c in self.criteria if c.key not in fixed), 0)
        for _ in range(tries):
            points = self.spread(min(float(most), self.rng.uniform(low, high)), fixed)
            found = rules.grade(self.rules, rules.Facts(points, disciplined))
            if found.band == band:
                break
        return points, found

    def pooled(self, band: str, disciplined=False) -> tuple[dict[str, str], Decimal, float | None]:
        """One of POOL point vectors graded BAND, its total and its study share (a pool drawn once per
        band: quick for a province)."""
        key = (band, disciplined)
        if key not in self.pools:
            pool = []
            while len(pool) < POOL:
                points, found = self.graded(band, disciplined=disciplined)
                if found.band == band:
                    pool.append((_stored(points), found.total, self.share(points)))
            self.pools[key] = pool
        return self.rng.choice(self.pools[key])

    def share(self, points: dict) -> float | None:
        """The study criterion of POINTS as a share of its maximum (what the summaries read)."""
        return None if self.study is None else float(Decimal(points[self.study.key]) / self.study.max_points)


def _draw(rng: random.Random, shares: dict[str, float]) -> str:
    roll, reached = rng.random(), 0.0
    for band, share in shares.items():
        reached += share
        if roll < reached:
            return band
    return band


def _worse(band: str) -> str:
    """The band next below BAND (the one a few members vote for instead)."""
    index = rules.BAND_CODES.index(band)
    return rules.BAND_CODES[index + 1] if index + 1 < len(rules.BAND_CODES) else rules.BAND_CODES[index - 1]


def _hold_quota(grader: Grader, bands: dict[int, str], groups, rng: random.Random) -> None:
    """Within each group (the evaluations one organisation decides), "xuất sắc" beyond the quota become "tốt"."""
    for ids in groups:
        excellent = [pk for pk in ids if bands[pk] == XUAT_SAC]
        allowed = rules.excellent_allowed(grader.rules, sum(bands[pk] in (XUAT_SAC, TOT) for pk in ids))
        for pk in rng.sample(excellent, max(0, len(excellent) - allowed)):
            bands[pk] = TOT


def _heads(member_ids, year: int) -> set[tuple[int, int]]:
    """(member, cell) of those who headed a cell during YEAR, as `services.decide` reads them."""
    held = Position.objects.filter(
        title__in=services.HEAD_TITLES, org__kind__in=CELL_KINDS, start__lte=datetime.date(year, 12, 31)
    ).exclude(end__lt=datetime.date(year, 1, 1))
    if member_ids is not None:
        held = held.filter(member_id__in=list(member_ids))
    return set(held.values_list("member_id", "org_id"))


def _follow_unit(band: str, unit_band: str, grader: Grader) -> str:
    """A head's BAND held to their cell's (rules.check_head)."""
    rank = grader.rules.rank
    if grader.rules.heads_follow_unit and rank(unit_band) > rank(TOT) and rank(band) < rank(unit_band):
        return unit_band
    return band


_TALLIES = {}


def _tallies(rng: random.Random, band: str, voters: int) -> dict[str, int]:
    """A meeting's votes (numbers only, one dict per distinct tally): most of the VOTERS present for BAND,
    now and then a few for the band next to it."""
    present = max(1, voters - int(rng.random() * min(3, voters)))  # up to two absent
    few = 1 + int(rng.random() * 2) if present > 3 and rng.random() < 0.25 else 0
    key = (band, present, few)
    if key not in _TALLIES:
        _TALLIES[key] = {band: present - few, _worse(band): few} if few else {band: present}
    return _TALLIES[key]


#: The fields of the rows `insert_rows` writes, in order.
ROW_FIELDS = (
    "state", "version", "year", "subject", "member", "org", "deciding_org", "criteria_set", "self_points",
    "self_text", "study_proposal", "review_points", "review_text", "study_reason", "tallies", "disciplined",
    "total", "band", "decision_number", "decision_date", "created_at", "study_share", "study_proposed_share",
)  # fmt: skip


def _symbol(org: Organization) -> str:
    """The symbol of a decision of ORG ("QĐ/ĐU" of a party committee)."""
    return SYMBOLS.get(org.kind, "QĐ/ĐU")


class EvaluationDemo:
    def __init__(self, today: datetime.date):
        self.today = today
        self.rng = random.Random(SEED)
        self.root = Organization.objects.get(code=ROOT_CODE)
        self.users = {u.username: u for u in get_user_model().objects.filter(username__in=["xa1.bithu", "dangvien1"])}

    def graders(self, year: int) -> tuple[Grader, Grader] | None:
        end = datetime.date(year, 12, 31)
        member_set = CriteriaSet.objects.in_force(Subject.MEMBER, end)
        unit_set = CriteriaSet.objects.in_force(Subject.COLLECTIVE, end)
        if member_set is None or unit_set is None:
            return None
        return Grader(member_set, self.rng), Grader(unit_set, self.rng)

    # ------------------------------------------------------------ last year

    def last_year(self, year: int) -> dict:
        """Every member and every cell and grassroots organisation of the province, decided in December."""
        graders = self.graders(year)
        if graders is None:
            return {"year": year, "members": 0, "collectives": 0, "bands": {}}
        members_grader, units_grader = graders
        rng, end = self.rng, datetime.date(year, 12, 31)
        orgs = list(Organization.objects.active(end).filter(path__startswith=self.root.path).order_by("path"))
        by_path = {o.path: o for o in orgs}
        units = [o for o in orgs if o.kind in CELL_KINDS or o.kind in GRASSROOTS_KINDS]
        deciding_unit = {o.pk: by_path.get(parent_path(o.path), o) for o in units}
        cells = {o.pk: o for o in orgs if o.kind in CELL_KINDS}
        # As services.deciding_org_of, without a query per cell.
        deciding_member = {
            pk: o if o.kind == OrgKind.CHI_BO_CO_SO or o.depth == 1 else by_path[parent_path(o.path)]
            for pk, o in cells.items()
        }
        found = Member.objects.filter(cell__path__startswith=self.root.path, joined_on__lte=end).order_by("pk")
        members = [(pk, cell_id) for pk, cell_id in found.values_list("pk", "cell_id") if cell_id in cells]
        size = Counter(cell_id for _, cell_id in members)

        # The units' bands first (a head follows their cell), within the quota of who decides them.
        unit_band = {o.pk: _draw(rng, COLLECTIVE_SHARES) for o in units}
        groups = defaultdict(list)
        for o in units:
            groups[deciding_unit[o.pk].pk].append(o.pk)
        _hold_quota(units_grader, unit_band, groups.values(), rng)

        heads = _heads(None, year)
        member_band, disciplined = {}, set()
        for pk, cell_id in members:
            if rng.random() < DISCIPLINED:
                band = HOAN_THANH
                disciplined.add(pk)
            else:
                band = _draw(rng, MEMBER_SHARES)
            if (pk, cell_id) in heads:
                band = _follow_unit(band, unit_band[cell_id], members_grader)
            member_band[pk] = band
        groups = defaultdict(list)
        for pk, cell_id in members:
            groups[deciding_member[cell_id].pk].append(pk)
        _hold_quota(members_grader, member_band, groups.values(), rng)

        decisions = self.decisions(year, {o.pk: o for o in orgs}, deciding_unit, deciding_member)
        created = {day: self.at(datetime.date(year, 11, day)) for day in range(15, 31)}
        unit_set, member_set = units_grader.criteria_set.pk, members_grader.criteria_set.pk
        rows, none = [], {}  # no study proposal: the year predates the records
        for o in units:
            deciding, band = deciding_unit[o.pk], unit_band[o.pk]
            number, day = decisions[deciding.pk, "units" if o.kind in GRASSROOTS_KINDS else "cells"]
            points, total, share = units_grader.pooled(band)
            rows.append((
                DECIDED, 0, year, Subject.COLLECTIVE, None, o.pk, deciding.pk, unit_set, points, UNIT_SELF_TEXT, none,
                points, UNIT_REVIEW_TEXT, "", _tallies(rng, band, rng.randint(7, 13)), False, total, band, number,
                day, created[rng.randint(15, 30)], share, None,
            ))  # fmt: skip
        for pk, cell_id in members:
            band, deciding = member_band[pk], deciding_member[cell_id].pk
            points, total, share = members_grader.pooled(band)
            own = members_grader.pooled(XUAT_SAC if band == TOT and rng.random() < 0.2 else band)[0]
            number, day = decisions[deciding, "members"]
            rows.append((
                DECIDED, 0, year, Subject.MEMBER, pk, cell_id, deciding, member_set, own,
                SELF_TEXTS[pk % len(SELF_TEXTS)], none, points,
                DISCIPLINED_TEXT if pk in disciplined and band == HOAN_THANH else REVIEW_TEXTS[band], "",
                _tallies(rng, band, size[cell_id]),
                pk in disciplined, total, band, number, day, created[20 + int(rng.random() * 11)], share, None,
            ))  # fmt: skip
        insert_rows(Evaluation, ROW_FIELDS, rows)
        return {
            "year": year,
            "members": len(members),
            "collectives": len(units),
            "bands": dict(Counter(member_band.values())),
            "unit_bands": dict(Counter(unit_band.values())),
        }

    def decisions(self, year, orgs, deciding_unit, deciding_member) -> dict:
        """(deciding org id, what) → (number, date): the cells' own evaluations from the 8th of December,
        their members' from the 15th, the grassroots organisations' from the 26th."""
        found = {}
        deciders = {o.pk for o in deciding_unit.values()} | {o.pk for o in deciding_member.values()}
        for pk in sorted(deciders):
            first, symbol = self.rng.randint(60, 160), _symbol(orgs[pk])
            for step, (what, days) in enumerate((("cells", (8, 14)), ("members", (15, 22)), ("units", (26, 30)))):
                day = datetime.date(year, 12, self.rng.randint(*days))
                found[pk, what] = (f"{first + step}-{symbol}", day)
        return found

    def at(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))

    # ------------------------------------------------------------ this year

    def this_year(self, year: int) -> dict:
        """xa1.bithu's commune this year, cell by cell at its stage (the module's docstring)."""
        graders = self.graders(year)
        secretary, me = self.users.get("xa1.bithu"), self.users.get("dangvien1")
        if graders is None or secretary is None or me is None or not hasattr(me, "member"):
            return {"year": year, "states": {}}
        self.members_grader, self.units_grader = graders
        self.study_key = self.members_grader.study.key
        self.secretary, self.year = secretary, year
        self.plan = StudyPlan.objects.filter(symbol=PLAN_SYMBOL).first()
        mine = me.member.cell
        self.commune = Organization.objects.get(path=parent_path(mine.path))
        cells = list(
            Organization.objects.active(self.today)
            .filter(path__startswith=self.commune.path, depth=mine.depth, kind__in=CELL_KINDS)
            .order_by("path")
        )
        self.deciding_of = {cell.pk: services.deciding_org_of(cell) for cell in cells}
        self.members = {cell.pk: list(Member.objects.filter(cell=cell).order_by("name_key", "pk")) for cell in cells}
        ids = [m.pk for found in self.members.values() for m in found]
        self.proposals = propose_for(ids, year, self.members_grader.study.max_points)
        unit_study = self.units_grader.study
        self.unit_proposals = {
            cell.pk: unit_study and collective_proposal(cell.pk, year, unit_study.max_points) for cell in cells
        }
        self.heads = _heads(ids, year)

        # Which cell plays which part.
        copying = {cell.pk: [m for m in self.members[cell.pk] if self.copied(m)] for cell in cells}
        others = [c for c in cells if c.pk != mine.pk]
        copied = max(others, key=lambda c: (len(copying[c.pk]), -others.index(c)))
        copied = copied if copying[copied.pk] else None
        others = [c for c in others if c != copied]
        over = max(others, key=lambda c: (len(self.members[c.pk]), -others.index(c)))
        others = [c for c in others if c != over]
        stages = {cell.pk: STAGES[i % len(STAGES)] for i, cell in enumerate(others)}
        decided = [c for c in others if stages[c.pk] == DECIDED]
        reviewed = [c for c in others if stages[c.pk] == REVIEWED]
        # The smallest decided cell is decided through the services (the decision reads each of its members).
        showcase = min(decided, key=lambda c: (len(self.members[c.pk]), decided.index(c))) if decided else None

        # The cells' own reviews first (their heads follow them), the decided ones within the commune's quota;
        # then their members' as reviewed.
        self.unit_reviews = {c.pk: self.unit_review(c, _draw(self.rng, COLLECTIVE_SHARES)) for c in decided}
        self.unit_reviews[over.pk] = self.unit_review(over, TOT, generous=True)
        held = {pk: review[1].band for pk, review in self.unit_reviews.items()}
        _hold_quota(self.units_grader, held, [list(held)], self.rng)
        for pk in [pk for pk, band in held.items() if band != self.unit_reviews[pk][1].band]:
            self.unit_reviews[pk] = self.unit_review(next(c for c in cells if c.pk == pk), held[pk])
        self.unit_reviews.update({c.pk: self.unit_review(c, _draw(self.rng, COLLECTIVE_SHARES)) for c in reviewed})
        unit_band = {pk: review[1].band for pk, review in self.unit_reviews.items()}
        # A decided cell whose study was flagged "làm lướt" gives everyone full study points: the summary
        # page names it among the units to look at again.
        flagged = year_indices([c.pk for c in decided], year)
        skimming = next((c for c in decided if any(i["lam_luot"] for i in flagged.get(c.pk, []))), None)
        reviews = {}
        for cell in decided + reviewed:
            reviews.update(self.reviews(cell, unit_band[cell.pk], full_study=cell == skimming))
        for cell in reviewed:
            self.hold_cell_quota(cell, reviews)
        decided_ids = [m.pk for c in decided for m in self.members[c.pk]]
        self.fill_quota(decided_ids, reviews)
        reviews.update(self.over_reviews(over, decided_ids, reviews))

        # Bulk-created first (the other decided cells among them), then the showcases through the services.
        numbers = iter(range(self.rng.randint(40, 90), 10_000))
        rows, showcased = [], None
        for cell in others:
            stage = stages[cell.pk]
            if stage == NOT_STARTED:
                continue
            members = self.members[cell.pk]
            if cell == showcase:  # decided through the services, once its members are reviewed
                showcased = (members[:SHOWCASE], f"{next(numbers)}-QĐ/ĐU", f"{next(numbers)}-QĐ/ĐU")
                rows += [self.member_row(m, REVIEWED, reviews[m.pk]) for m in members[SHOWCASE:]]
                continue
            rows.append(self.unit_row(cell, stage, f"{next(numbers)}-QĐ/ĐU"))
            number = f"{next(numbers)}-QĐ/ĐU"
            rows += [self.member_row(m, stage, reviews.get(m.pk), number) for m in members]
        over_members = self.members[over.pk]
        rows += [self.member_row(m, REVIEWED, reviews[m.pk]) for m in over_members[SHOWCASE:]]
        copiers = []
        if copied is not None:  # those who copied first: their evaluations go through the services
            copiers = sorted(self.members[copied.pk], key=lambda m: (not self.copied(m), m.name_key, m.pk))
            rows += [self.member_row(m, SELF_ASSESSED) for m in copiers[SHOWCASE:]]
        Evaluation.objects.bulk_create(rows, batch_size=2000)

        if showcased is not None:
            members, unit_number, number = showcased
            self.showcase_unit(showcase, REVIEWED, decide=unit_number)
            for member in members:
                self.through_services(member, REVIEWED, reviews[member.pk])
            batch = list(Evaluation.objects.filter(year=year, org=showcase, member__isnull=False))
            services.decide(self.secretary, self.commune, batch, number=number, decided_on=self.decided_on())
        self.showcase_unit(over, REVIEWED, decide=f"{next(numbers)}-QĐ/ĐU")
        for member in over_members[:SHOWCASE]:
            self.through_services(member, REVIEWED, reviews[member.pk])
        refusal = self.over_refusal(over, reviews)
        if copied is not None:
            self.showcase_unit(copied, SELF_ASSESSED)
            for member in copiers[:SHOWCASE]:
                self.through_services(member, SELF_ASSESSED)
        self.mine(mine, me.member)

        evaluations = Evaluation.objects.filter(year=year, org__in=cells)
        started = set(evaluations.filter(member__isnull=False).values_list("member_id", flat=True))
        named = {stage: [c.name for c in others if stages[c.pk] == stage] for stage in dict.fromkeys(STAGES)}
        return {
            "year": year,
            "commune": self.commune.name,
            "states": dict(Counter(evaluations.values_list("state", flat=True))),
            "not_started": len(set(ids) - started),
            "cells": named,
            "over_quota": {
                "cell": over.name,
                "members": len(over_members),
                "excellent": sum(reviews[m.pk][1].band == XUAT_SAC for m in over_members),
                "refusal": refusal,
            },
            "copied": {"cell": copied.name if copied else "", "members": len(copying[copied.pk]) if copied else 0},
            "skimming": skimming.name if skimming else "",
            "mine": {"cell": mine.name, "dangvien1": NOT_STARTED},
        }

    def copied(self, member: Member) -> bool:
        """Whether MEMBER's proposal counts an essay judged a copy (its essay part at nothing, saying why)."""
        proposal = self.proposals.get(member.pk)
        return proposal is not None and any(
            part.key == "essays" and any("sao chép" in source.text for source in part.sources)
            for part in proposal.parts
        )

    # -- points

    def study_points(self, member: Member, explains: bool, generous=False) -> tuple[Decimal, str]:
        """The study points the cell gives MEMBER, and why when they differ from the proposal: as proposed,
        unless below the floor because the essay is not due yet and the cell EXPLAINS so, or the cell is
        GENEROUS (it always finds a reason)."""
        proposal = self.proposals[member.pk]
        floor = self.members_grader.study.floor or Decimal(0)
        if proposal.points >= floor:
            return proposal.points, ""
        unwritten = any(
            part.key == "essays" and any(s.text.endswith("chưa nộp bài thu hoạch") for s in part.sources)
            for part in proposal.parts
        )
        if unwritten and self.plan is not None and self.plan.essay_deadline >= self.today and (generous or explains):
            reason = NOT_DUE_REASON.format(plan=f"Kế hoạch {self.plan.symbol}", deadline=self.plan.essay_deadline)
        elif generous:
            reason = GENEROUS_REASON
        else:
            return proposal.points, ""
        return floor + Decimal(self.rng.choice(["0", "0.5", "1", "1.5", "2"])), reason

    def reviews(self, cell: Organization, unit_band: str, full_study=False) -> dict:
        """{member id: (points, grading, reason)} of CELL's review: bands as they usually fall, the study
        points as the cell gives them (FULL_STUDY: the maximum to everyone, with a reason where it is more
        than proposed), a head no better than the cell."""
        found, explains = {}, self.rng.random() < EXPLAINED
        for member in self.members[cell.pk]:
            study, reason = self.study_points(member, explains)
            if full_study:
                study = self.members_grader.study.max_points
                reason = GENEROUS_REASON if study != self.proposals[member.pk].points else ""
            band = _draw(self.rng, MEMBER_SHARES)
            head = (member.pk, cell.pk) in self.heads
            if head:
                band = _follow_unit(band, unit_band, self.members_grader)
            points, grading = self.members_grader.graded(band, {self.study_key: study})
            if head and _follow_unit(grading.band, unit_band, self.members_grader) != grading.band:
                points, grading = self.members_grader.graded(unit_band, {self.study_key: study}, tries=40)
            found[member.pk] = (points, grading, reason)
        return found

    def regrade(self, reviews: dict, pk: int, band: str) -> None:
        """Member PK's review points redrawn for BAND, their study points kept."""
        points, _, reason = reviews[pk]
        new, grading = self.members_grader.graded(band, {self.study_key: points[self.study_key]}, tries=40)
        if grading.band != band:
            raise RuntimeError(f"the demo could not rate member {pk} {band}")
        reviews[pk] = (new, grading, reason)

    def hold_cell_quota(self, cell: Organization, reviews: dict) -> None:
        """A reviewed cell proposes no more "xuất sắc" than its own members allow (decidable on its own)."""
        ids = [m.pk for m in self.members[cell.pk]]
        excellent = [pk for pk in ids if reviews[pk][1].band == XUAT_SAC]
        good = sum(reviews[pk][1].band in (XUAT_SAC, TOT) for pk in ids)
        for pk in excellent[rules.excellent_allowed(self.members_grader.rules, good) :]:
            self.regrade(reviews, pk, TOT)

    def fill_quota(self, ids: list[int], reviews: dict) -> None:
        """The decided cells use the commune's quota exactly: "xuất sắc" beyond it lowered, below it raised."""
        excellent = [pk for pk in ids if reviews[pk][1].band == XUAT_SAC]
        good = [pk for pk in ids if reviews[pk][1].band == TOT]
        allowed = rules.excellent_allowed(self.members_grader.rules, len(excellent) + len(good))
        for pk in self.rng.sample(excellent, max(0, len(excellent) - allowed)):
            self.regrade(reviews, pk, TOT)
        for pk in self.rng.sample(good, max(0, min(len(good), allowed - len(excellent)))):
            self.regrade(reviews, pk, XUAT_SAC)

    def over_reviews(self, over: Organization, decided_ids: list[int], reviews: dict) -> dict:
        """The over-quota cell's review: every member "hoàn thành tốt" or better (the study points given
        generously), and more "xuất sắc" than the commune may still decide once the decided cells count."""
        members = self.members[over.pk]
        excellent = sum(reviews[pk][1].band == XUAT_SAC for pk in decided_ids)
        good = sum(reviews[pk][1].band in (XUAT_SAC, TOT) for pk in decided_ids)
        allowed = rules.excellent_allowed(self.members_grader.rules, good + len(members))
        wanted = min(len(members), max(allowed - excellent + 1, round(OVER_SHARE * len(members))))
        given = {m.pk: self.study_points(m, True, generous=True) for m in members}
        found = {}
        for rank, member in enumerate(sorted(members, key=lambda m: (-given[m.pk][0], m.name_key, m.pk))):
            band = XUAT_SAC if rank < wanted else TOT
            points, grading = self.members_grader.graded(band, {self.study_key: given[member.pk][0]}, tries=40)
            if grading.band != band:
                raise RuntimeError(f"the demo could not rate member {member.pk} {band}")
            found[member.pk] = (points, grading, given[member.pk][1])
        return found

    def unit_review(self, cell: Organization, band: str, generous=False) -> tuple:
        """CELL's own review by the commune, aiming at BAND: (points, grading, reason). Its study points are
        those proposed from its fidelity index when there is one; a GENEROUS commune lifts them to the floor,
        saying why."""
        proposal, study = self.unit_proposals.get(cell.pk), self.units_grader.study
        fixed, reason = {}, ""
        if proposal is not None:
            fixed[study.key] = proposal.points
            if generous and proposal.points < (study.floor or 0):
                fixed[study.key] = study.floor + Decimal(self.rng.choice(["0", "0.5", "1"]))
                reason = UNIT_GENEROUS_REASON
        points, grading = self.units_grader.graded(band, fixed, tries=40)
        return points, grading, reason

    def own_points(self, member: Member, review=None) -> dict[str, str]:
        """The member's self-assessment: a little kinder than the cell's review, the study points their own guess."""
        base = float(review[1].total) if review else self.rng.uniform(75, 92)
        guess = Decimal(self.rng.choice(["7", "7.5", "8", "8.5", "9"]))
        return _stored(self.members_grader.spread(min(99.0, base + self.rng.uniform(0, 4)), {self.study_key: guess}))

    # -- bulk rows

    def member_row(self, member: Member, stage: str, review=None, number: str = "") -> Evaluation:
        """MEMBER's evaluation at STAGE as the services would have left it (REVIEW: points, grading, reason)."""
        row = Evaluation(
            year=self.year, subject=Subject.MEMBER, member=member, org_id=member.cell_id,
            deciding_org=self.deciding_of[member.cell_id], criteria_set=self.members_grader.criteria_set, state=stage,
            study_proposal=services.proposal_json(self.proposals[member.pk]),
            created_at=self.at(self.days_ago({DRAFT: 3, SELF_ASSESSED: 8, REVIEWED: 12, DECIDED: 16}[stage])),
        )  # fmt: skip
        if stage != DRAFT or self.rng.random() < 0.5:
            row.self_points, row.self_text = self.own_points(member, review), self.rng.choice(SELF_TEXTS)
        if stage in (REVIEWED, DECIDED):
            points, grading, reason = review
            row.review_points, row.study_reason, row.review_text = _stored(points), reason, REVIEW_TEXTS[grading.band]
            row.tallies = _tallies(self.rng, grading.band, len(self.members[member.cell_id]))
            row.study_share, row.study_proposed_share = self.shares(self.members_grader, points, row.study_proposal)
        if stage == DECIDED:
            row.total, row.band = review[1].total, review[1].band
            row.decision_number, row.decision_date = number, self.decided_on()
        return row

    def unit_row(self, cell: Organization, stage: str, number: str) -> Evaluation:
        """CELL's own evaluation at STAGE, its review (when reviewed) as `unit_review` drew it."""
        proposal = self.unit_proposals.get(cell.pk)
        row = Evaluation(
            year=self.year, subject=Subject.COLLECTIVE, org=cell, deciding_org=self.commune,
            criteria_set=self.units_grader.criteria_set, state=stage, created_at=self.at(self.days_ago(20)),
            study_proposal=services.proposal_json(proposal) if proposal else {},
        )  # fmt: skip
        review = self.unit_reviews.get(cell.pk)
        if stage != DRAFT:
            row.self_points = _stored(review[0]) if review else self.units_grader.pooled(TOT)[0]
            row.self_text = UNIT_SELF_TEXT
        if stage in (REVIEWED, DECIDED):
            points, grading, reason = review
            row.review_points, row.review_text, row.study_reason = _stored(points), UNIT_REVIEW_TEXT, reason
            row.tallies = {grading.band: 7 + int(self.rng.random() * 5)}
            row.study_share, row.study_proposed_share = self.shares(self.units_grader, points, row.study_proposal)
        if stage == DECIDED:
            row.total, row.band, row.decision_number = review[1].total, review[1].band, number
            row.decision_date = self.decided_on(1)
        return row

    def shares(self, grader: Grader, points: dict, proposal: dict) -> tuple[float | None, float | None]:
        """The study criterion given in POINTS and the one PROPOSAL proposed, as shares of its maximum."""
        proposed = proposal.get("points")
        return grader.share(points), None if proposed is None else float(Decimal(proposed) / grader.study.max_points)

    def days_ago(self, days: int) -> datetime.date:
        """DAYS before today, not before this year began."""
        return max(datetime.date(self.year, 1, 1), self.today - datetime.timedelta(days=days))

    def decided_on(self, earlier: int = 0) -> datetime.date:
        """When this year's decided cells were decided: three days ago (their own evaluations EARLIER days before)."""
        return self.days_ago(3 + earlier)

    # -- through the services

    def showcase_unit(self, cell: Organization, stage: str, decide: str = "") -> Evaluation:
        """CELL's own evaluation through the services up to STAGE (its review as `unit_review` drew it),
        decided with number DECIDE when given."""
        actor, review = self.secretary, self.unit_reviews.get(cell.pk)
        unit = services.evaluation_start(actor, self.year, org=cell)
        if stage == DRAFT:
            return unit
        points = _stored(review[0]) if review else self.units_grader.pooled(TOT)[0]
        services.self_assess(actor, unit, points, UNIT_SELF_TEXT)
        services.submit(actor, unit)
        if stage in (REVIEWED, DECIDED):
            tallies = {review[1].band: 7 + int(self.rng.random() * 5)}
            services.review(actor, unit, points=points, text=UNIT_REVIEW_TEXT, tallies=tallies, study_reason=review[2])
        if decide:
            services.decide(actor, unit.deciding_org, [unit], number=decide, decided_on=self.decided_on(1))
        return unit

    def through_services(self, member: Member, stage: str, review=None) -> Evaluation:
        """MEMBER's evaluation through the services up to STAGE, as xa1.bithu: the committee writes the
        self-assessment of a member without an account, and records the cell's review."""
        actor = self.secretary
        evaluation = services.evaluation_start(actor, self.year, member=member)
        if stage == DRAFT and self.rng.random() < 0.5:
            return evaluation
        services.self_assess(actor, evaluation, self.own_points(member, review), self.rng.choice(SELF_TEXTS))
        if stage == DRAFT:
            return evaluation
        services.submit(actor, evaluation)
        if stage in (REVIEWED, DECIDED):
            points, grading, reason = review
            services.review(
                actor, evaluation, points=_stored(points), text=REVIEW_TEXTS[grading.band], study_reason=reason,
                tallies=_tallies(self.rng, grading.band, len(self.members[member.cell_id])),
            )  # fmt: skip
        return evaluation

    def over_refusal(self, over: Organization, reviews: dict) -> str:
        """The refusal deciding the over-quota cell's members meets, as `services.decide` words it from the
        commune's decided members and the cell's review (the demo is wrong without one; the tests decide)."""
        decided = Evaluation.objects.filter(year=self.year, deciding_org=self.commune, member__isnull=False,
                                            state=DECIDED).values_list("band", flat=True)  # fmt: skip
        bands = [*decided, *(reviews[m.pk][1].band for m in self.members[over.pk])]
        try:
            rules.check_excellent_quota(self.members_grader.rules, self.commune.name, bands.count(XUAT_SAC),
                                        bands.count(TOT))  # fmt: skip
        except ValidationError as refused:
            return " ".join(refused.messages)
        raise RuntimeError(f"the demo's over-quota cell {over.name} is within the quota")

    def mine(self, cell: Organization, me: Member) -> None:
        """dangvien1's cell: its own evaluation a draft; some members' sent, some drafts (a few of each
        through the services), the rest — dangvien1 among them — not started."""
        self.showcase_unit(cell, DRAFT)
        others = [m for m in self.members[cell.pk] if m.pk != me.pk]
        sent, drafts = max(1, round(0.4 * len(others))), max(1, round(0.3 * len(others)))
        through = set(range(min(sent, SHOWCASE - 1))) | {sent}
        rows, stages = [], [SELF_ASSESSED] * sent + [DRAFT] * drafts
        for index, (member, stage) in enumerate(zip(others, stages, strict=False)):
            if index in through:
                self.through_services(member, stage)
            else:
                rows.append(self.member_row(member, stage))
        Evaluation.objects.bulk_create(rows)


@transaction.atomic
def seed_evaluations(today: datetime.date | None = None) -> dict:
    """Last year's evaluations of the province, decided, and this year's in xa1.bithu's commune (once)."""
    today = today or timezone.localdate()
    root = Organization.objects.filter(code=ROOT_CODE).first()
    if root is None or Evaluation.objects.filter(org__path__startswith=root.path).exists():
        return {"created": False}
    demo = EvaluationDemo(today)
    summary = {"created": True, "last_year": demo.last_year(today.year - 1), "this_year": demo.this_year(today.year)}
    audit_record(None, "demo.seed_evaluations", root, None, summary)
    return summary
