"""The sample library is reachable: linked from the essays index and board for those who keep it, and
each sample opens in full for them (the same rule as the library, `can_manage_samples`)."""

import pytest
from django.urls import reverse

from quantriet.essays import services
from quantriet.essays.models import SampleEssay

from .common import ESSAY, essay_plan, member_in

KEEPERS = ["admin", "tinh.tuyengiao"]
LIBRARY = reverse("essays:samples")


@pytest.fixture
def plan(users):
    plan = essay_plan(users["admin"])
    services.essay_submit(users["admin"], plan, member_in("X001"), ESSAY)
    return plan


@pytest.fixture
def sample(users):
    text = "Phần mở đầu <b>in đậm</b> của bài mẫu.\n\n" + ESSAY
    return SampleEssay.objects.create(
        title="Bài thu hoạch mẫu <Chỉ thị 28>",
        text=text,
        source_url="https://example.vn/mau",
        uploaded_by=users["admin"],
    )


def _page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", KEEPERS)
def test_the_index_and_the_board_link_the_library_for_its_keepers(plan, client_as, persona):
    client = client_as(persona)
    assert f'href="{LIBRARY}"' in _page(client, "essays:index")
    assert f'href="{LIBRARY}"' in _page(client, "essays:board", plan.pk)


@pytest.mark.parametrize("persona", ["xa1.bithu", "xa2.bithu", "dangvien1", "outsider"])
def test_the_index_does_not_link_the_library_for_others(client_as, persona):
    assert LIBRARY not in _page(client_as(persona), "essays:index")


@pytest.mark.parametrize("persona", ["xa1.bithu", "xa2.bithu"])
def test_the_board_does_not_link_the_library_for_graders_who_may_not_keep_it(plan, client_as, persona):
    assert LIBRARY not in _page(client_as(persona), "essays:board", plan.pk)


def test_the_library_links_each_sample_to_its_full_text(sample, client_as):
    client = client_as("tinh.tuyengiao")
    detail = reverse("essays:sample", args=[sample.pk])
    library = _page(client, "essays:samples")
    assert f'href="{detail}"' in library and 'href="https://example.vn/mau"' in library
    page = _page(client, "essays:sample", sample.pk)
    assert "Bài thu hoạch mẫu &lt;Chỉ thị 28&gt;" in page
    assert "&lt;b&gt;in đậm&lt;/b&gt;" in page and "<b>in đậm</b>" not in page  # the text is escaped
    assert ESSAY[:80] in page and ESSAY[-60:] in page  # the whole text, not an excerpt
    assert 'href="https://example.vn/mau"' in page


def test_a_missing_sample_is_a_404_for_a_keeper(client_as):
    assert client_as("admin").get(reverse("essays:sample", args=[999_999])).status_code == 404
