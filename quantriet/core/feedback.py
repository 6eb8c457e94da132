"""Refusals shown on the next page: every message of a service's ValidationError, or of a bound
form's errors, as an error message (django.contrib.messages) after a redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def flash_refusal(request, refusal) -> None:
    """REFUSAL: a ValidationError, or a form that did not validate."""
    if isinstance(refusal, ValidationError):
        texts = refusal.messages
    else:
        texts = [text for errors in refusal.errors.values() for text in errors]
    for text in texts:
        messages.error(request, text)
