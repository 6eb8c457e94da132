"""The admin's view of second factors: who has enrolled, and a reset for a lost phone.

django-otp's own device admins are removed: they show the secret key and edit devices field by
field, in English. Here an enrolled authenticator can only be listed and deleted; deleting it
(through `otp_disable`, audited) removes the user's recovery codes too, and at the next sign-in a
user who must use two-factor sign-in enrols again.
"""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from quantriet.core.people import person_name

from . import services
from .models import Authenticator

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user_name", "enrolled_at", "last_used"]
    list_select_related = ["user__member"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    fields = readonly_fields = ["user_name", "enrolled_at", "last_used"]

    @admin.display(description="người dùng", ordering="user__username")
    def user_name(self, device):
        return f"{person_name(device.user)} ({device.user.username})"

    @admin.display(description="đăng ký lúc", ordering="created_at")
    def enrolled_at(self, device):
        return device.created_at

    @admin.display(description="dùng lần cuối", ordering="last_used_at")
    def last_used(self, device):
        return device.last_used_at

    def get_queryset(self, request):
        return super().get_queryset(request).filter(confirmed=True)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.otp_disable(obj.user, request.user)

    def delete_queryset(self, request, queryset):
        for device in queryset:
            self.delete_model(request, device)
