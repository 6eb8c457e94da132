import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from quantriet.core.collation import KEY_LENGTH, name_key
from quantriet.core.text import fold, unprintable_problem

from .tree import STEPLEN, parent_path


class OrgKind(models.TextChoices):
    TINH_UY = "tinh_uy", "Tỉnh ủy / Thành ủy"
    DANG_UY_XA = "dang_uy_xa", "Đảng ủy xã, phường, đặc khu"
    DANG_UY_KHOI = "dang_uy_khoi", "Đảng ủy cơ quan, khối"
    DANG_BO_CO_SO = "dang_bo_co_so", "Đảng bộ cơ sở"
    CHI_BO_CO_SO = "chi_bo_co_so", "Chi bộ cơ sở"
    DANG_BO_BO_PHAN = "dang_bo_bo_phan", "Đảng bộ bộ phận"
    CHI_BO = "chi_bo", "Chi bộ trực thuộc"


#: Kinds that hold members directly (party cells).
CELL_KINDS = {OrgKind.CHI_BO_CO_SO, OrgKind.CHI_BO}


class Role(models.TextChoices):
    ADMIN = "quan_tri", "Quản trị hệ thống"
    PROPAGANDA = "tuyen_giao", "Tuyên giáo"
    LEADER = "lanh_dao", "Lãnh đạo cấp ủy"
    OFFICE = "van_phong", "Văn phòng cấp ủy"
    INSPECTION = "kiem_tra", "Kiểm tra"
    REPORTER = "bao_cao_vien", "Báo cáo viên"


def granted_paths(user, roles=None) -> list[str]:
    """Tree paths of the subtrees USER was granted (optionally only for ROLES).

    Cached on the user object for the request, since every gated query needs it.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.__dict__.get("_no_grants"):
        return []
    cache = user.__dict__.setdefault("_granted_paths", {})
    key = frozenset(roles) if roles else None
    if key not in cache:
        grants = Grant.objects.filter(user=user)
        if roles:
            grants = grants.filter(role__in=roles)
        paths = sorted(set(grants.values_list("org__path", flat=True)))
        # Drop paths nested in another granted path: the outer one covers them.
        cache[key] = [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]
    return cache[key]


def subtree_q(paths, field="path") -> Q:
    """A filter matching nodes under any of PATHS (an empty list matches nothing)."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def granted_q(user, field="path") -> Q:
    """Rows whose FIELD (a tree path) lies in a subtree USER was granted: the gate's reach by grants."""
    return subtree_q(granted_paths(user), field)


def standing_paths(user) -> list[str]:
    """Where USER stands in the tree: their granted subtrees' tops and their own cell. What is
    issued at these levels or above them (documents, plans) is theirs to see."""
    paths = list(granted_paths(user))
    member = getattr(user, "member", None)
    if member is not None:
        paths.append(member.cell.path)
    return paths


def note_no_grants(user):
    """Record on USER, for this request, that they hold no grant (the query that loaded them said
    so): `granted_paths` then answers without a query."""
    user.__dict__["_no_grants"] = True


class OrganizationQuerySet(MP_NodeQuerySet):
    def visible_to(self, user):
        """The access gate for organisations: granted subtrees, else the member's own cell."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        member = getattr(user, "member", None)
        own_cell = Q(pk=member.cell_id) if member is not None else Q(pk__in=[])
        return self.filter(subtree_q(granted_paths(user)) | own_cell)

    def visible_roots(self, user):
        """The top-most organisations USER can see (their granted subtrees' tops)."""
        roots, last = [], None
        for org in self.visible_to(user).order_by("path").only("path"):
            if last is None or not org.path.startswith(last):
                roots.append(org.pk)
                last = org.path
        return self.filter(pk__in=roots).order_by("path")

    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on) | Q(valid_from__isnull=True)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )

    def cells(self):
        return self.filter(kind__in=CELL_KINDS)

    def search(self, text):
        return self.filter(Q(name_folded__contains=fold(text)) | Q(code__iexact=text.strip()))


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    """A party organisation; the tree is a materialised path (subtree = path prefix)."""

    steplen = STEPLEN  # org.tree reads paths by it
    code = models.CharField("mã", max_length=32, unique=True)
    name = models.CharField("tên", max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField("loại", max_length=20, choices=OrgKind.choices)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name="đơn vị kế thừa",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    objects = OrganizationManager()

    class Meta:
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("org:detail", args=[self.pk])

    @property
    def is_cell(self):
        return self.kind in CELL_KINDS

    @property
    def is_active(self):
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today
        )

    def subtree(self):
        return Organization.objects.filter(path__startswith=self.path)

    @cached_property
    def parent_name(self) -> str:
        """The name of the unit directly above ("" for a root); ``attach_parent_names`` fills it for a list."""
        parent = parent_path(self.path)
        if not parent:
            return ""
        return Organization.objects.filter(path=parent).values_list("name", flat=True).first() or ""

    @property
    def name_with_parent(self) -> str:
        """How a list mixing units of different parents names a unit: "Chi bộ Quân sự — Đảng bộ xã Vĩnh Thành"."""
        return f"{self.name} — {self.parent_name}" if self.parent_name else self.name

    def visible_children(self, visible):
        """Direct sub-units among VISIBLE: active ones first, then closed ones, each in the order entered."""
        children = visible.filter(path__startswith=self.path, depth=self.depth + 1)
        return children.order_by(models.F("valid_to").asc(nulls_first=True), "path")

    def holder(self, title, on=None):
        """The member holding position TITLE in this organisation on date ON (default today)."""
        position = Position.objects.holding(self, title, on).select_related("member").first()
        return position.member if position else None


def attach_parent_names(orgs, within=None):
    """Fill ``parent_name`` of the organisations ORGS (None skipped) with one query; returns ORGS.

    WITHIN (the unit the page is about, named in its title — or several such units) and the
    units directly under it keep an empty parent name: the page already says it, and a commune's
    own cells need no "— Đảng bộ xã …".
    """
    present = [org for org in orgs if org is not None]
    scopes = {
        scope.path for scope in ([] if within is None else [within] if isinstance(within, Organization) else within)
    }
    parents = {parent_path(org.path) for org in present if org.path not in scopes} - {"", *scopes}
    names = dict(Organization.objects.filter(path__in=parents).values_list("path", "name"))
    for org in present:
        org.__dict__["parent_name"] = "" if org.path in scopes else names.get(parent_path(org.path), "")
    return orgs


class Gender(models.TextChoices):
    MALE = "nam", "Nam"
    FEMALE = "nu", "Nữ"


class MemberStatus(models.TextChoices):
    PROBATIONARY = "du_bi", "Dự bị"
    FULL = "chinh_thuc", "Chính thức"


class MemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The access gate for members: those in granted subtrees, and always oneself."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        q = subtree_q(granted_paths(user), "cell__path") | Q(user=user)
        return self.filter(q)

    def in_subtree(self, org):
        return self.filter(cell__path__startswith=org.path)

    def search(self, text):
        text = text.strip()
        return self.filter(
            Q(full_name_folded__contains=fold(text)) | Q(card_number=text) | Q(record_number=text.upper())
        )


def validate_card_number(value):
    if value and not re.fullmatch(settings.CARD_NUMBER_PATTERN, value):
        raise ValidationError("Số thẻ đảng viên phải gồm 8 chữ số (ví dụ 01234567).")


def validate_record_number(value):
    if value and not re.fullmatch(settings.RECORD_NUMBER_PATTERN, value):
        raise ValidationError("Số lý lịch phải gồm 6 chữ số và 1–3 chữ cái viết hoa (ví dụ 012345VL).")


class Member(models.Model):
    """A party member (đảng viên). Card numbers are opaque strings; probationary members have none."""

    full_name = models.CharField("họ và tên", max_length=120)
    full_name_folded = models.CharField(max_length=120, db_index=True, editable=False)
    #: Vietnamese collation key (given, middle, family name); every list of members orders by it.
    name_key = models.CharField(max_length=KEY_LENGTH, db_index=True, editable=False, default="")
    card_number = models.CharField(
        "số thẻ đảng viên", max_length=20, unique=True, null=True, blank=True, validators=[validate_card_number]
    )
    record_number = models.CharField(
        "số lý lịch", max_length=12, unique=True, null=True, blank=True, validators=[validate_record_number]
    )
    date_of_birth = models.DateField("ngày sinh")
    gender = models.CharField("giới tính", max_length=3, choices=Gender.choices)
    ethnicity = models.CharField("dân tộc", max_length=40, default="Kinh")
    phone = models.CharField("số điện thoại", max_length=15, blank=True)
    email = models.EmailField("email", blank=True)
    joined_on = models.DateField("ngày vào Đảng")
    official_on = models.DateField("ngày chính thức", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=12, choices=MemberStatus.choices)
    cell = models.ForeignKey(Organization, verbose_name="chi bộ", on_delete=models.PROTECT, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "đảng viên"
        verbose_name_plural = "đảng viên"
        ordering = ["name_key", "id"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("org:member", args=[self.pk])

    def clean_fields(self, exclude=None):
        # Normalise before the field validators run, as a roster import does.
        self.record_number = (self.record_number or "").upper().replace(" ", "") or None
        self.card_number = (self.card_number or "").strip() or None
        errors = {}
        try:
            self.phone = normalise_phone(self.phone) if self.phone else ""
        except ValueError as error:
            errors["phone"] = [str(error)]
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)

    def clean(self):
        """The same rules as a roster import: one definition, in ``member_problems``."""
        errors = {}
        values = {f.name: getattr(self, f.attname) for f in self._meta.concrete_fields}
        for field, message in member_problems(values):
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)
        if self.cell_id and not self.cell.is_cell:
            raise ValidationError("Đảng viên chỉ sinh hoạt ở chi bộ.")

    def fill_derived(self):
        """Set the search and sort forms of the name; bulk writes call this, as save() does."""
        self.full_name_folded = fold(self.full_name)
        self.name_key = name_key(self.full_name)

    def current_positions(self):
        return self.positions.current().select_related("org")


_PHONE = re.compile(r"^0\d{9}$")


def normalise_phone(text: str) -> str:
    """A Vietnamese phone number as 10 digits starting with 0 (+84 and separators accepted)."""
    digits = re.sub(r"[\s.\-]", "", text)
    digits = "0" + digits[3:] if digits.startswith("+84") else digits
    if not _PHONE.fullmatch(digits):
        raise ValueError(f"“{text}” không phải số điện thoại hợp lệ (10 chữ số, bắt đầu bằng 0).")
    return digits


#: No member was born before this day, nor admitted before the Party was founded (03/02/1930).
EARLIEST_BIRTH = datetime.date(1900, 1, 1)
PARTY_FOUNDED = datetime.date(1930, 2, 3)


def member_problems(values: dict, today=None):
    """Why VALUES (Member field name → value) cannot belong to one member, as (field, message) pairs.

    The one rule set of the member form, the model and the roster import: every text fits its
    model field (lengths come from the fields, since SQLite does not enforce them) and holds no
    unprintable character, and the dates are plausible.
    """
    problems = _member_text_problems(values)
    dob, joined, official = values.get("date_of_birth"), values.get("joined_on"), values.get("official_on")
    status, card, record = values.get("status"), values.get("card_number"), values.get("record_number")
    today = today or timezone.localdate()
    if dob and dob < EARLIEST_BIRTH:
        earliest = f"{EARLIEST_BIRTH:%d/%m/%Y}"
        problems.append(("date_of_birth", f"Ngày sinh {dob:%d/%m/%Y} không hợp lý (sớm nhất {earliest})."))
    for key, day, label in (("joined_on", joined, "Ngày vào Đảng"), ("official_on", official, "Ngày chính thức")):
        if day and day < PARTY_FOUNDED:
            problems.append((key, f"{label} {day:%d/%m/%Y} trước ngày thành lập Đảng ({PARTY_FOUNDED:%d/%m/%Y})."))
    if dob and dob > today:
        problems.append(("date_of_birth", "Ngày sinh ở tương lai."))
    if joined and joined > today:
        problems.append(("joined_on", "Ngày vào Đảng ở tương lai."))
    # Only for a birth date already plausible: a year near 9999 plus the age would overflow (found by fuzzing).
    if dob and joined and dob <= today and joined < _add_years(dob, settings.MIN_JOIN_AGE):
        problems.append(("joined_on", f"Ngày vào Đảng trước khi đủ {settings.MIN_JOIN_AGE} tuổi."))
    if official and joined and official <= joined:
        problems.append(("official_on", "Ngày chính thức phải sau ngày vào Đảng."))
    if official and official > today:
        problems.append(("official_on", "Ngày chính thức ở tương lai."))
    if status == MemberStatus.FULL and not official:
        problems.append(("official_on", "Đảng viên chính thức phải có ngày chính thức."))
    if status == MemberStatus.PROBATIONARY and official:
        problems.append(("status", "Đảng viên dự bị không có ngày chính thức; hãy sửa trạng thái."))
    if status == MemberStatus.FULL and not card:
        problems.append(("card_number", "Đảng viên chính thức phải có số thẻ đảng viên."))
    if not card and not record:
        problems.append(("record_number", "Cần số thẻ đảng viên hoặc số lý lịch để nhận diện đảng viên."))
    return problems


def _member_text_problems(values: dict) -> list:
    problems = []
    for field in Member._meta.concrete_fields:
        value = values.get(field.name)
        if not isinstance(value, str):
            continue
        if field.max_length and len(value) > field.max_length:
            problems.append((field.name, f"Dài quá {field.max_length} ký tự (đang có {len(value)})."))
        elif unprintable := unprintable_problem(value):
            problems.append((field.name, unprintable[0].upper() + unprintable[1:]))
    return problems


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class TransferKind(models.TextChoices):
    OFFICIAL = "chinh_thuc", "Chuyển sinh hoạt chính thức"
    TEMPORARY = "tam_thoi", "Chuyển sinh hoạt tạm thời"


class MemberTransfer(models.Model):
    """A move of a member from one cell to another; the member's history."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    from_cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    to_cell = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    on = models.DateField("ngày chuyển", default=timezone.localdate)
    kind = models.CharField("hình thức", max_length=12, choices=TransferKind.choices, default=TransferKind.OFFICIAL)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    class Meta:
        verbose_name = "chuyển sinh hoạt đảng"
        verbose_name_plural = "chuyển sinh hoạt đảng"
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.member}: {self.from_cell} → {self.to_cell}"


class TransferRequestStatus(models.TextChoices):
    PENDING = "cho_duyet", "Chờ duyệt"
    APPROVED = "da_chuyen", "Đã chuyển sinh hoạt"
    REJECTED = "tu_choi", "Không chấp thuận"


class TransferRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The access gate: requests whose member AND target cell are both in USER's granted
        subtrees — the staff of a level above both units; the requester, who sees only the
        target cell, does not see the member's unit through it."""
        paths = granted_paths(user)
        return self.filter(subtree_q(paths, "member__cell__path"), subtree_q(paths, "to_cell__path"))


class TransferRequest(models.Model):
    """A roster row naming a member of another unit (chuyển sinh hoạt đảng), sent to the level above.

    The import cannot move a member out of another unit's roster; the level above both units
    approves (the member is transferred through `member_transfer`) or rejects it.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfer_requests")
    number = models.CharField("số thẻ / số lý lịch trong tệp", max_length=20)
    to_cell = models.ForeignKey(
        Organization, verbose_name="chi bộ đề nghị chuyển đến", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người đề nghị", on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField("nguồn", max_length=255, blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=TransferRequestStatus.choices, default=TransferRequestStatus.PENDING
    )
    created_at = models.DateTimeField("ngày đề nghị", default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField("ghi chú khi duyệt", max_length=255, blank=True)

    objects = TransferRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "đề nghị chuyển sinh hoạt đảng"
        verbose_name_plural = "đề nghị chuyển sinh hoạt đảng"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.number} → {self.to_cell}"


class Title(models.TextChoices):
    SECRETARY = "bi_thu", "Bí thư"
    DEPUTY = "pho_bi_thu", "Phó Bí thư"
    STANDING_DEPUTY = "pho_bi_thu_tt", "Phó Bí thư Thường trực"
    STANDING_MEMBER = "uv_btv", "Ủy viên Ban Thường vụ"
    COMMITTEE_MEMBER = "cap_uy_vien", "Cấp ủy viên"
    CELL_COMMITTEE_MEMBER = "chi_uy_vien", "Chi ủy viên"
    GROUP_LEADER = "to_truong", "Tổ trưởng đảng"


#: Order in which leaders are listed on an org page.
TITLE_RANK = {t: i for i, t in enumerate(Title)}
#: Titles that lead an organisation: its to-do list is theirs even without a grant.
LEAD_TITLES = [Title.SECRETARY, Title.STANDING_DEPUTY, Title.DEPUTY]


def lead_positions(member):
    """MEMBER's current positions that lead an organisation (secretary, deputies)."""
    return Position.objects.current().filter(member=member, title__in=LEAD_TITLES)


def manages_something(user) -> bool:
    """Whether USER holds a grant or leads an organisation; the manager tabs and links are for them.

    Cached on the user object for the request, since the navigation asks on every page.
    """
    if "_manages_something" not in user.__dict__:
        member = getattr(user, "member", None)
        leads = member is not None and lead_positions(member).exists()
        user.__dict__["_manages_something"] = bool(granted_paths(user)) or leads
    return user.__dict__["_manages_something"]


class PositionQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))

    def holding(self, org, title, on=None):
        """Who held TITLE in ORG on date ON — one indexed query."""
        return self.current(on).filter(org=org, title=title).order_by("-start")


class Position(models.Model):
    """A member's position in an organisation over a date range."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="positions")
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField("chức vụ", max_length=16, choices=Title.choices)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày", null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = "chức vụ"
        verbose_name_plural = "chức vụ"
        indexes = [models.Index(fields=["org", "title", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="position_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.get_title_display()} {self.org}: {self.member}"


class Grant(models.Model):
    """A role granted to a user on an organisation and its whole subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField("vai trò", max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="grant_unique")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.org}"
