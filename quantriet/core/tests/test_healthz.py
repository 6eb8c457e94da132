"""/healthz: the load balancer's probe answers without a session, a token or the database."""

from django.test import Client


def test_healthz_answers_anonymously_without_touching_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]  # a cached "ok" would hide a node that died
    assert "sessionid" not in response.cookies


def test_healthz_accepts_head_and_refuses_writes(db):
    assert Client().head("/healthz").status_code == 200
    assert Client().post("/healthz").status_code == 405
