"""A refusal flashed by a service shows as a red Bootstrap alert on the next page ("alert-danger":
Bootstrap has no "alert-error", so without the mapping a refusal would look like plain text)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_refusal_is_shown_as_a_danger_alert(client_as):
    member = client_as("dangvien1")
    url = reverse("evaluation:mine") + "?nam=2026"
    member.post(url, {"nam": 2026})
    response = member.post(url, {"nam": 2026, "p_nhiem_vu": "41", "action": "save"}, follow=True)
    page = response.content.decode()
    assert '<div class="alert alert-danger">' in page and "41 điểm, ngoài khoảng 0–40" in page
    assert "alert-error" not in page
