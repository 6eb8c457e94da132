"""Forms of the conference pages: the conference record, its bridging points, attendance upload, check-in."""

import re

from django import forms
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from quantriet.core.numbers import VnIntegerField
from quantriet.core.sheets import SheetFileField
from quantriet.org.forms import BootstrapMixin
from quantriet.org.models import TITLE_RANK, Member, Organization, Position, Title

from .models import BridgePoint, Conference
from .services import conference_rule_problems

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %Hh%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
_NUMBERS = re.compile(r"[\s,;]+")


class DateTimeInput(forms.DateTimeInput):
    """dd/mm/yyyy HH:MM text input (24-hour clock), whatever the device's locale."""

    def __init__(self):
        super().__init__(format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy HH:MM", "inputmode": "numeric"})


class _Checkboxes(forms.CheckboxSelectMultiple):
    """Checkbox lists keep Bootstrap's form-check-input (BootstrapMixin would add form-control)."""


def _leaders(org, day):
    """Current positions in ORG on DAY, leaders first."""
    positions = Position.objects.current(day).filter(org=org).select_related("member")
    return sorted(positions, key=lambda p: (TITLE_RANK[p.title], p.member.name_key))


class _LeaderChoice(forms.ModelChoiceField):
    def __init__(self, *args, titles, **kwargs):
        self.titles = titles
        super().__init__(*args, **kwargs)

    def label_from_instance(self, member):
        titles = self.titles.get(member.pk)
        return f"{member.full_name} ({titles})" if titles else member.full_name


class _LeaderChoices(forms.ModelMultipleChoiceField):
    def __init__(self, *args, titles, **kwargs):
        self.titles = titles
        super().__init__(*args, **kwargs)

    label_from_instance = _LeaderChoice.label_from_instance


class ConferenceForm(BootstrapMixin, forms.ModelForm):
    """One conference: when, how, who covers it, who chairs, presents and runs the class board.

    People are picked from the host's current leaders, or entered by card or record number
    (any member of the host's subtree). Chỉ thị 28's rules are checked here so that every
    missing reason shows on its field together with the other errors.
    """

    starts_at = forms.DateTimeField(label="Bắt đầu", input_formats=DATETIME_FORMATS, widget=DateTimeInput())
    covered = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label="Các tổ chức tham gia",
        widget=_Checkboxes,
        help_text="Bỏ trống là chỉ tổ chức chủ trì. Hội nghị đã tổ chức hoàn thành nhiệm vụ của mọi tổ chức tham gia.",
    )
    all_children = forms.BooleanField(
        required=False,
        label="Tổ chức chung cho tất cả chi bộ trực thuộc",
        help_text="Thêm mọi tổ chức trực thuộc đang hoạt động vào danh sách tham gia.",
    )
    chair = forms.ModelChoiceField(queryset=Member.objects.none(), required=False, label="Chủ trì")
    chair_number = forms.CharField(required=False, max_length=20, label="hoặc số thẻ / số lý lịch")
    presenters = forms.ModelMultipleChoiceField(
        queryset=Member.objects.none(), required=False, label="Người trình bày, triển khai", widget=_Checkboxes
    )
    presenter_numbers = forms.CharField(
        required=False, max_length=400, label="Người trình bày khác (số thẻ / số lý lịch, cách nhau bởi dấu phẩy)"
    )
    board_head = forms.ModelChoiceField(queryset=Member.objects.none(), required=False, label="Trưởng ban quản lý lớp")
    board_head_number = forms.CharField(required=False, max_length=20, label="hoặc số thẻ / số lý lịch")
    board_members = forms.ModelMultipleChoiceField(
        queryset=Member.objects.none(), required=False, label="Thành viên ban quản lý lớp học", widget=_Checkboxes
    )
    board_numbers = forms.CharField(
        required=False, max_length=400, label="Thành viên khác (số thẻ / số lý lịch, cách nhau bởi dấu phẩy)"
    )

    class Meta:
        model = Conference
        fields = [
            "title",
            "starts_at",
            "duration_minutes",
            "format",
            "location",
            "checkin_interval",
            "chair_reason",
            "presenter_reason",
            "board_reason",
            "local_context",
            "class_rules",
            "minutes",
        ]
        labels = {
            "chair_reason": "Lý do Bí thư không chủ trì",
            "presenter_reason": "Lý do Bí thư không trực tiếp triển khai",
            "board_reason": "Lý do Phó Bí thư Thường trực không phụ trách ban quản lý lớp học",
            "local_context": "Liên hệ tình hình cụ thể của địa phương, đơn vị",
            "class_rules": "Quy chế lớp học",
            "minutes": "Biên bản hội nghị",
        }
        field_classes = {"duration_minutes": VnIntegerField, "checkin_interval": VnIntegerField}
        help_texts = {
            "local_context": (
                "Những vấn đề của địa phương, đơn vị liên quan đến văn bản; các quan điểm sai trái cần phản bác."
            ),
            "checkin_interval": "Mã QR trên màn hình đổi sau mỗi khoảng này (10–300 giây).",
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": rows})
            for name, rows in [
                ("chair_reason", 2),
                ("presenter_reason", 2),
                ("board_reason", 2),
                ("local_context", 4),
                ("class_rules", 4),
                ("minutes", 6),
            ]
        }

    def __init__(self, *args, host, **kwargs):
        super().__init__(*args, **kwargs)
        self.host = host
        self.instance.host = host
        day = timezone.localtime(self.instance.starts_at).date() if self.instance.starts_at else timezone.localdate()
        leaders = _leaders(host, day)
        titles = {}
        for p in leaders:
            titles.setdefault(p.member_id, []).append(p.get_title_display())
        titles = {pk: ", ".join(t) for pk, t in titles.items()}
        leader_ids = list(dict.fromkeys(p.member_id for p in leaders))
        order = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(leader_ids)], default=Value(len(leader_ids)))
        queryset = Member.objects.filter(pk__in=leader_ids).order_by(order)
        for name in ("chair", "board_head"):
            self.fields[name] = _LeaderChoice(
                queryset=queryset,
                required=False,
                label=self.fields[name].label,
                empty_label="— Chọn trong lãnh đạo —",
                titles=titles,
            )
        for name in ("presenters", "board_members"):
            self.fields[name] = _LeaderChoices(
                queryset=queryset, required=False, label=self.fields[name].label, widget=_Checkboxes, titles=titles
            )
        children = Organization.objects.filter(path__startswith=host.path, depth=host.depth + 1).active()
        self.children = children
        self.fields["covered"].queryset = Organization.objects.filter(Q(pk=host.pk) | Q(pk__in=children.values("pk")))
        if not children.exists():
            del self.fields["all_children"]
        self.fields["duration_minutes"].min_value = 15
        for name in ("covered", "presenters", "board_members"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        for name in ("chair", "board_head"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.secretary = host.holder(Title.SECRETARY, day)
        self.standing = host.holder(Title.STANDING_DEPUTY, day)
        if not self.is_bound:
            self._initial_people(set(leader_ids))

    def _initial_people(self, listed):
        """Current people of the conference, or Chỉ thị 28's defaults for a new one."""
        conference = self.instance
        if conference.pk:
            chair, head = conference.chair, conference.board_head
            presenters, board = list(conference.presenters.all()), list(conference.board.all())
            self.initial.setdefault("covered", list(conference.covered_orgs.all()))
        else:
            chair, head = self.initial.get("chair") or self.secretary, self.initial.get("board_head") or self.standing
            presenters = self.initial.get("presenters") or ([self.secretary] if self.secretary else [])
            board = self.initial.get("board_members") or []
            self.initial.setdefault("covered", [self.host])
        for name, number, member in (("chair", "chair_number", chair), ("board_head", "board_head_number", head)):
            if member is None:
                continue
            if member.pk in listed:
                self.initial[name] = member.pk
            else:
                self.initial[name], self.initial[number] = None, member.card_number or member.record_number
        for name, numbers, members in (
            ("presenters", "presenter_numbers", presenters),
            ("board_members", "board_numbers", board),
        ):
            self.initial[name] = [m.pk for m in members if m.pk in listed]
            self.initial[numbers] = ", ".join(m.card_number or m.record_number for m in members if m.pk not in listed)

    def clean_checkin_interval(self):
        value = self.cleaned_data["checkin_interval"]
        if not 10 <= value <= 300:
            raise forms.ValidationError("Chọn từ 10 đến 300 giây.")
        return value

    def clean_duration_minutes(self):
        value = self.cleaned_data["duration_minutes"]
        if not 15 <= value <= 7200:
            raise forms.ValidationError("Thời lượng từ 15 phút đến 7.200 phút (5 ngày).")
        return value

    def _members_by_number(self, field, text):
        numbers = [n.upper() for n in _NUMBERS.split(text.strip()) if n]
        if not numbers:
            return []
        found = Member.objects.in_subtree(self.host).filter(Q(card_number__in=numbers) | Q(record_number__in=numbers))
        by_number = {}
        for member in found:
            for number in (member.card_number, member.record_number):
                if number:
                    by_number[number] = member
        missing = [n for n in numbers if n not in by_number]
        if missing:
            self.add_error(field, f"Không có đảng viên mang số {', '.join(missing)} trong {self.host}.")
        return list(dict.fromkeys(by_number[n] for n in numbers if n in by_number))

    def clean(self):
        data = super().clean()
        chair_number = data.get("chair_number", "")
        head_number = data.get("board_head_number", "")
        if chair_number:
            found = self._members_by_number("chair_number", chair_number)
            data["chair"] = found[0] if found else None
        if head_number:
            found = self._members_by_number("board_head_number", head_number)
            data["board_head"] = found[0] if found else None
        data["presenter_list"] = list(
            dict.fromkeys(
                list(data.get("presenters") or [])
                + self._members_by_number("presenter_numbers", data.get("presenter_numbers", ""))
            )
        )
        data["board_list"] = list(
            dict.fromkeys(
                list(data.get("board_members") or [])
                + self._members_by_number("board_numbers", data.get("board_numbers", ""))
            )
        )
        covered = list(data.get("covered") or [])
        if data.get("all_children"):
            covered += [o for o in self.children if o not in covered]
        data["covered_list"] = covered
        if data.get("starts_at") and not self.errors.keys() & {"chair_number", "board_head_number"}:
            self.instance.chair = data.get("chair")
            self.instance.board_head = data.get("board_head")
            for name in ("chair_reason", "presenter_reason", "board_reason", "starts_at"):
                setattr(self.instance, name, data.get(name, ""))
            problems = conference_rule_problems(self.instance, data["presenter_list"], data.get("board_head"))
            for field, message in problems:
                self.add_error(field, message)
        return data

    def save_kwargs(self):
        """What ``services.conference_record`` needs besides the instance."""
        data = self.cleaned_data
        self.instance.chair = data.get("chair")
        self.instance.board_head = data.get("board_head")
        return {"covered": data["covered_list"], "presenters": data["presenter_list"], "board": data["board_list"]}


class BridgePointForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = BridgePoint
        fields = ["place", "host", "expected", "actual"]
        labels = {"host": "Đơn vị đầu cầu"}
        field_classes = {"expected": VnIntegerField, "actual": VnIntegerField}

    def __init__(self, *args, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = hosts

    def has_changed(self):
        """A blank new row (no place, no host) is not a bridging point, whatever its counts say."""
        if self.instance.pk is None:
            return any(self[name].value() for name in ("place", "host"))
        return super().has_changed()


BridgePointFormSet = forms.inlineformset_factory(
    Conference, BridgePoint, form=BridgePointForm, extra=1, can_delete=True, max_num=200, validate_max=True
)


def bridge_rows(formset):
    """The bridging points a valid formset keeps, as dicts for ``services.conference_record``."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("host")
    ]


class PlanOrgPickForm(forms.Form):
    """Which plan and which organisation a new conference is for (when no obligation was given)."""

    plan = forms.ModelChoiceField(queryset=None, label="Kế hoạch", empty_label="— Chọn kế hoạch —")
    org = forms.CharField(label="Mã tổ chức chủ trì", max_length=32)

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["plan"].widget.attrs["class"] = "form-select"
        self.fields["org"].widget.attrs["class"] = "form-control"


class AttendanceUploadForm(BootstrapMixin, forms.Form):
    file = SheetFileField(label="Tệp điểm danh (.xlsx hoặc .csv)")
