"""The official report "Báo cáo kết quả học tập, quán triệt …" of one organisation's subtree, as .docx.

Laid out through `quantriet.core.officialdoc` (the party document format of Hướng dẫn
36-HD/VPTW: header block, "BÁO CÁO" and its trích yếu, body, signature block, "Nơi nhận:"), with
the header and the signature of the issuing organisation from `quantriet.org.letterhead`. This
module holds the report's content only.

The figures come from the fidelity rows only (`FidelityScore`, refreshed by `rollup.py`), never
from raw attendance, so a report of a whole province costs a handful of aggregate queries.

Decisions where the reference is silent or unconfirmed:
- The document number is left blank for the committee office to register: "Số      -BC/TU"
  (the type code BC is the state one, widely used by party offices).
- Recipients ("Nơi nhận:") follow the issuing level: a province reports to its own Thường trực
  and Ban Thường vụ (a directive of the province is not reported to the Ban Bí thư by default),
  a unit below to the committee directly above and its propaganda department. Each plan may set
  its own lines per level (`FidelityConfig.recipients`, "{cap_tren}" = the committee above).
- The signer is the issuing organisation's secretary on the report's date, not the accountable
  head of the obligation (who may be a deputy): the position under "T/M" says BÍ THƯ.
- The signature block is kept on the page of the closing sentence ("Trên đây là báo cáo …").
- Long tables are capped (``MAX_LATE_ROWS``, ``MAX_WEAK_ROWS``), saying how many more units
  there are; the full list is in the .xlsx export of the dashboard.
"""

from dataclasses import dataclass

from django.db.models import Avg, Count, F, Max, Min, Q
from django.utils import timezone

from quantriet.core.numbers import format_integer as _int  # counts in report sentences: 27.000
from quantriet.core.officialdoc import (
    body,
    grid,
    heading,
    new_document,
    text_width_mm,
    write_header,
    write_signature,
    write_title,
)
from quantriet.core.text import vn_date
from quantriet.org.letterhead import STANDING_KINDS, committee_name, official_header, official_signature
from quantriet.org.models import CELL_KINDS, Organization, OrgKind
from quantriet.org.selectors import org_ancestors
from quantriet.study.models import LEVEL_OF_KIND, Level

from .components import COMPONENTS, FLAGS, basis, lam_luot_rule
from .dashboard import BANDS, subtree_rows, weakest
from .models import FidelityScore, plan_settings

#: Rows of the late/overdue and the weakest-units tables; the rest are counted, not listed.
MAX_LATE_ROWS = 30
MAX_WEAK_ROWS = 20
#: Levels as the report's sentences name them (the tables use the full labels).
LEVEL_WORDS = {
    Level.PROVINCE: "cấp tỉnh",
    Level.UPPER: "cấp trực thuộc tỉnh",
    Level.GRASSROOTS: "cấp cơ sở",
    Level.CELL: "cấp chi bộ trực thuộc",
}


# ---------------------------------------------------------------- names


def reporter_name(org: Organization) -> str:
    """Who reports, in the body's words: "Ban Thường vụ Tỉnh ủy Vĩnh Long", "Đảng ủy …", "Chi bộ …"."""
    name = committee_name(org)
    return f"Ban Thường vụ {name}" if org.kind in STANDING_KINDS else name


# ---------------------------------------------------------------- numbers in Vietnamese


def _dec(value, digits=1) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _pct(part, whole) -> str:
    return f"{_dec(100 * part / whole)}%" if whole else "—"


def band_label(index) -> str:
    if index is None:
        return "chưa đánh giá"
    return next(label for floor, _, label in BANDS if index >= floor)


# ---------------------------------------------------------------- the figures


@dataclass
class Progress:
    units: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    not_due: int = 0
    shared: int = 0  # studied at an upper level's conference (bridging point)

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.overdue


def _progress_counts(today) -> dict:
    return {
        "units": Count("id", filter=Q(deadline__isnull=False)),
        "on_time": Count("id", filter=Q(held_on__isnull=False, deadline__isnull=False, held_on__lte=F("deadline"))),
        "late": Count("id", filter=Q(held_on__isnull=False, deadline__isnull=False, held_on__gt=F("deadline"))),
        "overdue": Count("id", filter=Q(held_on__isnull=True, deadline__lt=today)),
        "not_due": Count("id", filter=Q(held_on__isnull=True, deadline__gte=today)),
        "shared": Count("id", filter=Q(inherited=True, deadline__isnull=False)),
    }


def progress(rows, today) -> Progress:
    return Progress(**rows.aggregate(**_progress_counts(today)))


def by_level(rows, today, margin) -> list[dict]:
    """Per level of the cascade (top first): progress, index and decay figures, in one query."""
    figures = {
        row["level"]: row
        for row in rows.exclude(level="")
        .values("level")
        .annotate(
            **_progress_counts(today),
            last_deadline=Max("deadline"),
            judged=Count("id", filter=Q(index__isnull=False)),
            mean=Avg("index"),
            low=Min("index"),
            compared=Count("id", filter=Q(decay__isnull=False)),
            below=Count("id", filter=Q(decay__gt=0)),
            beyond=Count("id", filter=Q(decay__gt=margin)),
            mean_decay=Avg("decay"),
            flagged=Count("id", filter=Q(lam_luot=True)),
        )
    }
    return [
        {**figures[level.value], "label": level.label, "words": LEVEL_WORDS[level]}
        for level in Level
        if level.value in figures
    ]


def flag_counts(rows) -> dict[str, int]:
    counts = dict.fromkeys(FLAGS, 0)
    for flags in rows.values_list("flags", flat=True).iterator(chunk_size=2000):
        for flag in flags or []:
            if flag in counts:
                counts[flag] += 1
    return counts


def late_units(rows, today):
    """Overdue units (oldest deadline first), then late ones (per deadline, most days late first); and how many."""
    overdue = rows.filter(held_on__isnull=True, deadline__lt=today).order_by("deadline", "path")
    late = rows.filter(held_on__isnull=False, deadline__isnull=False, held_on__gt=F("deadline"))
    late = late.order_by("deadline", "-held_on", "path")
    related = ("org", "head", "parent_org")
    listed = list(overdue.select_related(*related)[:MAX_LATE_ROWS])
    listed += list(late.select_related(*related)[: MAX_LATE_ROWS - len(listed)])
    return listed, overdue.count() + late.count()


def _unit_name(row: FidelityScore, org: Organization) -> str:
    parent = row.parent_org
    if parent is None or parent.pk == org.pk:
        return row.org.name
    return f"{row.org.name} ({parent.name})"


def _head(row: FidelityScore) -> str:
    return row.head.full_name if row.head else "—"


def _documents_phrase(plan) -> str:
    """ "Chỉ thị số 28-CT/TU, ngày 19/10/2022 của Ban Thường vụ Tỉnh ủy Trà Vinh" (or the plan's title)."""
    parts = []
    for document in plan.documents.order_by("issued_on", "id"):
        part = f"{document.get_doc_type_display()} số {document.symbol}, ngày {vn_date(document.issued_on)}"
        if document.issuer_name:
            part += f" của {document.issuer_name}"
        parts.append(part)
    return "; ".join(parts) if parts else f"theo {plan.title}"


def _short_documents(plan) -> str:
    symbols = [f"{d.get_doc_type_display()} {d.symbol}" for d in plan.documents.order_by("issued_on", "id")]
    return ", ".join(symbols) if symbols else f"theo {plan.title}"


# ---------------------------------------------------------------- the document's parts


def _opening(document, plan, org, row) -> None:
    reference = ""
    if plan.symbol or plan.published_at:
        bits = [f"số {plan.symbol}"] if plan.symbol else []
        if plan.published_at:
            bits.append(f"ngày {vn_date(timezone.localtime(plan.published_at).date())}")
        reference = f" ({', '.join(bits)})"
    form = plan.get_form_display().lower()
    body(
        document,
        f"Thực hiện {plan.title}{reference}, {reporter_name(org)} báo cáo kết quả {form} "
        f"{_short_documents(plan)} trong {org.name} như sau:",
    )
    refreshed = timezone.localtime(row.refreshed_at)
    body(
        document,
        f"(Số liệu tổng hợp từ chỉ số làm kỹ trên hệ thống Quán Triệt, cập nhật lúc {refreshed:%H:%M} "
        f"ngày {vn_date(refreshed.date())}.)",
        italic=True,
    )


def _own_conference(row: FidelityScore, org, today) -> str:
    if row.deadline is None:
        return f"{org.name} không có nhiệm vụ tự tổ chức hội nghị trong kế hoạch này."
    deadline = vn_date(row.deadline)
    if row.held_on is None:
        if row.deadline < today:
            days = (today - row.deadline).days
            return f"{org.name} chưa tổ chức hội nghị học tập, quán triệt, đã quá hạn {days} ngày (hạn {deadline})."
        return f"{org.name} chưa tổ chức hội nghị học tập, quán triệt; hạn tổ chức là ngày {deadline}."
    text = f"{org.name} đã tổ chức hội nghị học tập, quán triệt ngày {vn_date(row.held_on)} (hạn {deadline}"
    late = (row.held_on - row.deadline).days
    text += f", trễ {late} ngày)" if late > 0 else ", đúng hạn)"
    if row.inherited:
        return text + ", học tập chung tại hội nghị của cấp trên."
    if row.chaired_by_secretary and row.presented_by_secretary:
        text += "; đồng chí bí thư trực tiếp chủ trì và quán triệt"
    elif row.chaired_by_secretary:
        text += "; đồng chí bí thư chủ trì nhưng không trực tiếp quán triệt"
    elif row.presented_by_secretary:
        text += "; đồng chí bí thư trực tiếp quán triệt nhưng không chủ trì"
    else:
        text += "; đồng chí bí thư không chủ trì, không trực tiếp quán triệt"
    if row.duration:
        text += f"; thời lượng {row.duration} phút"
    return text + "."


def _progress_section(document, row, org, subs, levels, today) -> Progress:
    heading(document, "1. Tiến độ tổ chức hội nghị học tập, quán triệt")
    body(document, _own_conference(row, org, today))
    counts = progress(subs, today)
    if counts.units:
        text = (
            f"Trong {_int(counts.units)} tổ chức đảng trực thuộc có nhiệm vụ tổ chức học tập, quán triệt, "
            f"{_int(counts.due)} đơn vị đã đến hạn hoặc đã tổ chức: {_int(counts.on_time)} đơn vị tổ chức đúng hạn "
            f"({_pct(counts.on_time, counts.due)}), {_int(counts.late)} đơn vị tổ chức trễ hạn "
            f"({_pct(counts.late, counts.due)}), {_int(counts.overdue)} đơn vị quá hạn chưa tổ chức "
            f"({_pct(counts.overdue, counts.due)}); {_int(counts.not_due)} đơn vị chưa đến hạn."
        )
        if counts.shared:
            text += f" Có {_int(counts.shared)} đơn vị học tập chung tại hội nghị của cấp trên (điểm cầu)."
        body(document, text)
    if levels:
        body(document, "Tiến độ theo từng cấp (kể cả cấp báo cáo):", italic=True)
        grid(
            document,
            ["Cấp", "Số đơn vị", "Đúng hạn", "Trễ hạn", "Quá hạn", "Chưa đến hạn", "Hạn"],
            [
                [
                    level["label"],
                    _int(level["units"]),
                    _int(level["on_time"]),
                    _int(level["late"]),
                    _int(level["overdue"]),
                    _int(level["not_due"]),
                    vn_date(level["last_deadline"]),
                ]
                for level in levels
            ],
            [47, 18, 18, 18, 18, 18, 28],
            left=(0,),
        )
    return counts


def _members_section(document, plan, row, org) -> None:
    heading(document, "2. Đảng viên dự học")
    text = f"{org.name} có {_int(row.members)} đảng viên"
    if row.expected:
        text += (
            f"; {_int(row.expected)} đảng viên thuộc các đơn vị đã tổ chức hoặc đã quá hạn tổ chức phải dự học. "
            f"Số đảng viên dự học: {_int(row.attended)} ({_pct(row.attended, row.expected)} số đảng viên phải dự học); "
            f"vắng mặt không có lý do: {_int(row.unexcused)} ({_pct(row.unexcused, row.expected)} số đảng viên phải "
            "dự học)."
        )
    else:
        text += "; chưa có đơn vị nào đến hạn tổ chức nên chưa tính tỷ lệ dự học."
    body(document, text)

    heading(document, "3. Bài thu hoạch")
    if not plan.essay_audience:
        body(document, "Kế hoạch không yêu cầu viết bài thu hoạch.")
    elif not row.writers:
        body(document, "Chưa có số liệu về đảng viên phải viết bài thu hoạch.")
    else:
        deadline = f" (hạn nộp ngày {vn_date(plan.essay_deadline)})" if plan.essay_deadline else ""
        text = (
            f"Số đảng viên phải viết bài thu hoạch: {_int(row.writers)}{deadline}; đã nộp {_int(row.submitted)} bài "
            f"({_pct(row.submitted, row.writers)} số đảng viên phải viết). Đã chấm {_int(row.graded)} bài"
        )
        text += f", điểm bình quân đạt {_dec(row.grade_pct_sum / row.graded)}% số điểm tối đa." if row.graded else "."
        if row.checked:
            copied = row.checked - row.independent
            text += (
                f" Đã kiểm tra tính độc lập {_int(row.checked)} bài: {_int(row.independent)} bài tự viết "
                f"({_pct(row.independent, row.checked)} số bài đã kiểm tra), {_int(copied)} bài có dấu hiệu sao chép."
            )
        body(document, text)

    heading(document, "4. Bài kiểm tra nhận thức")
    if not plan.quiz_required:
        body(document, "Kế hoạch không yêu cầu làm bài kiểm tra.")
    elif not row.takers:
        body(document, "Chưa có số liệu bài kiểm tra.")
    else:
        text = (
            f"Số đảng viên phải làm bài kiểm tra: {_int(row.takers)}; "
            f"đã làm {_int(row.took)} ({_pct(row.took, row.takers)} số đảng viên phải làm)"
        )
        if row.took:
            text += (
                f"; điểm bình quân {_dec(row.quiz_pct_sum / row.took)}%; đạt yêu cầu {_int(row.passed)} "
                f"({_pct(row.passed, row.took)} số đảng viên đã làm bài)"
            )
        body(document, text + ".")


def _index_section(document, row, org, levels, config) -> None:
    heading(document, "1. Chỉ số làm kỹ của " + org.name)
    if row.not_due:
        body(
            document,
            f"{org.name} chưa đến hạn tổ chức hội nghị (hạn {vn_date(row.deadline)}) nên chưa được đánh giá chỉ số "
            "làm kỹ; các số liệu đảng viên nêu trên là số liệu tạm tính.",
        )
    elif row.index is None:
        body(document, "Chưa đủ dữ liệu để tính chỉ số làm kỹ.")
    else:
        text = f"Chỉ số làm kỹ của {org.name} đạt {_dec(row.index)}/100, mức “{band_label(row.index)}”"
        if row.parent_index is not None and row.decay is not None:
            side = "thấp hơn" if row.decay > 0 else "cao hơn" if row.decay < 0 else "bằng"
            gap = f" {_dec(abs(row.decay))} điểm" if row.decay else ""
            text += f"; {side} cấp trên trực tiếp{gap} (cấp trên đạt {_dec(row.parent_index)})"
        body(document, text + ". Kết quả từng thành phần:")
        grid(
            document,
            ["Thành phần", "Kết quả (%)", "Tính trên"],
            [
                [
                    c.label,
                    _dec(None if row.components.get(c.key) is None else 100 * row.components[c.key]),
                    basis(c.key, row) or "hội nghị của đơn vị",
                ]
                for c in COMPONENTS
            ],
            [75, 22, text_width_mm() - 97],
            left=(0, 2),
        )
    if not levels:
        return
    heading(document, "2. Chỉ số làm kỹ theo cấp")
    grid(
        document,
        ["Cấp", "Số đơn vị được đánh giá", "Chỉ số bình quân", "Thấp nhất", "Thấp hơn cấp trên", "Làm lướt"],
        [
            [
                level["label"],
                _int(level["judged"]),
                _dec(level["mean"]),
                _dec(level["low"]),
                f"{_int(level['below'])}/{_int(level['compared'])}",
                _int(level["flagged"]),
            ]
            for level in levels
        ],
        [55, 22, 22, 20, 26, 20],
        left=(0,),
    )
    heading(document, "3. Mức suy giảm từ cấp trên xuống cấp dưới")
    chain = "; ".join(f"{level['words']} {_dec(level['mean'])}" for level in levels if level["mean"] is not None)
    if chain:
        body(document, f"Chỉ số bình quân theo cấp, từ trên xuống: {chain}.")
    falling = [level for level in levels if level["compared"] and (level["mean_decay"] or 0) > 0]
    for level in levels:
        if not level["compared"]:
            continue
        mean_decay = level["mean_decay"] or 0
        side = "thấp hơn" if mean_decay > 0 else "cao hơn" if mean_decay < 0 else "bằng"
        gap = f" {_dec(abs(mean_decay))} điểm" if mean_decay else ""
        body(
            document,
            f"Ở {level['words']}, {_int(level['below'])}/{_int(level['compared'])} đơn vị có chỉ số thấp hơn cấp "
            f"trên trực tiếp, bình quân {side} cấp trên{gap}; {_int(level['beyond'])} đơn vị thấp hơn cấp trên quá "
            f"{_dec(config.margin, 0)} điểm.",
        )
    if falling:
        worst = max(falling, key=lambda level: level["mean_decay"])
        names = ", ".join(level["words"] for level in falling)
        body(
            document,
            f"Như vậy, chỉ số làm kỹ giảm so với cấp trên ở {names}: biểu hiện của tình trạng “cấp trên làm kỹ, "
            f"cấp dưới làm lướt” cần được chấn chỉnh. Suy giảm nhiều nhất ở {worst['words']} (bình quân thấp hơn "
            f"cấp trên {_dec(worst['mean_decay'])} điểm).",
        )
    elif any(level["compared"] for level in levels):
        body(document, "Chưa thấy tình trạng cấp dưới có chỉ số làm kỹ thấp hơn cấp trên.")


def _late_table(document, org, subs, today) -> None:
    heading(document, "1. Các đơn vị tổ chức trễ hạn, quá hạn")
    listed, total = late_units(subs, today)
    if not total:
        body(document, "Không có đơn vị nào tổ chức trễ hạn hoặc quá hạn chưa tổ chức.")
        return
    lines = []
    for number, row in enumerate(listed, start=1):
        if row.held_on is None:
            status = f"Quá hạn {(today - row.deadline).days} ngày"
        else:
            status = f"Trễ {(row.held_on - row.deadline).days} ngày"
        lines.append(
            [number, _unit_name(row, org), vn_date(row.deadline), vn_date(row.held_on) or "—", status, _head(row)]
        )
    grid(
        document,
        ["STT", "Tổ chức đảng", "Hạn", "Ngày tổ chức", "Tình trạng", "Người chịu trách nhiệm"],
        lines,
        [13, 45, 25, 25, 27, 30],
    )
    if total > len(listed):
        body(
            document,
            f"Ngoài ra còn {_int(total - len(listed))} đơn vị khác (xem bảng chỉ số làm kỹ .xlsx).",
            italic=True,
        )


def _weak_table(document, org, subs, config) -> None:
    heading(document, "2. Các đơn vị có dấu hiệu làm lướt")
    rows = weakest(subs, flagged=True).select_related("parent_org")
    total = rows.count()
    body(document, f"Tiêu chí: {lam_luot_rule(config)}.", italic=True)
    if not total:
        body(document, "Không có đơn vị nào có dấu hiệu làm lướt.")
        return
    body(document, f"Có {_int(total)} đơn vị có dấu hiệu làm lướt, chỉ số thấp nhất trước:")
    lines = []
    for number, row in enumerate(rows[:MAX_WEAK_ROWS], start=1):
        flags = "; ".join(FLAGS[f] for f in row.flags if f in FLAGS and f != "lam_luot") or "—"
        lines.append([number, _unit_name(row, org), _dec(row.index), _dec(row.decay), flags, _head(row)])
    grid(
        document,
        ["STT", "Tổ chức đảng", "Chỉ số", "Thấp hơn cấp trên (điểm)", "Cảnh báo khác", "Người chịu trách nhiệm"],
        lines,
        [13, 45, 17, 20, 40, 30],
    )
    if total > MAX_WEAK_ROWS:
        body(
            document,
            f"Ngoài ra còn {_int(total - MAX_WEAK_ROWS)} đơn vị khác (xem bảng chỉ số làm kỹ .xlsx).",
            italic=True,
        )


def proposals(plan, org, row, flags: dict[str, int], config, today) -> list[str]:
    """Short proposals generated from the flags of the units below and the organisation's own figures."""
    found = []
    who = reporter_name(org)
    if flags["qua_han"]:
        found.append(
            f"Yêu cầu {_int(flags['qua_han'])} tổ chức đảng quá hạn chưa tổ chức học tập, quán triệt khẩn trương "
            f"tổ chức, báo cáo kết quả về {who}; người đứng đầu chịu trách nhiệm về việc chậm trễ."
        )
    if flags["tre_han"] or flags["truoc_cap_tren"]:
        text = f"Chấn chỉnh {_int(flags['tre_han'])} đơn vị tổ chức trễ hạn"
        if flags["truoc_cap_tren"]:
            text += f" và {_int(flags['truoc_cap_tren'])} đơn vị tổ chức trước khi cấp trên quán triệt"
        found.append(text + "; người đứng đầu kiểm điểm, rút kinh nghiệm, bảo đảm đúng trình tự, đúng thời gian.")
    if flags["khong_bi_thu"]:
        found.append(
            f"Ở {_int(flags['khong_bi_thu'])} đơn vị, bí thư không trực tiếp chủ trì hoặc quán triệt: yêu cầu bí thư "
            "cấp ủy trực tiếp chủ trì, quán triệt; trường hợp vắng mặt phải có lý do và báo cáo cấp trên."
        )
    if flags["thieu_lien_he"] or flags["chep_lien_he"]:
        text = f"Yêu cầu {_int(flags['thieu_lien_he'] + flags['chep_lien_he'])} đơn vị chưa liên hệ tình hình thực tế"
        if flags["chep_lien_he"]:
            text += f" (trong đó {_int(flags['chep_lien_he'])} đơn vị chép phần liên hệ của cấp trên)"
        found.append(text + " bổ sung, xây dựng chương trình hành động cụ thể, sát với tình hình đơn vị.")
    if flags["lam_luot"]:
        found.append(
            f"Đưa {_int(flags['lam_luot'])} đơn vị có dấu hiệu làm lướt vào chương trình kiểm tra, giám sát; đơn vị "
            f"có chỉ số dưới {_dec(config.floor, 0)} tổ chức học tập lại hoặc học bù."
        )
    if row.expected and row.attended < row.expected:
        missing = row.expected - row.attended
        found.append(
            f"Tổ chức học bù cho {_int(missing)} đảng viên chưa dự học; "
            "xem xét trách nhiệm các trường hợp vắng mặt không có lý do."
        )
    if plan.essay_audience and row.writers and row.submitted < row.writers:
        missing, deadline = _int(row.writers - row.submitted), plan.essay_deadline
        if deadline is not None and deadline < today:
            found.append(
                f"Yêu cầu {missing} đảng viên chưa nộp bài thu hoạch (quá hạn từ ngày {vn_date(deadline)}) nộp bài; "
                "việc chậm nộp được xem xét khi đánh giá, xếp loại đảng viên."
            )
        else:
            by = f" trước ngày {vn_date(deadline)}" if deadline else ""
            found.append(f"Đôn đốc {missing} đảng viên chưa nộp bài thu hoạch hoàn thành bài{by}.")
    if row.checked and row.independent < row.checked:
        found.append(
            f"Yêu cầu {_int(row.checked - row.independent)} đảng viên có bài thu hoạch sao chép viết lại; kết quả "
            "học tập được xem xét khi đánh giá, xếp loại đảng viên cuối năm."
        )
    if not found:
        found.append("Tiếp tục duy trì nền nếp, chất lượng học tập, quán triệt; nhân rộng cách làm tốt của các đơn vị.")
    return found


def _above(org: Organization, ancestors: list[Organization]) -> str:
    """The committee ORG reports to, as a recipient line names it ("" at the top of the tree)."""
    parent = ancestors[-1] if ancestors else None
    if parent is None:
        return ""
    standing = parent.kind in STANDING_KINDS and org.kind not in CELL_KINDS
    return f"{'Ban Thường vụ ' if standing else ''}{committee_name(parent)}"


def default_recipients(org: Organization, ancestors: list[Organization]) -> list[str]:
    """By the issuing level: the top of the tree reports to its own standing bodies (a province's
    report of its own directive does not go to the Ban Bí thư), a unit below to the committee above.

    Units directly under the province send a copy to the province's Ban Tuyên giáo và Dân vận;
    units under a commune or bloc committee to that committee's Ban Xây dựng Đảng (which took
    over propaganda work in 2025).
    """
    lines = []
    root = ancestors[0] if ancestors else org
    if not ancestors:
        name = committee_name(org)
        if org.kind in STANDING_KINDS:
            lines.append(f"- Thường trực {name} (để báo cáo),")
            lines.append(f"- Các đồng chí Ủy viên Ban Thường vụ {name},")
        else:
            lines.append(f"- {name} (để báo cáo),")
    else:
        lines.append(f"- {_above(org, ancestors)} (để báo cáo),")
    if len(ancestors) <= 1 and root.kind == OrgKind.TINH_UY:
        lines.append(f"- Ban Tuyên giáo và Dân vận {committee_name(root)},")
    elif len(ancestors) >= 2:  # below a commune or bloc committee: its party-building department
        lines.append(f"- Ban Xây dựng Đảng {committee_name(ancestors[1])},")
    if org.kind not in CELL_KINDS:
        lines.append("- Các tổ chức đảng trực thuộc,")
        lines.append("- Lưu Văn phòng.")
    else:
        lines.append("- Lưu chi bộ.")
    return lines


def recipients(org: Organization, ancestors: list[Organization], configured: dict | None = None) -> list[str]:
    """The plan's lines for ORG's level when it set them ("{cap_tren}": the committee above), else the default."""
    lines = (configured or {}).get(LEVEL_OF_KIND.get(org.kind, ""))
    if not lines:
        return default_recipients(org, ancestors)
    above = _above(org, ancestors)
    return [line.replace("{cap_tren}", above) for line in lines]


# ---------------------------------------------------------------- entry point


def write_report(plan, org, out, today=None) -> None:
    """Write the report of ORG's subtree under PLAN to OUT (a path or a binary file object).

    ORG must have a fidelity row (`FidelityScore.DoesNotExist` otherwise): run `refresh(plan)`.
    """
    today = today or timezone.localdate()
    row = FidelityScore.objects.select_related("head").get(plan=plan, org=org)
    config = plan_settings(plan, today)
    ancestors = org_ancestors(org)
    rows = subtree_rows(plan, org)
    subs = rows.exclude(org=org)
    has_units = subs.exists()  # a cell's report has no units below to tabulate
    levels = by_level(rows, today, config.margin) if has_units else []
    numerals = iter(["I", "II", "III", "IV"])
    form = plan.get_form_display()

    document = new_document()
    write_header(document, official_header(org, ancestors, "BC", today))
    write_title(document, "Báo cáo", f"kết quả {form.lower()} {_documents_phrase(plan)}")
    _opening(document, plan, org, row)
    heading(document, f"{next(numerals)}. KẾT QUẢ {form.upper()}")
    _progress_section(document, row, org, subs, levels, today)
    _members_section(document, plan, row, org)
    heading(document, f"{next(numerals)}. ĐÁNH GIÁ MỨC ĐỘ LÀM KỸ (CHỈ SỐ LÀM KỸ)")
    _index_section(document, row, org, levels, config)
    if has_units:
        heading(document, f"{next(numerals)}. CÁC ĐƠN VỊ CHẬM TRỄ VÀ CÓ DẤU HIỆU LÀM LƯỚT")
        _late_table(document, org, subs, today)
        _weak_table(document, org, subs, config)
    heading(document, f"{next(numerals)}. ĐỀ XUẤT, KIẾN NGHỊ")
    for number, text in enumerate(proposals(plan, org, row, flag_counts(subs), config, today), start=1):
        last = body(document, f"{number}. {text}")
    closing = body(
        document,
        f"Trên đây là báo cáo kết quả {form.lower()} {_short_documents(plan)} của {reporter_name(org)}./.",
    )
    write_signature(
        document,
        official_signature(org, today),
        recipients(org, ancestors, config.recipients),
        keep_with=(last, closing),  # the last proposal and the closing sentence
    )
    document.save(out)
