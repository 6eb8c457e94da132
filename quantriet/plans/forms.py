"""Forms of action programmes: the content (title, preamble, tasks), approval, comments, progress."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from quantriet.core.numbers import VnDecimalField
from quantriet.org.models import Member, Organization, Position
from quantriet.org.tree import ancestors_of

from .models import Programme, TaskStatus
from .services import TaskInput

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: Units offered as a task's lead: the unit, the levels above, and the units below down this many levels.
LEAD_LEVELS_BELOW = 2
#: At most this many units below are offered (a province has thousands of cells: its tasks are led by communes).
LEAD_UNITS_MAX = 400


class ProgrammeForm(forms.Form):
    title = forms.CharField(label="Tên chương trình", max_length=300)
    symbol = forms.CharField(label="Số, ký hiệu", max_length=40, required=False, help_text="Ví dụ 05-CTr/ĐU")
    preamble = forms.CharField(
        label="Mục đích, yêu cầu; tình hình của đơn vị",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Nêu tình hình riêng của đơn vị (địa bàn, số liệu, việc khó): đó là phần “cụ thể hóa”.",
    )
    summary = forms.CharField(
        label="Tóm tắt thay đổi (ví dụ: tiếp thu ý kiến của đảng viên)", max_length=500, required=False
    )


def lead_units(programme: Programme):
    org = programme.org
    below = Q(path__startswith=org.path, depth__lte=org.depth + LEAD_LEVELS_BELOW)
    units = Organization.objects.active().filter(below | Q(path__in=ancestors_of(org.path)))
    return units.order_by("path")[:LEAD_UNITS_MAX]


def lead_people(programme: Programme):
    """Those who may lead a task: the members of a cell, or those holding a position in the unit or below."""
    org = programme.org
    holders = Position.objects.current().filter(org__path__startswith=org.path).values("member_id")
    return Member.objects.filter(Q(cell=org) | Q(pk__in=holders)).order_by("full_name_folded")


class TaskForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    content = forms.CharField(label="Nội dung nhiệm vụ", widget=forms.Textarea(attrs={"rows": 2}))
    lead_org = forms.ModelChoiceField(label="Đơn vị chủ trì", queryset=Organization.objects.none(), required=False)
    lead_person = forms.ModelChoiceField(label="Người chủ trì", queryset=Member.objects.none(), required=False)
    coordinating = forms.CharField(label="Đơn vị phối hợp", max_length=300, required=False)
    starts_on = forms.DateField(label="Bắt đầu", required=False, widget=DATE_INPUT)
    deadline = forms.DateField(label="Thời hạn", required=False, widget=DATE_INPUT)
    product = forms.CharField(label="Sản phẩm", max_length=300, required=False)
    indicator = forms.CharField(label="Chỉ tiêu đo lường", max_length=300, required=False)
    target = VnDecimalField(label="Chỉ tiêu", max_digits=14, decimal_places=2, required=False, min_value=0)
    unit = forms.CharField(label="Đơn vị tính", max_length=40, required=False)
    budget = VnDecimalField(label="Kinh phí (đồng)", max_digits=14, decimal_places=0, required=False, min_value=0)

    def __init__(self, *args, units=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_org"].queryset = units if units is not None else Organization.objects.none()
        self.fields["lead_person"].queryset = people if people is not None else Member.objects.none()

    def as_input(self) -> TaskInput:
        return TaskInput(**{name: value for name, value in self.cleaned_data.items() if name != "DELETE"})


class BaseTaskFormSet(forms.BaseFormSet):
    def inputs(self) -> list[TaskInput]:
        """The tasks kept, in order (blank extra rows and rows marked for removal left out)."""
        return [form.as_input() for form in self.forms if form.has_changed() and not self._should_delete_form(form)]


TaskFormSet = forms.formset_factory(TaskForm, formset=BaseTaskFormSet, extra=3, can_delete=True, max_num=200)


def task_formset(programme: Programme, data=None):
    """The task rows of PROGRAMME (its stored tasks, then blank rows), choices narrowed to its unit."""
    units, people = list(lead_units(programme)), lead_people(programme)
    initial = [
        {
            "id": task.pk,
            **{
                name: getattr(task, name)
                for name in TaskForm.base_fields
                if name not in {"id", "lead_org", "lead_person"}
            },
            "lead_org": task.lead_org_id,
            "lead_person": task.lead_person_id,
        }
        for task in programme.tasks.all()
    ]
    units_qs = Organization.objects.filter(pk__in=[unit.pk for unit in units]).order_by("path")
    return TaskFormSet(data, initial=initial, prefix="tasks", form_kwargs={"units": units_qs, "people": people})


class ApprovalForm(forms.Form):
    approved_on = forms.DateField(label="Ngày thông qua", widget=DATE_INPUT, initial=timezone.localdate)
    approval_ref = forms.CharField(
        label="Nghị quyết, biên bản thông qua",
        max_length=200,
        help_text="Ví dụ: Nghị quyết số 12-NQ/ĐU, biên bản họp chi bộ",
    )
    approval_file = forms.FileField(label="Tệp nghị quyết, biên bản (.pdf, .docx)", required=False)


class TransitionForm(forms.Form):
    comment = forms.CharField(label="Ý kiến, lý do", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label="Ý kiến góp ý", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    task = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    status = forms.ChoiceField(label="Tiến độ", choices=TaskStatus.choices)
    achieved = VnDecimalField(label="Kết quả đạt được", max_digits=14, decimal_places=2, required=False, min_value=0)
    reported_on = forms.DateField(label="Ngày báo cáo", widget=DATE_INPUT, initial=timezone.localdate)
    note = forms.CharField(label="Nội dung báo cáo", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label="Minh chứng (.pdf, .docx)", required=False)


class ReviewForm(forms.Form):
    held_on = forms.DateField(label="Ngày sơ kết", widget=DATE_INPUT)
    summary = forms.CharField(
        label="Kết quả sơ kết, việc cần điều chỉnh", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
