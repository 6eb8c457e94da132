"""Two-factor helpers for tests (no tests here): an enrolled user, the code their phone would show."""

from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from quantriet.accounts import services


def code_for(device: TOTPDevice) -> str:
    """The authenticator's code the server accepts next: the current time step's, or the one after
    the last code used (each step's code works once)."""
    device.refresh_from_db()
    now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    return f"{hotp(device.bin_key, max(now, device.last_t + 1), digits=device.digits):06d}"


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """USER with an authenticator app (as if enrolled through the page) and their recovery codes."""
    device = TOTPDevice.objects.create(user=user, name="x", confirmed=False)
    codes = services.otp_enrol(user, device)
    return device, codes
