"""A deterministic demo province shaped like Vĩnh Long after the 1/7/2025 merger.

Scale 1.0 is about 150,000 members, 124 commune/ward committees, 4 provincial bloc committees
and about 5,000 cells. Everything is drawn from one seeded random generator and fixed dates,
so the same scale always gives the same province.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from quantriet.core.audit import audit_record
from quantriet.core.text import fold

from . import demo_names as names
from .models import Gender, Grant, Member, MemberStatus, Organization, OrgKind, Position, Role, Title

ROOT_CODE = "TVL"
SEED = 28  # Chỉ thị 28-CT/TU
#: Dates are drawn relative to this fixed day so the demo is the same on every run.
REFERENCE = datetime.date(2026, 10, 1)
MERGER = datetime.date(2025, 7, 1)
COMMITTEES = 124

DEMO_USERS = {
    "admin": "Quản trị hệ thống (toàn tỉnh)",
    "tinh.tuyengiao": "Cán bộ Ban Tuyên giáo và Dân vận Tỉnh ủy (toàn tỉnh)",
    "xa1.bithu": "Bí thư Đảng ủy của đảng bộ xã/phường thứ nhất",
    "xa2.bithu": "Bí thư Đảng ủy của đảng bộ xã/phường thứ hai (đơn vị ngang cấp)",
    "dangvien1": "Đảng viên một chi bộ thuộc đảng bộ thứ nhất",
}


@dataclass
class Plan:
    """Organisations in tree order with their parent index, then members per cell."""

    orgs: list = field(default_factory=list)  # (parent index or None, code, name, kind)
    cell_weights: dict = field(default_factory=dict)  # org index -> (weight, khmer share)


class DemoBuilder:
    def __init__(self, scale: float, progress=None):
        self.scale = scale
        self.rng = random.Random(SEED)
        self.progress = progress or (lambda step, n=1: None)
        self.plan = Plan()
        self.card_serial = 0

    # ------------------------------------------------------------ the tree

    def _add(self, parent, code, name, kind, khmer=0.0):
        self.plan.orgs.append((parent, code, name, kind))
        index = len(self.plan.orgs) - 1
        if kind in (OrgKind.CHI_BO, OrgKind.CHI_BO_CO_SO):
            self.plan.cell_weights[index] = (self.rng.uniform(0.4, 1.6), khmer)
        return index

    def plan_tree(self):
        s = self.scale
        root = self._add(None, ROOT_CODE, "Đảng bộ tỉnh Vĩnh Long", OrgKind.TINH_UY)
        for code, name, units in names.BLOCS:
            bloc = self._add(root, f"{ROOT_CODE}-{code}", name, OrgKind.DANG_UY_KHOI)
            n_units = max(2, min(len(units), round(len(units) * min(1.0, s * 4))))
            for u, unit in enumerate(units[:n_units], start=1):
                unit_code = f"{ROOT_CODE}-{code}-{u:02d}"
                if u % 2:  # every other unit is a đảng bộ cơ sở with its own cells
                    parent = self._add(bloc, unit_code, f"Đảng bộ {unit}", OrgKind.DANG_BO_CO_SO)
                    for c in range(1, max(2, round(6 * s)) + 1):
                        label = names.UNIT_CELLS[(c - 1) % len(names.UNIT_CELLS)]
                        suffix = f" {c // len(names.UNIT_CELLS) + 1}" if c > len(names.UNIT_CELLS) else ""
                        self._add(parent, f"{unit_code}-C{c:02d}", f"{label}{suffix}", OrgKind.CHI_BO)
                else:
                    self._add(bloc, unit_code, f"Chi bộ {unit}", OrgKind.CHI_BO_CO_SO)
        places = [("phường", n) for n in names.WARDS] + [("xã", n) for n in dict.fromkeys(names.COMMUNES)]
        for x, (level, place) in enumerate(places[:COMMITTEES], start=1):
            khmer = 0.3 if place in names.KHMER_AREAS else 0.03
            code = f"{ROOT_CODE}-X{x:03d}"
            commune = self._add(root, code, f"Đảng bộ {level} {place}", OrgKind.DANG_UY_XA, khmer)
            for c, cell_name in enumerate(self._commune_cells(level, khmer), start=1):
                self._add(commune, f"{code}-C{c:02d}", cell_name, OrgKind.CHI_BO, khmer)

    def _commune_cells(self, level, khmer):
        count = max(4, round(38 * self.scale))
        cells = list(names.COMMUNE_OFFICE_CELLS)
        village = "khóm" if level == "phường" else "ấp"
        used = set()
        while len(cells) < count:
            if len(cells) % 9 == 8:
                school = names.SCHOOL_CELLS[len(cells) % len(names.SCHOOL_CELLS)]
                label = f"{school} số {len(cells) // 9 + 1}"
            elif khmer > 0.1 and self.rng.random() < 0.3:
                label = f"Chi bộ {village} {self.rng.choice(names.KHMER_VILLAGES)}"
            elif village == "khóm":
                label = f"Chi bộ khóm {len(cells) - 3}"
            else:
                label = f"Chi bộ ấp {self.rng.choice(names.VILLAGE_FIRST)} {self.rng.choice(names.VILLAGE_SECOND)}"
            while label in used:
                label += " A" if not label.endswith(" A") else "A"
            used.add(label)
            cells.append(label)
        return cells

    def create_tree(self):
        """Bulk-create the planned tree with materialised paths computed here (fast)."""
        objs, child_counts = [], {}
        for parent, code, name, kind in self.plan.orgs:
            if parent is None:
                path, depth = Organization._get_path(None, 1, len(Organization.objects.get_root_nodes()) + 1), 1
            else:
                child_counts[parent] = child_counts.get(parent, 0) + 1
                path = Organization._get_path(objs[parent].path, objs[parent].depth + 1, child_counts[parent])
                depth = objs[parent].depth + 1
            valid_from = MERGER if kind in (OrgKind.DANG_UY_XA, OrgKind.TINH_UY) else datetime.date(2020, 10, 1)
            objs.append(
                Organization(
                    path=path,
                    depth=depth,
                    numchild=0,
                    code=code,
                    name=name,
                    name_folded=fold(name),
                    kind=kind,
                    valid_from=valid_from,
                )
            )
        for index, count in child_counts.items():
            objs[index].numchild = count
        Organization.objects.bulk_create(objs, batch_size=2000)
        self.orgs = list(Organization.objects.filter(path__startswith=objs[0].path).order_by("path"))
        by_code = {o.code: o for o in self.orgs}
        self.org_objs = [by_code[code] for _, code, _, _ in self.plan.orgs]
        self.progress("tree", len(objs))

    # ------------------------------------------------------------ members

    def _name(self, gender, ethnicity):
        r = self.rng
        if ethnicity == "Khmer":
            family = r.choice(names.KHMER_FAMILY)
            given = r.choice(names.KHMER_MALE if gender == Gender.MALE else names.KHMER_FEMALE)
            return f"{family} {given}"
        if ethnicity == "Hoa":
            given = r.choice(names.HOA_MALE if gender == Gender.MALE else names.HOA_FEMALE)
            return f"{r.choice(names.HOA_FAMILY)} {given}"
        family = r.choices([f for f, _ in names.KINH_FAMILY], weights=[w for _, w in names.KINH_FAMILY])[0]
        middle = r.choice(names.MALE_MIDDLE if gender == Gender.MALE else names.FEMALE_MIDDLE)
        given = r.choice(names.MALE_GIVEN if gender == Gender.MALE else names.FEMALE_GIVEN)
        return f"{family} {middle} {given}"

    def _member(self, cell, khmer):
        r = self.rng
        gender = Gender.FEMALE if r.random() < 0.36 else Gender.MALE
        roll = r.random()
        ethnicity = "Khmer" if roll < khmer else ("Hoa" if roll < khmer + 0.01 else "Kinh")
        age_days = r.randint(21 * 365, 78 * 365)
        dob = REFERENCE - datetime.timedelta(days=age_days)
        earliest_join = dob + datetime.timedelta(days=19 * 365)
        span = (REFERENCE - earliest_join).days
        joined = earliest_join + datetime.timedelta(days=int(span * r.random() ** 1.5))
        probationary = (REFERENCE - joined).days < 365 or r.random() < 0.03
        if probationary:
            joined = REFERENCE - datetime.timedelta(days=r.randint(30, 360))
        self.card_serial += 1
        serial = self.card_serial
        full = not probationary
        member = Member(
            full_name=self._name(gender, ethnicity),
            card_number=f"{(12_345_678 + serial * 7_919) % 10**8:08d}" if full else None,
            record_number=f"{serial:06d}VL" if serial < 10**6 else None,
            date_of_birth=dob,
            gender=gender,
            ethnicity=ethnicity,
            phone=f"09{r.randrange(10**8):08d}" if r.random() < 0.8 else "",
            joined_on=joined,
            official_on=joined + datetime.timedelta(days=365 + r.randint(0, 40)) if full else None,
            status=MemberStatus.FULL if full else MemberStatus.PROBATIONARY,
            cell=cell,
        )
        member.fill_derived()
        return member

    def create_members(self, batch_size=5000):
        total = round(150_000 * self.scale)
        weights = self.plan.cell_weights
        weight_sum = sum(w for w, _ in weights.values())
        sizes = {index: max(3, round(total * weight / weight_sum)) for index, (weight, _) in weights.items()}
        self.progress("members_total", sum(sizes.values()))
        batch, created = [], 0
        for index, (_, khmer) in weights.items():
            cell = self.org_objs[index]
            for _ in range(sizes[index]):
                batch.append(self._member(cell, khmer))
                if len(batch) >= batch_size:
                    created += self._flush(batch)
        created += self._flush(batch)
        return created

    def _flush(self, batch):
        Member.objects.bulk_create(batch, batch_size=len(batch) or 1)
        self.progress("members", len(batch))
        count = len(batch)
        batch.clear()
        return count

    # ------------------------------------------------------------ leaders

    def create_positions(self):
        """Secretaries, deputies and committee members for every organisation."""
        members_by_cell = {}
        for pk, cell_id in Member.objects.filter(cell__path__startswith=self.orgs[0].path).values_list("pk", "cell_id"):
            members_by_cell.setdefault(cell_id, []).append(pk)
        positions = []
        taken = set()

        def pick(pool):
            free = [m for m in pool if m not in taken]
            chosen = self.rng.choice(free or pool)
            taken.add(chosen)
            return chosen

        for org in self.org_objs:
            if org.is_cell:
                pool = members_by_cell.get(org.pk, [])
                titles = [Title.SECRETARY, Title.DEPUTY] + [Title.CELL_COMMITTEE_MEMBER] * (3 if len(pool) >= 9 else 0)
                start = datetime.date(2025, 7, 1) if org.kind == OrgKind.CHI_BO else datetime.date(2020, 10, 1)
            else:
                first_cell = next(o for o in self.org_objs if o.path.startswith(org.path) and o.is_cell)
                pool = members_by_cell.get(first_cell.pk, [])
                titles = [
                    Title.SECRETARY,
                    Title.STANDING_DEPUTY,
                    Title.DEPUTY,
                    Title.STANDING_MEMBER,
                    Title.STANDING_MEMBER,
                    Title.COMMITTEE_MEMBER,
                    Title.COMMITTEE_MEMBER,
                ]
                start = org.valid_from or MERGER
            if not pool:
                continue
            for title in titles[: len(pool)]:
                positions.append(Position(member_id=pick(pool), org=org, title=title, start=start))
            if org.is_cell and self.rng.random() < 0.3:
                # An earlier secretary, so "who was secretary on date D" has history to answer.
                earlier = start.replace(year=start.year - 5)
                positions.append(
                    Position(
                        member_id=self.rng.choice(pool),
                        org=org,
                        title=Title.SECRETARY,
                        start=earlier,
                        end=start - datetime.timedelta(days=1),
                    )
                )
        Position.objects.bulk_create(positions, batch_size=5000)
        self.progress("positions", len(positions))
        return positions

    # ------------------------------------------------------------ demo users

    def create_users(self):
        return ensure_demo_users()


def ensure_demo_users():
    """Create or reset the five demo logins; returns {username: description}."""
    User = get_user_model()
    root = Organization.objects.get(code=ROOT_CODE)
    commune1 = Organization.objects.get(code=f"{ROOT_CODE}-X001")
    commune2 = Organization.objects.get(code=f"{ROOT_CODE}-X002")
    propaganda_cell = Organization.objects.filter(name__contains="Tuyên giáo", kind=OrgKind.CHI_BO_CO_SO).first()
    plain = (
        Member.objects.in_subtree(commune1)
        .filter(positions__isnull=True, user__isnull=True, status=MemberStatus.FULL)
        .exclude(cell__name__startswith="Chi bộ Cơ quan")
        .order_by("cell__path", "id")
        .first()
    )
    accounts = {
        "admin": (None, [(root, Role.ADMIN)]),
        "tinh.tuyengiao": (
            Member.objects.filter(cell=propaganda_cell).order_by("id").first(),
            [(root, Role.PROPAGANDA)],
        ),
        "xa1.bithu": (commune1.holder(Title.SECRETARY), [(commune1, Role.LEADER)]),
        "xa2.bithu": (commune2.holder(Title.SECRETARY), [(commune2, Role.LEADER)]),
        "dangvien1": (plain, []),
    }
    for username, (member, grants) in accounts.items():
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(settings.DEMO_PASSWORD)
        user.is_staff = user.is_superuser = username == "admin"
        user.email = f"{username}@demo.quantriet.vn"  # reminders show up in the console mail backend
        if member is not None:
            user.first_name = member.full_name
        user.save()
        if member is not None and member.user_id != user.pk:
            Member.objects.filter(user=user).update(user=None)
            member.user = user
            member.save(update_fields=["user"])
        for org, role in grants:
            Grant.objects.get_or_create(user=user, org=org, role=role)
    return DEMO_USERS


@transaction.atomic
def seed_demo(scale: float, progress=None) -> dict:
    """Build the demo province unless it exists; always (re)set the demo logins."""
    if Organization.objects.filter(code=ROOT_CODE).exists():
        ensure_demo_users()
        return {"created": False}
    builder = DemoBuilder(scale, progress)
    builder.plan_tree()
    builder.create_tree()
    members = builder.create_members()
    positions = builder.create_positions()
    builder.create_users()
    summary = {
        "created": True,
        "scale": scale,
        "orgs": len(builder.org_objs),
        "members": members,
        "positions": len(positions),
    }
    audit_record(None, "demo.seed", builder.org_objs[0], None, summary)
    return summary
