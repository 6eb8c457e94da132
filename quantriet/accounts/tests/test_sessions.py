"""Session limits: ended after SESSION_IDLE_MINUTES unused and 8 hours after sign-in, whatever the activity."""

import time

from django.conf import settings

from quantriet.accounts.middleware import SEEN_AT, SIGNED_IN_AT


def _age(client, *, signed_in_ago=0, seen_ago=0):
    """Pretend CLIENT's session was signed in and last used that many seconds ago."""
    session = client.session
    now = int(time.time())
    session[SIGNED_IN_AT] = now - signed_in_ago
    session[SEEN_AT] = now - seen_ago
    session.save()


def test_idle_session_is_ended_with_a_vietnamese_message(client_as):
    client = client_as("xa1.bithu")
    _age(client, signed_in_ago=3600, seen_ago=settings.SESSION_IDLE_MINUTES * 60 + 1)
    response = client.get("/to-chuc/")
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/?next=%2Fto-chuc%2F"
    page = client.get(response["Location"]).content.decode()
    assert "không sử dụng quá 30 phút" in page and "Vui lòng đăng nhập lại" in page
    assert client.get("/to-chuc/")["Location"].startswith("/dang-nhap/")  # signed out for good


def test_session_used_within_the_idle_limit_goes_on_and_is_stamped(client_as):
    client = client_as("xa1.bithu")
    _age(client, signed_in_ago=3600, seen_ago=settings.SESSION_IDLE_MINUTES * 60 - 60)
    assert client.get("/to-chuc/").status_code == 200
    assert int(time.time()) - client.session[SEEN_AT] < 5


def test_activity_is_stamped_at_most_once_a_minute(client_as):
    """No session write per request: a stamp 30 s old is left as it is."""
    client = client_as("xa1.bithu")
    _age(client, seen_ago=30)
    stamped = client.session[SEEN_AT]
    assert client.get("/to-chuc/").status_code == 200
    assert client.session[SEEN_AT] == stamped


def test_eight_hours_after_sign_in_the_session_ends_even_if_busy(client_as):
    client = client_as("xa1.bithu")
    _age(client, signed_in_ago=settings.SESSION_COOKIE_AGE + 1, seen_ago=10)
    response = client.get("/to-chuc/", follow=True)
    assert response.redirect_chain[0][0].startswith("/dang-nhap/")
    assert "kéo dài quá 8 giờ" in response.content.decode()


def test_seven_hours_after_sign_in_a_busy_session_goes_on(client_as):
    client = client_as("xa1.bithu")
    _age(client, signed_in_ago=7 * 3600, seen_ago=10)
    assert client.get("/to-chuc/").status_code == 200


def test_htmx_request_of_an_ended_session_loads_the_login_page_whole(client_as):
    client = client_as("xa1.bithu")
    _age(client, seen_ago=settings.SESSION_IDLE_MINUTES * 60 + 1)
    response = client.get("/to-chuc/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/dang-nhap/?next=")


def test_idle_limit_zero_turns_it_off(client_as, settings):
    settings.SESSION_IDLE_MINUTES = 0
    client = client_as("xa1.bithu")
    _age(client, seen_ago=6 * 3600)
    assert client.get("/to-chuc/").status_code == 200


def test_keepalive_counts_as_use(client_as):
    client = client_as("dangvien1")
    _age(client, seen_ago=20 * 60)
    assert client.get("/tai-khoan/phien/").status_code == 204
    assert int(time.time()) - client.session[SEEN_AT] < 5
    assert client_as(None).get("/tai-khoan/phien/")["Location"].startswith("/dang-nhap/")


def test_sign_in_restarts_both_clocks(client_as, users):
    client = client_as("xa1.bithu")
    _age(client, signed_in_ago=7 * 3600, seen_ago=600)
    client.force_login(users["xa1.bithu"])
    assert int(time.time()) - client.session[SIGNED_IN_AT] < 5


def test_api_requests_carry_no_session(api):
    client = api("xa1.bithu")
    assert client.get("/api/v1/orgs").status_code == 200
    assert settings.SESSION_COOKIE_NAME not in client.cookies
