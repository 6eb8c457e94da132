from django_otp.plugins.otp_totp.models import TOTPDevice


class Authenticator(TOTPDevice):
    """A user's authenticator app as the admin lists it: to see who has enrolled, and to reset a lost phone."""

    class Meta:
        proxy = True
        verbose_name = "ứng dụng xác thực"
        verbose_name_plural = "xác thực hai bước (ứng dụng xác thực)"
