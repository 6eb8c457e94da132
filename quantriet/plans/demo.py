"""The demo plan's action programmes: the province's, one for every unit directly under it, and those
of a share of the cells, written through the services (rights checked, audit kept, concreteness
checked by the engine as on any save).

What the demo shows, drawn from one seeded random generator:
- the province's programme implementing Chỉ thị 28 (nine tasks it leads), approved by a resolution
  of the Tỉnh ủy and in force;
- for every unit under the province: most programmes CONCRETE (the unit's own situation and tasks,
  led by itself, its cells or its leaders, each with a deadline, a product and a measurable
  indicator); about one in six PASTED from the province's with only the name changed (the tasks
  still led by the province); about one in six HALF-COPIED (half of the province's tasks, half
  their own);
- cells: every cell of xa1.bithu's commune (dangvien1's among them, under consultation with his
  comments; one pasting the commune's programme, so xa1.bithu sees a flagged cell; one a draft)
  and a share of the other cells (OTHER_CELLS, at most MAX_OTHER_CELLS): mostly concrete, some
  pasted from their commune's, one restating the province's duties;
- the workflow: most programmes approved (resolution number and date) and in force, some under
  consultation with comments (some on a task), some cells still drafts; progress reports on the
  running ones: tasks done, in progress with results, and overdue — some just overdue, some more
  than ESCALATE_AFTER days (the level above is told: xa1.bithu's and the province's home pages).

Concrete programmes must stay honest. The engine masks names and figures before it estimates and
aligns whole sentences, so two communes given the same sentences with their own names would be
copies of each other (siblings are compared). Each concrete programme therefore draws its
sentences (plans.demo_texts) so that it shares at most one with any earlier programme (`Draw`),
and after saving, the engine's verdict is read back: one found copying more than TOLERATED is
drawn again without the sentences of the programmes it was matched with. The summary counts the
flags per kind; no concrete programme may be flagged, every pasted one must be.

Idempotent: nothing is done when the demo plan already has programmes.
"""

import datetime
import itertools
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from quantriet.core.audit import audit_record
from quantriet.core.models import DRAFT
from quantriet.core.workflow import APPROVED, CONSULTATION, IN_FORCE
from quantriet.org import demo_names
from quantriet.org.demo import ROOT_CODE
from quantriet.org.models import Member, Organization, OrgKind, Position, Title
from quantriet.org.tree import parent_path
from quantriet.study.demo import PLAN_SYMBOL
from quantriet.study.models import StudyPlan

from . import demo_texts as texts
from . import services
from .models import Programme, ProgrammeTask, TaskStatus

SEED = 2814
#: Share of the cells outside xa1.bithu's commune given a programme, and at most this many
#: (the concrete ones draw from one pool of sentences: see `Draw`).
OTHER_CELLS, MAX_OTHER_CELLS = 0.05, 30
#: A concrete programme found copying more than this share is drawn again, up to REDRAWS times.
TOLERATED, REDRAWS = 0.15, 4
#: Random orders a draw of sentences is tried in before it settles for one sharing a pair.
TRIES = 30
#: Overdue for more than this many days, a task is escalated to the level above (the default delay).
ESCALATE_AFTER = 7

CONCRETE, PASTED, HALF, RESTATING = "concrete", "pasted", "half", "restating"
KIND_LABELS = {CONCRETE: "cụ thể", PASTED: "chép cấp trên", HALF: "chép một nửa", RESTATING: "nhắc lại việc của tỉnh"}


class Draw:
    """Draws the sentences of concrete programmes so that no two programmes share two of them.

    Two programmes sharing one sentence align one pair of sentences, which the engine does not
    count (MIN_PAIRS); sharing two, they would be judged to copy one another. Each pair of
    sentences is so given once; the least used sentences come first.
    """

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pairs: set[tuple[str, str]] = set()
        self.usage: Counter = Counter()

    def draw(self, wanted: list[tuple[list[str], int]], exclude=frozenset(), given=()) -> list[str]:
        """K elements of each POOL in WANTED, none sharing a pair with GIVEN or each other that an
        earlier programme has; the least used first. Tried TRIES times in random orders; failing
        that, the fullest draw is completed with the least used elements."""
        best: list[str] = []
        for _ in range(TRIES):
            chosen = list(given)
            for pool, k in wanted:
                order = [e for e in pool if e not in exclude and e not in chosen]
                self.rng.shuffle(order)
                order.sort(key=lambda e: self.usage[e])
                taken = 0
                for element in order:
                    if taken == k:
                        break
                    if not any(self._pair(element, other) in self.pairs for other in chosen):
                        chosen.append(element)
                        taken += 1
            drawn = chosen[len(given) :]
            if len(drawn) == sum(k for _, k in wanted):
                return drawn
            best = max(best, drawn, key=len)
        for pool, k in wanted:
            missing = k - sum(e in pool for e in best)
            spare = sorted((e for e in pool if e not in best and e not in given), key=lambda e: self.usage[e])
            best += spare[:missing]
        return best

    def take(self, elements):
        for a, b in itertools.combinations(sorted(set(elements)), 2):
            self.pairs.add((a, b))
        self.usage.update(set(elements))

    @staticmethod
    def _pair(a, b):
        return (a, b) if a < b else (b, a)


#: Element ids → templates: "xs3" a commune situation, "xt12" a commune task, "cs"/"ct" a cell's,
#: "bs"/"bt" a bloc's.
POOLS = {
    "xs": texts.COMMUNE_SITUATIONS,
    "xt": texts.COMMUNE_TASKS,
    "cs": texts.CELL_SITUATIONS,
    "ct": texts.CELL_TASKS,
    "bs": texts.BLOC_SITUATIONS,
    "bt": texts.BLOC_TASKS,
}


def _ids(prefix: str) -> list[str]:
    return [f"{prefix}{i}" for i in range(len(POOLS[prefix]))]


def _template(element: str):
    return POOLS[element[:2]][int(element[2:])]


@dataclass
class Unit:
    """What a unit's programme is written from: its names, figures and leaders."""

    org: Organization
    villages: list[str]
    cells: list[Organization]
    members: int
    leaders: dict = field(default_factory=dict)  # title → Member


@dataclass
class Made:
    programme: Programme
    kind: str
    elements: list[str] = field(default_factory=list)
    #: Positions of the tasks left overdue (the others past their deadline are reported done).
    left_open: set[int] = field(default_factory=set)


class ProgrammeDemo:
    def __init__(self, plan: StudyPlan):
        self.rng = random.Random(SEED)
        self.plan = plan
        self.today = timezone.localdate()
        self.draw = Draw(self.rng)
        users = get_user_model().objects.filter(username__in=["admin", "tinh.tuyengiao", "xa1.bithu", "dangvien1"])
        self.users = {u.username: u for u in users}
        self.admin = self.users["admin"]
        self.root = Organization.objects.get(code=ROOT_CODE)
        self.made: list[Made] = []
        self.by_pk: dict[int, Made] = {}
        self.counts = Counter()
        positions = Position.objects.current(self.today).filter(
            title__in=[Title.SECRETARY, Title.STANDING_DEPUTY, Title.DEPUTY], org__depth__lte=4
        )
        rows = list(positions.values_list("org_id", "title", "member_id"))
        members = Member.objects.in_bulk({member for _, _, member in rows})
        self.leaders: dict[int, dict] = {}
        for org_id, title, member in rows:
            self.leaders.setdefault(org_id, {})[title] = members[member]
        self.cell_members = dict(Member.objects.values("cell_id").annotate(n=Count("id")).values_list("cell_id", "n"))

    # ------------------------------------------------------------ units

    def unit(self, org: Organization) -> Unit:
        below = list(Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).order_by("path"))
        cells = [c for c in below if c.kind in (OrgKind.CHI_BO, OrgKind.CHI_BO_CO_SO)] or below
        villages = [_village(c.name) for c in below if _village(c.name)]
        ward = "phường" in org.name
        while len(villages) < 2:
            name = (
                f"khóm {self.rng.randint(5, 12)}"
                if ward
                else f"ấp {self.rng.choice(demo_names.VILLAGE_FIRST)} {self.rng.choice(demo_names.VILLAGE_SECOND)}"
            )
            if name not in villages:
                villages.append(name)
        subtree = Organization.objects.filter(path__startswith=org.path).values_list("pk", flat=True)
        members = sum(self.cell_members.get(pk, 0) for pk in subtree)
        return Unit(org, villages, cells, members, self.leaders.get(org.pk, {}))

    def fill(self, unit: Unit, element: str, deadline: datetime.date) -> services.TaskInput:
        content, product, indicator, measure, target, lead = _template(element)
        cell = self.rng.choice(unit.cells) if unit.cells else unit.org
        v1, v2 = self.rng.sample(unit.villages, 2)
        text = _task_text(content.format(v1=v1, v2=v2, cell=cell.name, n=self.rng.randint(5, 30)))
        if target == "members":
            value = unit.members
        elif target == "cells":
            value = max(1, len(unit.cells))
        elif isinstance(target, tuple):
            value = self.rng.randint(*target)
        else:
            value = target
        lead_org, person = unit.org, None
        if lead == "person":
            person = self._leader(unit.leaders)
        elif lead == "cell" and cell is not unit.org:
            lead_org, person = cell, self._leader(self.leaders.get(cell.pk, {}))
        return services.TaskInput(
            content=text,
            lead_org=lead_org,
            lead_person=person,
            starts_on=deadline - datetime.timedelta(days=self.rng.choice([20, 30, 45, 60])),
            deadline=deadline,
            product=product,
            indicator=indicator,
            target=Decimal(value),
            unit=measure,
        )

    def _leader(self, leaders: dict):
        for title in self.rng.sample([Title.SECRETARY, Title.STANDING_DEPUTY, Title.DEPUTY], 3):
            if title in leaders:
                return leaders[title]
        return None

    # ------------------------------------------------------------ deadlines

    def deadlines(self, count: int, running: bool, overdue: int = 0, escalated: int = 0):
        """COUNT deadlines, and the positions of those to be left overdue: for a running programme
        ESCALATED more than ESCALATE_AFTER days past, OVERDUE just past, one or two past (to be
        done), the rest ahead; all ahead otherwise."""
        day = lambda offset: self.today + datetime.timedelta(days=offset)  # noqa: E731
        found = []
        if running:
            found += [(day(-self.rng.randint(ESCALATE_AFTER + 2, 20)), True) for _ in range(escalated)]
            found += [(day(-self.rng.randint(1, ESCALATE_AFTER - 1)), True) for _ in range(overdue)]
            found += [(day(-self.rng.randint(5, 15)), False) for _ in range(self.rng.choice([1, 2]))]
        while len(found) < count:
            found.append((day(self.rng.randint(15, 330)), False))
        found = found[:count]
        self.rng.shuffle(found)
        return [date for date, _ in found], {i for i, (_, left) in enumerate(found) if left}

    # ------------------------------------------------------------ writing

    def create(self, actor, org, title, preamble, tasks, kind, elements=(), symbol="") -> Made:
        programme = services.programme_create(actor, self.plan, org, title)
        services.programme_save(actor, programme, title=title, preamble=preamble, symbol=symbol, tasks=tasks,
                                summary="Dự thảo lần 1")  # fmt: skip
        programme.refresh_from_db()
        made = Made(programme, kind, list(elements))
        self.made.append(made)
        self.by_pk[programme.pk] = made
        return made

    def concrete(self, actor, unit: Unit, title: str, situations, tasks, k, running, overdue=0,
                 escalated=0, given=()):  # fmt: skip
        """A concrete programme, drawn again while the engine finds it copying (see the module's docstring)."""
        exclude: set[str] = set()
        made = None
        for attempt in range(REDRAWS + 1):
            own = self.draw.draw([(situations, 1), (tasks, k)], exclude, given)
            chosen = [*own, *given]
            preamble, task_inputs, left = self.compose(unit, chosen, running, overdue, escalated)
            if made is None:
                made = self.create(actor, unit.org, title, preamble, task_inputs, CONCRETE, chosen)
            else:
                programme = made.programme
                services.programme_save(actor, programme, title=title, preamble=preamble, symbol="",
                                        tasks=task_inputs, summary=f"Dự thảo lần {attempt + 1}")  # fmt: skip
                programme.refresh_from_db()
                made.elements = chosen
            made.left_open = left
            self.counts["checks"] += 1
            if (made.programme.copied_share or 0) <= TOLERATED:
                break
            self.counts["redrawn"] += 1
            for source in made.programme.copied_from:
                other = self.by_pk.get(source["programme"])
                exclude |= set(other.elements) if other else set()
        self.draw.take(made.elements)
        return made

    def compose(self, unit: Unit, elements, running, overdue, escalated):
        situation = [e for e in elements if e[1] == "s"]
        tasks = [e for e in elements if e[1] == "t"]
        v1, v2 = self.rng.sample(unit.villages, 2)
        lines = []
        for element in situation:
            values = dict(v1=v1, v2=v2, n=self.rng.randint(12, 60), members=unit.members, cells=len(unit.cells))
            lines.append(_template(element).format(**values))
        dates, left = self.deadlines(len(tasks), running, overdue, escalated)
        return "\n".join(lines), [self.fill(unit, e, d) for e, d in zip(tasks, dates, strict=True)], left

    # ------------------------------------------------------------ levels

    def province(self):
        actor = self.users["tinh.tuyengiao"]
        tasks = [
            services.TaskInput(
                content=_task_text(content),
                lead_org=self.root,
                starts_on=self.today - datetime.timedelta(days=30),
                deadline=self.today + datetime.timedelta(days=offset),
                product=product,
                indicator=indicator,
                target=Decimal(target),
                unit=measure,
            )
            for content, product, indicator, measure, target, offset in texts.PROVINCE_TASKS
        ]
        title = "Chương trình hành động thực hiện Chỉ thị số 28-CT/TU của Ban Thường vụ Tỉnh ủy"
        made = self.create(actor, self.root, title, texts.PROVINCE_PREAMBLE, tasks, CONCRETE, symbol="145-CTr/TU")
        made.left_open = {i for i, task in enumerate(texts.PROVINCE_TASKS) if -ESCALATE_AFTER - 3 < task[-1] < 0}
        self.province_made = made
        self.run(made, approved_on=self.today - datetime.timedelta(days=27),
                 ref="Nghị quyết số 145-NQ/TU của Ban Chấp hành Đảng bộ tỉnh", approver=self.admin,
                 writer=actor, reporter=actor)  # fmt: skip
        services.programme_review(
            self.admin, made.programme, held_on=self.today - datetime.timedelta(days=3),
            summary="Sơ kết bước đầu: các cấp đã tổ chức học tập, quán triệt; còn chậm ở việc biên soạn tài liệu "
            "tóm tắt cho đồng bào dân tộc Khmer, giao Ban Tuyên giáo và Dân vận hoàn thành trong tháng tới.",
        )  # fmt: skip
        self.province_made = made
        return made

    def pasted(self, actor, org: Organization, source: Made, lead: Organization, name_from: str) -> Made:
        """SOURCE's programme with only the name at the top changed; its tasks led by LEAD."""
        programme = source.programme
        title = f"Chương trình hành động của {org.name} thực hiện Chỉ thị số 28-CT/TU"
        preamble = programme.preamble.replace(name_from, org.name, 1)
        tasks = [self._copy(task, lead) for task in programme.tasks.order_by("number")]
        made = self.create(actor, org, title, preamble, tasks, PASTED)
        made.left_open = set(source.left_open)  # what the source could not do, nor can the copy
        return made

    def _copy(self, task: ProgrammeTask, lead: Organization, content: str | None = None) -> services.TaskInput:
        return services.TaskInput(
            content=content or task.content,
            lead_org=lead,
            starts_on=task.starts_on,
            deadline=task.deadline,
            product=task.product,
            indicator=task.indicator,
            target=task.target,
            unit=task.unit,
        )

    def commune_level(self):
        """A programme for every unit directly under the province, in tree order."""
        children = list(Organization.objects.filter(path__startswith=self.root.path, depth=2).order_by("path"))
        xa1, xa2 = (Organization.objects.get(code=f"{ROOT_CODE}-X00{i}") for i in (1, 2))
        blocs = [o for o in children if o.kind == OrgKind.DANG_UY_KHOI]
        communes = [o for o in children if o.kind != OrgKind.DANG_UY_KHOI]
        bloc_tasks, drawn = _ids("bt"), 0
        for index, bloc in enumerate(blocs):
            if bloc.code == f"{ROOT_CODE}-QS":  # the bloc that skims (study.demo): its programme pasted too
                made = self.pasted(self.admin, bloc, self.province_made, self.root, "Đảng bộ tỉnh Vĩnh Long")
            else:
                unit = self.unit(bloc)
                given, drawn = bloc_tasks[4 * drawn : 4 * drawn + 4], drawn + 1
                made = self.concrete(self.admin, unit, _title(bloc), [f"bs{index % 4}"], [], 0,
                                     running=True, escalated=index == 0, given=given)  # fmt: skip
            self.advance(made, "run")
        for index, org in enumerate(communes):
            roll = self.rng.random()
            kind = {2: PASTED, 5: HALF}.get(index % 6, CONCRETE) if org not in (xa1, xa2) else CONCRETE
            actor = self.users["xa1.bithu"] if org == xa1 else self.admin
            if org == xa1:
                state = "run_commented"
            elif org == xa2:
                state = "consultation"
            elif roll < 0.12:
                state = "consultation"
            elif roll < 0.18:
                state = "approved"
            else:
                state = "run"
            running = state.startswith("run") or state == "approved"
            if kind == PASTED:
                made = self.pasted(actor, org, self.province_made, self.root, "Đảng bộ tỉnh Vĩnh Long")
            elif kind == HALF:
                made = self.half(actor, org, running)
            else:
                unit = self.unit(org)
                overdue = 1 if org == xa1 else int(self.rng.random() < 0.3)
                escalated = 1 if org == xa1 else int(self.rng.random() < 0.35)
                made = self.concrete(actor, unit, _title(org), _ids("xs"), _ids("xt"),
                                     6 if org == xa1 else 4, running, overdue, escalated)  # fmt: skip
            self.advance(made, state, writer=actor)

    def half(self, actor, org: Organization, running: bool) -> Made:
        """Half of the province's tasks pasted (led by the province), half its own."""
        unit = self.unit(org)
        own = self.draw.draw([(_ids("xs"), 1), (_ids("xt"), 3)])
        preamble, tasks, left = self.compose(unit, own, running, 0, int(self.rng.random() < 0.5))
        province = list(self.province_made.programme.tasks.order_by("number"))
        pasted = [self._copy(task, self.root) for task in province[:5]]
        made = self.create(actor, org, _title(org), preamble, pasted + tasks, HALF, own)
        made.left_open = {i for i in self.province_made.left_open if i < len(pasted)} | {len(pasted) + i for i in left}
        self.draw.take(own)
        return made

    def cells(self):
        xa1 = Organization.objects.get(code=f"{ROOT_CODE}-X001")
        live = self.users["dangvien1"].member.cell
        commune_programmes = {m.programme.org.path: m for m in self.made if m.programme.org.depth == 2}
        own = list(Organization.objects.filter(path__startswith=xa1.path, depth=3).order_by("path"))
        pool = list(
            Organization.objects.filter(kind=OrgKind.CHI_BO, depth=3, path__startswith=self.root.path)
            .exclude(path__startswith=xa1.path)
            .order_by("path")
        )
        others = self.rng.sample(pool, min(MAX_OTHER_CELLS, max(3, round(len(pool) * OTHER_CELLS))))
        others.sort(key=lambda o: o.path)
        pasted_own = next((c for c in own if c != live and not c.name.startswith("Chi bộ Cơ quan")), own[-1])
        draft_own = next((c for c in reversed(own) if c not in (live, pasted_own)), None)
        xa1_user = self.users["xa1.bithu"]
        for cell in own:
            commune = commune_programmes[xa1.path]
            if cell == pasted_own:
                made = self.pasted(xa1_user, cell, commune, xa1, xa1.name)
                self.advance(made, "run", writer=xa1_user)
            elif cell == live:
                made = self.cell_concrete(xa1_user, cell, running=False)
                self.advance(made, "consultation_member", writer=xa1_user)
            elif cell == draft_own:
                self.cell_concrete(xa1_user, cell, running=False)
            else:
                made = self.cell_concrete(xa1_user, cell, running=True, escalated=1)
                self.advance(made, "run", writer=xa1_user)
        for index, cell in enumerate(others):
            commune = commune_programmes.get(parent_path(cell.path))
            roll = self.rng.random()
            if index == 0:
                made = self.restating(cell)
                self.advance(made, "consultation")
            elif roll < 0.2 and commune is not None:
                commune_org = commune.programme.org
                made = self.pasted(self.admin, cell, commune, commune_org, commune_org.name)
                self.advance(made, "run")
            elif roll < 0.35:
                self.cell_concrete(self.admin, cell, running=False)
            else:
                made = self.cell_concrete(self.admin, cell, running=True, escalated=int(self.rng.random() < 0.3))
                self.advance(made, "run")

    def cell_concrete(self, actor, cell, running, escalated=0) -> Made:
        unit = self.unit(cell)
        k = 4
        return self.concrete(actor, unit, _title(cell), _ids("cs"), _ids("ct"), k, running,
                             int(running and self.rng.random() < 0.4), escalated)  # fmt: skip

    def restating(self, cell) -> Made:
        """A cell restating the province's duties, reworded a little, led by the province (no indicators)."""
        title = f"Chương trình hành động của {cell.name} thực hiện Chỉ thị số 28-CT/TU"
        province = list(self.province_made.programme.tasks.order_by("number"))
        tasks = []
        for task in province[:5]:
            content = task.content.replace("toàn tỉnh", "toàn Đảng bộ").replace("hằng tháng", "định kỳ")
            tasks.append(services.TaskInput(content=content, lead_org=self.root, product=task.product))
        return self.create(self.admin, cell, title, texts.RESTATING_PREAMBLE, tasks, RESTATING)

    # ------------------------------------------------------------ workflow and progress

    def advance(self, made: Made, state: str, writer=None):
        programme = made.programme
        writer = writer or self.admin
        approver = writer if writer.username == "xa1.bithu" else self.admin
        if state.startswith("consultation"):
            services.programme_transition(writer, programme, "submit", "Gửi xin ý kiến đảng viên")
            commenter = self.users["dangvien1"] if state == "consultation_member" else self.users["tinh.tuyengiao"]
            self.comments(programme, commenter)
        elif state == "approved":
            self.approve(programme, writer, approver)
        elif state.startswith("run"):
            self.run(made, approver=approver, writer=writer, reporter=approver,
                     commenter=self.users["dangvien1"] if state == "run_commented" else None)  # fmt: skip

    def comments(self, programme: Programme, commenter):
        task = programme.tasks.order_by("number").first()
        services.programme_comment(commenter, programme, self.rng.choice(texts.COMMENTS))
        if task is not None:
            services.programme_comment(commenter, programme, self.rng.choice(texts.TASK_COMMENTS), task)
        self.counts["comments"] += 1 + (task is not None)

    def approve(self, programme: Programme, writer, approver, approved_on=None, ref=None, commenter=None):
        services.programme_transition(writer, programme, "submit", "Gửi xin ý kiến")
        if commenter is not None:
            self.comments(programme, commenter)
        approved_on = approved_on or self.today - datetime.timedelta(days=self.rng.randint(12, 24))
        number = self.rng.randint(20, 160)
        ref = ref or f"Nghị quyết số {number}-NQ/ĐU ngày {approved_on:%d/%m/%Y} của {_committee(programme.org)}"
        services.programme_transition(approver, programme, "approve", approved_on=approved_on, approval_ref=ref)

    def run(self, made: Made, *, approver, writer, reporter, approved_on=None, ref=None, commenter=None):
        programme = made.programme
        self.approve(programme, writer, approver, approved_on, ref, commenter)
        services.programme_transition(approver, programme, "enact", "Đưa vào thực hiện")
        programme.refresh_from_db()
        self.reports(made, reporter)

    def reports(self, made: Made, actor):
        """Past tasks done but those left overdue (some of them reported in progress); a share of
        the tasks ahead in progress with their results so far."""
        programme = made.programme
        approved = programme.approved_on or self.today
        for index, task in enumerate(programme.tasks.order_by("number")):
            target = task.target or Decimal(0)
            partly = (target * Decimal(self.rng.choice(["0.2", "0.4", "0.5", "0.6"]))).quantize(Decimal(1))
            recently = max(approved, self.today - datetime.timedelta(days=self.rng.randint(0, 5)))
            if task.deadline and task.deadline < self.today:
                if index not in made.left_open:
                    on = task.deadline - datetime.timedelta(days=self.rng.randint(0, 3))
                    self.report(actor, task, TaskStatus.DONE, target, max(on, approved))
                elif self.rng.random() < 0.5:
                    self.report(actor, task, TaskStatus.IN_PROGRESS, partly, min(recently, task.deadline))
            elif self.rng.random() < 0.2:
                self.report(actor, task, TaskStatus.IN_PROGRESS, partly, recently)

    def report(self, actor, task, status, achieved, on):
        note = self.rng.choice(texts.REPORT_NOTES[status])
        services.task_report(actor, task, status=status, achieved=achieved, note=note, reported_on=min(on, self.today))
        self.counts["updates"] += 1


def _task_text(content: str) -> str:
    """A task as programmes write them, without a final full stop: the engine then reads the task and
    its product as one sentence (two would make one shared task two aligned pairs)."""
    return content.rstrip(". ")


def _village(name: str) -> str:
    for prefix in ("Chi bộ ấp ", "Chi bộ khóm "):
        if name.startswith(prefix):
            return name[len("Chi bộ ") :]
    return ""


def _title(org: Organization) -> str:
    return f"Chương trình hành động của {_committee(org)} thực hiện Chỉ thị số 28-CT/TU"


def _committee(org: Organization) -> str:
    if org.name.startswith("Chi bộ"):
        return org.name
    return org.name.replace("Đảng bộ", "Đảng ủy", 1)


def flag_counts(plan: StudyPlan, kinds: dict[int, str]) -> dict[str, dict[str, int]]:
    """For each kind of programme: how many, and how many flagged "sao_chep" and "chua_cu_the"."""
    found = {kind: {"total": 0, "sao_chep": 0, "chua_cu_the": 0} for kind in KIND_LABELS}
    for pk, flags in Programme.objects.filter(plan=plan, pk__in=kinds).values_list("pk", "flags"):
        row = found[kinds[pk]]
        row["total"] += 1
        for flag in ("sao_chep", "chua_cu_the"):
            row[flag] += flag in flags
    return found


@transaction.atomic
def seed_programmes() -> dict:
    """The demo plan's programmes (once): see the module's docstring."""
    plan = StudyPlan.objects.filter(symbol=PLAN_SYMBOL).first()
    if plan is None or Programme.objects.filter(plan=plan).exists():
        return {"created": False}
    started = time.monotonic()
    demo = ProgrammeDemo(plan)
    demo.province()
    demo.commune_level()
    demo.cells()
    kinds = {made.programme.pk: made.kind for made in demo.made}
    today = demo.today
    tasks = ProgrammeTask.objects.filter(programme__plan=plan)
    overdue = tasks.filter(deadline__lt=today, programme__state__in=[APPROVED, IN_FORCE]).exclude(
        status=TaskStatus.DONE
    )
    late = today - datetime.timedelta(days=ESCALATE_AFTER)
    states = Counter(Programme.objects.filter(plan=plan).values_list("state", flat=True))
    summary = {
        "created": True,
        "programmes": len(demo.made),
        "levels": dict(Counter(made.programme.org.depth for made in demo.made)),
        "states": {state: states.get(state, 0) for state in (DRAFT, CONSULTATION, APPROVED, IN_FORCE)},
        "tasks": tasks.count(),
        "updates": demo.counts["updates"],
        "comments": demo.counts["comments"],
        "overdue": overdue.count(),
        "escalated": overdue.filter(deadline__lt=late).count(),
        "redrawn": demo.counts["redrawn"],
        "flags": flag_counts(plan, kinds),
        "seconds": round(time.monotonic() - started, 1),
    }
    audit_record(None, "demo.seed_programmes", plan, None, {k: v for k, v in summary.items() if k != "flags"})
    return summary
