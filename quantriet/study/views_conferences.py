"""Pages for conferences, attendance and QR check-in (hội nghị, điểm danh).

Every conference is fetched through the access gate (`access_conference`): out of scope is a 404.
The class board's pages (record and edit, mark held, attendance, the sheet import, make-up
sessions, the check-in screen) then need the policy's `conference.run` on the host, or a seat on
the conference's class board, else they are a 403. Check-in takes the member from the session,
never from the request.
"""

import io
import math
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quantriet.core.files import attachment, download
from quantriet.core.people import person_name
from quantriet.core.sheets import SheetError
from quantriet.core.text import fold, search_text
from quantriet.org import policy
from quantriet.org.models import Organization, Title, attach_parent_names, subtree_q

from . import checkin as codes
from . import services
from .access import access_conference, access_conference_attachment, access_obligation, access_plan
from .attendance_import import import_attendance, write_attendance_template
from .forms_conferences import (
    AttendanceUploadForm,
    BridgePointFormSet,
    ConferenceForm,
    PlanOrgPickForm,
    bridge_rows,
)
from .models import (
    ATTENDED,
    Attendance,
    AttendanceStatus,
    CheckinAttempt,
    CheckinOutcome,
    Conference,
    ConferenceStatus,
    Obligation,
    PlanStatus,
    StudyPlan,
)

#: Keys 1–5 of the marking screen, in this order.
STATUS_KEYS = list(AttendanceStatus)
ROWS_PER_PAGE = 200
REFUSALS = [o for o in CheckinOutcome if o not in (CheckinOutcome.OK, CheckinOutcome.AGAIN)]


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


# ---------------------------------------------------------------- helpers for the templates


def rule_check(conference):
    """Chỉ thị 28's rules as lines for the detail page: (label, yes/no/None, who, reason)."""
    day = timezone.localtime(conference.starts_at).date()
    secretary = conference.host.holder(Title.SECRETARY, day)
    standing = conference.host.holder(Title.STANDING_DEPUTY, day)
    presenters = list(conference.presenters.all())
    lines = []
    if secretary:
        lines.append(("Bí thư chủ trì", conference.chair_id == secretary.pk, secretary, conference.chair_reason))
        lines.append(("Bí thư trực tiếp triển khai", secretary in presenters, secretary, conference.presenter_reason))
    else:
        lines.append(("Bí thư chủ trì", None, "chưa có thông tin bí thư", ""))
    if standing:
        lines.append(
            (
                "Phó Bí thư Thường trực phụ trách ban quản lý lớp học",
                conference.board_head_id == standing.pk,
                standing,
                conference.board_reason,
            )
        )
    else:
        head = conference.board_head or "chưa phân công"
        lines.append(("Ban quản lý lớp học", None, f"không có Phó Bí thư Thường trực; trưởng ban: {head}", ""))
    lines.append(("Liên hệ tình hình địa phương, đơn vị", bool(conference.local_context.strip()), None, ""))
    lines.append(("Quy chế lớp học", bool(conference.class_rules.strip()), None, ""))
    return [{"label": label, "ok": ok, "who": who, "reason": reason} for label, ok, who, reason in lines]


def attendance_counts(conference, roster=None):
    """Roster size and marks by status (only of members on the roster)."""
    roster = roster if roster is not None else services.conference_roster(conference)
    total = roster.count()
    by_status = dict(
        Attendance.objects.filter(conference=conference, member__in=roster.values("pk"))
        .values_list("status")
        .annotate(n=Count("id"))
    )
    rows = [{"status": s, "label": s.label, "count": by_status.get(s, 0)} for s in AttendanceStatus]
    marked = sum(by_status.values())
    attended = sum(by_status.get(s, 0) for s in ATTENDED)
    return {
        "total": total,
        "rows": rows,
        "marked": marked,
        "unmarked": max(total - marked, 0),
        "attended": attended,
        "checked_in": Attendance.objects.filter(conference=conference, checked_in_at__isnull=False).count(),
    }


# ---------------------------------------------------------------- list and detail


@require_GET
def conferences(request):
    visible = Conference.objects.visible_to(request.user).select_related("host", "plan")
    query = search_text(request.GET.get("q"))
    if query:
        visible = visible.filter(Q(host__name_folded__contains=fold(query)) | Q(title__icontains=query))
    page = Paginator(visible.order_by("-starts_at", "-id"), 50).get_page(request.GET.get("page"))
    attach_parent_names([c.host for c in page])
    context = {"page": page, "query": query, "can_create": policy.holds_anywhere(request.user, "conference.run")}
    return render(request, "study/conferences/list.html", context)


@require_GET
def conference(request, pk):
    conf = access_conference(request.user, pk)
    member = getattr(request.user, "member", None)
    own = Attendance.objects.filter(conference=conf, member=member).first() if member else None
    context = {
        "conference": conf,
        "can_manage": conf.is_run_by(request.user),
        "rules": rule_check(conf),
        "counts": attendance_counts(conf),
        "covered": attach_parent_names(list(conf.covered_orgs.order_by("path")), within=conf.host),
        "bridges": conf.bridge_points.select_related("host").order_by("id"),
        "presenters": conf.presenters.all(),
        "board": conf.board.all(),
        "fulfils": Obligation.objects.visible_to(request.user)
        .filter(conference=conf)
        .select_related("org")
        .order_by("org__path"),
        "makeups": Conference.objects.visible_to(request.user).filter(makeup_of=conf).order_by("starts_at"),
        "own": own,
        "on_roster": member is not None and services.on_roster(conf, member),
    }
    return render(request, "study/conferences/detail.html", context)


# ---------------------------------------------------------------- record and edit


def _form_context(form, formset, conference, title, submit, cancel):
    return {
        "form": form,
        "formset": formset,
        "conference": conference,
        "title": title,
        "submit": submit,
        "cancel": cancel,
    }


def _save(request, form, formset, conference):
    """Validate both forms and save through the service; a service refusal becomes form errors."""
    if not (form.is_valid() and formset.is_valid()):
        return None
    new = conference.pk is None
    try:
        return services.conference_record(request.user, conference, bridges=bridge_rows(formset), **form.save_kwargs())
    except ValidationError as error:
        if new:  # the transaction was rolled back: the conference does not exist after all
            conference.pk, conference._state.adding = None, True
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                for e in errors:
                    form.add_error(field if field in form.fields else None, e)
        else:
            for message in error.messages:
                form.add_error(None, message)
        return None


def _bridge_hosts(host):
    return Organization.objects.filter(Q(pk=host.pk) | Q(path__startswith=host.path, depth=host.depth + 1)).active()


def _edit_page(request, conference, initial, title, submit, cancel):
    post = request.POST if request.method == "POST" else None
    form = ConferenceForm(post, instance=conference, host=conference.host, initial=initial)
    formset = BridgePointFormSet(
        post, instance=conference, prefix="diem_cau", form_kwargs={"hosts": _bridge_hosts(conference.host)}
    )
    if post is not None:
        saved = _save(request, form, formset, conference)
        if saved:
            return saved, None
    return None, render(
        request,
        "study/conferences/form.html",
        _form_context(form, formset, conference, title, submit, cancel),
    )


def _resolve_org(request, value):
    visible = Organization.objects.visible_to(request.user)
    value = (value or "").strip()
    if value.isdigit():
        return get_object_or_404(visible, pk=int(value))
    return get_object_or_404(visible, code__iexact=value)


def _default_title(plan, host):
    symbols = ", ".join(str(d) for d in plan.documents.all()) or plan.title
    return f"Hội nghị học tập, quán triệt {symbols} — {host.name}"


@require_http_methods(["GET", "POST"])
def conference_create(request):
    """A new conference for an obligation (?obligation=) or for a plan and a host (?plan=&org=)."""
    obligation_id = request.GET.get("obligation", "")
    if obligation_id:
        if not obligation_id.isdigit():
            raise Http404
        obligation = access_obligation(request.user, obligation_id, "conference.run")
        plan, host = obligation.plan, obligation.org
    elif request.GET.get("plan") and request.GET.get("org"):
        plan_id = request.GET["plan"]
        if not plan_id.isdigit():
            raise Http404
        plan = access_plan(request.user, plan_id)
        host = _resolve_org(request, request.GET["org"])
        policy.require(request.user, "conference.run", host)
    else:
        return _pick_page(request)
    if plan.status != PlanStatus.PUBLISHED:
        messages.error(request, "Kế hoạch chưa ban hành hoặc đã kết thúc: không ghi nhận hội nghị mới được.")
        return redirect(plan.get_absolute_url())
    if not host.path.startswith(plan.issuer.path):
        messages.error(request, f"{host.name} không thuộc phạm vi của kế hoạch “{plan}”.")
        return redirect("study:conference_create")
    conference = Conference(plan=plan, host=host, created_by=request.user)
    initial = {"title": _default_title(plan, host)}
    saved, page = _edit_page(request, conference, initial, f"Ghi nhận hội nghị: {host.name}", "Lưu hội nghị", None)
    if saved:
        messages.success(request, "Đã lưu hội nghị.")
        return redirect(saved.get_absolute_url())
    return page


def _pick_page(request):
    """Step one without an obligation: the user's open obligations, or a plan and an organisation code."""
    managed = policy.paths_where(request.user, "conference.run")
    if not managed:
        raise policy.refusal("conference.run", anywhere=True)
    plans = StudyPlan.objects.visible_to(request.user).filter(status=PlanStatus.PUBLISHED).order_by("-published_at")
    form = PlanOrgPickForm(request.GET if {"plan", "org"} & request.GET.keys() else None, plans=plans)
    query = search_text(request.GET.get("q"))
    open_obligations = (
        Obligation.objects.filter(subtree_q(managed, "org__path"), held_on__isnull=True, plan__in=plans)
        .select_related("plan", "org")
        .order_by("deadline", "org__path")
    )
    if query:
        open_obligations = open_obligations.filter(
            Q(org__name_folded__contains=fold(query)) | Q(org__code__iexact=query)
        )
    open_obligations = list(open_obligations[:100])
    attach_parent_names([ob.org for ob in open_obligations])
    context = {"form": form, "obligations": open_obligations, "query": query}
    return render(request, "study/conferences/pick.html", context)


@require_http_methods(["GET", "POST"])
def conference_edit(request, pk):
    conference = access_conference(request.user, pk, "conference.run")
    saved, page = _edit_page(request, conference, {}, f"Sửa hội nghị: {conference.title}", "Lưu thay đổi", conference)
    if saved:
        messages.success(request, "Đã lưu thay đổi.")
        return redirect(saved.get_absolute_url())
    return page


@require_http_methods(["GET", "POST"])
def makeup_create(request, pk):
    """A make-up session (học bù) for the absentees of a held conference."""
    original = access_conference(request.user, pk, "conference.run")
    if original.status != ConferenceStatus.HELD:
        messages.error(request, "Chỉ tổ chức học bù cho hội nghị đã tổ chức.")
        return redirect(original.get_absolute_url())
    conference = Conference(
        plan=original.plan,
        host=original.host,
        makeup_of=original,
        format=original.format,
        duration_minutes=original.duration_minutes,
        location=original.location,
        class_rules=original.class_rules,
        local_context=original.local_context,
        checkin_interval=original.checkin_interval,
        created_by=request.user,
    )
    initial = {
        "title": f"Học bù: {original.title}",
        "covered": list(original.covered_orgs.all()),
        "chair": original.chair,
        "board_head": original.board_head,
        "presenters": list(original.presenters.all()),
        "board_members": list(original.board.all()),
        "chair_reason": original.chair_reason,
        "presenter_reason": original.presenter_reason,
        "board_reason": original.board_reason,
    }
    title = f"Tổ chức học bù: {original.title}"
    saved, page = _edit_page(request, conference, initial, title, "Tạo buổi học bù", original)
    if saved:
        absentees = services.conference_roster(saved).count()
        messages.success(request, f"Đã tạo buổi học bù cho {absentees} đảng viên vắng mặt.")
        return redirect(saved.get_absolute_url())
    return page


@require_POST
def conference_held(request, pk):
    conference = access_conference(request.user, pk, "conference.run")
    try:
        fulfilled = services.conference_mark_held(request.user, conference)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã ghi nhận hội nghị đã tổ chức; hoàn thành nhiệm vụ của {fulfilled} tổ chức.")
    return redirect(conference.get_absolute_url())


@require_POST
def conference_cancel(request, pk):
    """Those who run the conference cancel it, saying why; the reason is shown on its page."""
    conference = access_conference(request.user, pk, "conference.run")
    try:
        services.conference_cancel(request.user, conference, request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, "Đã hủy hội nghị. Hội nghị này không còn nhận điểm danh và không tính hoàn thành nhiệm vụ."
        )
    return redirect(conference.get_absolute_url())


@require_POST
def conference_attachment_add(request, pk):
    """The board keeps the minutes, slides or a photo of the paper sheet with the conference."""
    conference = access_conference(request.user, pk, "conference.run")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Hãy chọn tệp .pdf hoặc .docx để tải lên.")
    elif upload.size > settings.UPLOAD_MAX_BYTES:
        messages.error(request, f"Tệp quá lớn (tối đa {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB).")
    else:
        try:
            stored = services.conference_attachment_add(request.user, conference, upload.name, upload.read())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Đã lưu tệp {stored.name}.")
    return redirect(conference.get_absolute_url())


@require_GET
def conference_attachment(request, pk, file_pk):
    return download(access_conference_attachment(request.user, pk, file_pk))


# ---------------------------------------------------------------- attendance (class board)


def _roster_page(conference, query, page_number):
    roster = services.conference_roster(conference).select_related("cell")
    if query:
        folded = fold(query)
        roster = roster.filter(
            Q(full_name_folded__contains=folded) | Q(card_number=query.strip()) | Q(record_number=query.upper())
        )
    page = Paginator(roster.order_by("cell__path", "name_key", "id"), ROWS_PER_PAGE).get_page(page_number)
    marks = {a.member_id: a for a in Attendance.objects.filter(conference=conference, member__in=list(page))}
    attach_parent_names([m.cell for m in page], within=conference.host)
    rows = [{"member": m, "mark": marks.get(m.pk)} for m in page]
    return page, rows


def _status_buttons():
    colours = {
        AttendanceStatus.PRESENT: "success",
        AttendanceStatus.LATE: "warning",
        AttendanceStatus.LEFT_EARLY: "info",
        AttendanceStatus.EXCUSED: "secondary",
        AttendanceStatus.ABSENT: "danger",
    }
    return [{"key": i, "value": s.value, "label": s.label, "colour": colours[s]} for i, s in enumerate(STATUS_KEYS, 1)]


@require_GET
def attendance(request, pk):
    conference = access_conference(request.user, pk, "conference.run")
    if request.GET.get("part") == "counts":
        context = {"conference": conference, "counts": attendance_counts(conference)}
        return render(request, "study/conferences/_attendance_counts.html", context)
    query = search_text(request.GET.get("q"))
    page, rows = _roster_page(conference, query, request.GET.get("page"))
    context = {
        "conference": conference,
        "page": page,
        "rows": rows,
        "query": query,
        "buttons": _status_buttons(),
        "counts": attendance_counts(conference),
    }
    if _is_htmx(request) and request.GET.get("part") == "table":
        return render(request, "study/conferences/_attendance_table.html", context)
    return render(request, "study/conferences/attendance.html", context)


def _mark_refusal(request, member):
    """Why the posted mark cannot be saved before the service is asked, else None.

    The reason field carries its row's member id: a reason sent for another row (a page changed
    under the user, a script) is refused rather than saved on this member.
    """
    if request.POST.get("status", "") not in AttendanceStatus.values:
        return "Hãy chọn một trong năm tình trạng."
    if request.POST.get("reason", "").strip() and request.POST.get("member") != str(member.pk):
        return f"Lý do gửi kèm không thuộc dòng của {member.full_name} nên chưa lưu. Hãy gõ lại lý do trên dòng này."
    return None


@require_POST
def attendance_mark(request, pk, member_pk):
    """Mark one member (the class board); returns the updated row for htmx."""
    conference = access_conference(request.user, pk, "conference.run")
    member = get_object_or_404(services.conference_roster(conference).select_related("cell"), pk=member_pk)
    status = request.POST.get("status", "")
    reason = request.POST.get("reason", "")[:255]
    error, needs_confirm = _mark_refusal(request, member), False
    if error is None:
        try:
            services.attendance_mark(
                request.user, conference, member, status, reason, override_checkin=request.POST.get("confirm") == "1"
            )
        except services.CheckinOverride as e:
            error, needs_confirm = " ".join(e.messages), True
        except ValidationError as e:
            error = " ".join(e.messages)
    if not _is_htmx(request):
        if error:
            messages.error(request, f"{member.full_name}: {error}")
        return redirect(reverse("study:attendance", args=[conference.pk]) + f"#att-{member.pk}")
    attach_parent_names([member.cell], within=conference.host)
    context = {
        "conference": conference,
        "row": {
            "member": member,
            "mark": Attendance.objects.filter(conference=conference, member=member).first(),
            "error": error,
            "confirm": needs_confirm,
            "pending": status if error else "",
            "reason": reason if error else None,
        },
        "buttons": _status_buttons(),
    }
    response = render(request, "study/conferences/_attendance_row.html", context)
    if not error:
        response["HX-Trigger"] = "attendance-changed"
    return response


@require_http_methods(["GET", "POST"])
def attendance_import(request, pk):
    conference = access_conference(request.user, pk, "conference.run")
    form = AttendanceUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_attendance(request.user, conference, upload.read(), upload.name)
        except SheetError as error:
            problems = error.problems
        else:
            messages.success(
                request,
                f"Đã nhập {result.rows} dòng: ghi mới {result.created}, cập nhật {result.updated}, "
                f"không đổi {result.unchanged}; bỏ qua {result.skipped} dòng chưa ghi tình trạng.",
            )
            if result.kept_checkins:
                messages.warning(
                    request,
                    f"Giữ nguyên {result.kept_checkins} đảng viên đã tự điểm danh bằng mã mà tệp ghi khác đi. "
                    "Nếu cần sửa, hãy sửa từng người trên sổ điểm danh (sẽ được hỏi xác nhận).",
                )
            return redirect("study:attendance", pk=conference.pk)
    context = {"conference": conference, "form": form, "problems": problems}
    return render(request, "study/conferences/attendance_import.html", context, status=400 if problems else 200)


@require_GET
def attendance_template(request, pk):
    conference = access_conference(request.user, pk, "conference.run")
    out = io.BytesIO()
    write_attendance_template(conference, out)
    return attachment(out.getvalue(), f"diem-danh-hoi-nghi-{conference.pk}.xlsx")


# ---------------------------------------------------------------- check-in board (projector)


def _code_context(request, conference):
    now = timezone.now()
    slot = codes.current_slot(conference, now)
    code = codes.make_code(conference, slot)
    page = request.build_absolute_uri(reverse("study:checkin", args=[conference.pk]))
    url = page + "?" + urlencode({"ma": code})
    svg = segno.make(url, error="m").svg_inline(scale=1, omitsize=True, border=2)
    remaining = max(1, math.ceil((slot + 1) * conference.checkin_interval - now.timestamp()))
    return {
        "conference": conference,
        "code": code,
        "short_code": codes.make_short_code(conference, slot),
        "checkin_url": url,
        "checkin_page": page.split("://", 1)[-1],
        "qr": mark_safe(svg),  # noqa: S308 - segno's own SVG, the URL inside is escaped by segno
        "remaining": remaining,
        "interval": conference.checkin_interval,
        "in_window": conference.checkin_open(now),
    }


def _stats_context(conference):
    attempts = (
        CheckinAttempt.objects.filter(conference=conference, outcome__in=REFUSALS)
        .select_related("user__member")
        .order_by("-at")[:12]
    )
    refused = [
        {
            "at": a.at,
            "name": person_name(a.user),
            "outcome": a.get_outcome_display(),
        }
        for a in attempts
    ]
    return {"conference": conference, "counts": attendance_counts(conference), "refused": refused}


@require_GET
def board(request, pk):
    conference = access_conference(request.user, pk, "conference.run")
    context = _code_context(request, conference) | _stats_context(conference)
    return render(request, "study/conferences/board.html", context)


@require_GET
def board_code(request, pk):
    conference = access_conference(request.user, pk, "conference.run")
    return render(request, "study/conferences/_board_code.html", _code_context(request, conference))


@require_GET
def board_stats(request, pk):
    conference = access_conference(request.user, pk, "conference.run")
    return render(request, "study/conferences/_board_stats.html", _stats_context(conference))


# ---------------------------------------------------------------- check-in (member's phone)


@require_http_methods(["GET", "POST"])
def checkin(request, pk):
    conference = access_conference(request.user, pk)
    member = getattr(request.user, "member", None)
    outcome = message = None
    if request.method == "POST":
        # Only the code is read from the request: the member is the logged-in user's own record.
        outcome, row = services.checkin(request.user, conference, request.POST.get("ma", "")[:100])
        message = services.checkin_message(outcome, row, conference)
    code = request.POST.get("ma") or request.GET.get("ma", "")
    own = Attendance.objects.filter(conference=conference, member=member).first() if member else None
    context = {
        "conference": conference,
        "member": member,
        "code": code[:100],
        "outcome": outcome,
        "ok": outcome in (CheckinOutcome.OK, CheckinOutcome.AGAIN),
        "message": message,
        "own": own,
        "on_roster": member is not None and services.on_roster(conference, member),
    }
    return render(request, "study/conferences/checkin.html", context)


urlpatterns = [
    path("hoi-nghi/", conferences, name="conferences"),
    path("hoi-nghi/them/", conference_create, name="conference_create"),
    path("hoi-nghi/<int:pk>/", conference, name="conference"),
    path("hoi-nghi/<int:pk>/sua/", conference_edit, name="conference_edit"),
    path("hoi-nghi/<int:pk>/da-to-chuc/", conference_held, name="conference_held"),
    path("hoi-nghi/<int:pk>/huy/", conference_cancel, name="conference_cancel"),
    path("hoi-nghi/<int:pk>/hoc-bu/", makeup_create, name="makeup_create"),
    path("hoi-nghi/<int:pk>/tep/", conference_attachment_add, name="conference_attachment_add"),
    path("hoi-nghi/<int:pk>/tep/<int:file_pk>/", conference_attachment, name="conference_attachment"),
    path("hoi-nghi/<int:pk>/so-diem-danh/", attendance, name="attendance"),
    path("hoi-nghi/<int:pk>/so-diem-danh/<int:member_pk>/", attendance_mark, name="attendance_mark"),
    path("hoi-nghi/<int:pk>/so-diem-danh/nhap-tep/", attendance_import, name="attendance_import"),
    path("hoi-nghi/<int:pk>/so-diem-danh/tep-mau.xlsx", attendance_template, name="attendance_template"),
    path("hoi-nghi/<int:pk>/man-hinh/", board, name="board"),
    path("hoi-nghi/<int:pk>/man-hinh/ma/", board_code, name="board_code"),
    path("hoi-nghi/<int:pk>/man-hinh/so-lieu/", board_stats, name="board_stats"),
    path("hoi-nghi/<int:pk>/diem-danh/", checkin, name="checkin"),
]
