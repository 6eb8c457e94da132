"""Criteria sets in the admin (/quan-tri/): the guidance changes every few years, and the office changes
the set with it — groups, criteria with their maximum points and floors, bands with their thresholds
and conditions, the quota.

A set some evaluation was made with is read-only (changing it would rewrite that year's ratings):
the office copies it ("Sao chép thành bộ tiêu chí mới", valid from today, marked to confirm) and
changes the copy, which applies from its own date. Every change is audited (`AuditedAdmin`).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from quantriet.core.admin import AuditedAdmin
from quantriet.core.audit import audit_record

from .defaults import write_set
from .models import Band, CriteriaSet, Criterion, CriterionGroup, Evaluation
from .rules import BAND_CODES


def in_use(criteria_set) -> bool:
    return criteria_set is not None and Evaluation.objects.filter(criteria_set=criteria_set).exists()


class ReadOnlyWhenUsed:
    """A set (or a part of one) that an evaluation uses can be read, not changed or deleted."""

    def criteria_set_of(self, obj):
        return obj

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not in_use(self.criteria_set_of(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not in_use(self.criteria_set_of(obj))


class InlineReadOnlyWhenUsed(ReadOnlyWhenUsed):
    """An inline's OBJ is its parent: no row is added to a set in use either."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not in_use(self.criteria_set_of(obj))


class BandFormSet(forms.BaseInlineFormSet):
    """The bands of a set: each code once, best first with thresholds going down, the last one from 0."""

    def clean(self):
        super().clean()
        kept = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        kept.sort(key=lambda row: row["order"])
        codes = [row["code"] for row in kept]
        if sorted(codes) != sorted(BAND_CODES):
            raise ValidationError("Bộ tiêu chí cần đủ bốn mức, mỗi mức một lần: " + ", ".join(BAND_CODES) + ".")
        thresholds = [row["min_points"] for row in kept]
        if thresholds != sorted(thresholds, reverse=True) or len(set(thresholds)) != len(thresholds):
            raise ValidationError("Các mức xếp theo thứ tự từ tốt nhất; điểm “từ” phải giảm dần, không trùng nhau.")
        if thresholds[-1] != 0:
            raise ValidationError("Mức cuối cùng (thấp nhất) phải bắt đầu từ 0 điểm.")


class BandInline(InlineReadOnlyWhenUsed, admin.TabularInline):
    model = Band
    formset = BandFormSet
    extra = 0


class GroupInline(InlineReadOnlyWhenUsed, admin.TabularInline):
    model = CriterionGroup
    extra = 0
    show_change_link = True  # the criteria of a group are edited on the group's page


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnlyWhenUsed, AuditedAdmin):
    list_display = ["name", "subject", "valid_from", "valid_to", "to_confirm", "used"]
    list_filter = ["subject", "to_confirm"]
    inlines = [GroupInline, BandInline]
    actions = ["copy_as_new"]

    @admin.display(description="đã dùng để đánh giá", boolean=True)
    def used(self, obj):
        return in_use(obj)

    @admin.action(description="Sao chép thành bộ tiêu chí mới (áp dụng từ hôm nay, cần xác nhận)")
    def copy_as_new(self, request, queryset):
        today = timezone.localdate()
        for original in queryset:
            models = (CriteriaSet, CriterionGroup, Criterion, Band)
            copy = write_set(models, original.subject, f"{original.name} (bản sao)", original.basis, today,
                             original.rules())  # fmt: skip
            audit_record(request.user, "admin.add", copy, None, {"copied_from": original.pk})
        messages.success(request, f"Đã sao chép {queryset.count()} bộ tiêu chí; sửa bản sao rồi bỏ dấu “cần xác nhận”.")


class CriterionInline(InlineReadOnlyWhenUsed, admin.TabularInline):
    model = Criterion
    extra = 0

    def criteria_set_of(self, obj):
        return obj.criteria_set if obj is not None else None


@admin.register(CriterionGroup)
class CriterionGroupAdmin(ReadOnlyWhenUsed, AuditedAdmin):
    list_display = ["label", "criteria_set", "order"]
    list_filter = ["criteria_set"]
    inlines = [CriterionInline]

    def criteria_set_of(self, obj):
        return obj.criteria_set if obj is not None else None
