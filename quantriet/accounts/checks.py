"""System check: OTP_REQUIRED_FOR names only groups the two-factor gate knows."""

from django.conf import settings
from django.core import checks

from .twofactor import GROUPS


@checks.register(checks.Tags.security)
def otp_groups_check(app_configs, **kwargs):
    unknown = sorted(set(settings.OTP_REQUIRED_FOR) - set(GROUPS))
    if not unknown:
        return []
    return [
        checks.Error(
            f"OTP_REQUIRED_FOR có giá trị không hiểu được: {', '.join(unknown)}.",
            hint=f"Dùng các giá trị {', '.join(GROUPS)} (cách nhau bằng dấu phẩy), hoặc để trống.",
            id="quantriet.E010",
        )
    ]
