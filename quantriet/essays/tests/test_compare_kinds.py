"""Copies of library samples typed without diacritics or reworded: flagged, named, and shown sentence by sentence."""

import html
import re

from django.urls import reverse

from quantriet.core.text import fold
from quantriet.essays import originality, services
from quantriet.essays.models import EssayVerdict, SampleEssay, VerdictLabel
from quantriet.originality.tests import quality

MARK = r'<mark id="{side}-(\d+)"[^>]*>(.*?)</mark>'


def marks(page: str, side: str) -> dict[int, str]:
    """Number → the text of each mark on one side of the page (tags and line breaks out)."""
    found = re.findall(MARK.format(side=side), page, re.S)
    return {int(number): html.unescape(re.sub(r"<[^>]+>", "", text)) for number, text in found}


def words(text: str) -> set[str]:
    return set(fold(text).split())


def test_disguised_copies_of_samples_are_named_and_aligned_on_both_sides(plan, users, client_as):
    texts = quality.texts()
    for name in ("orig-01-thu-hoach-kl21-giao-vien.txt", "orig-04-thu-hoach-nq19-nong-dan.txt"):
        originality.sample_add(users["admin"], name, texts[name])
    writers = list(services.essay_writers(plan).filter(cell=users["dangvien1"].member.cell).order_by("id"))
    reworded = services.essay_submit(users["admin"], plan, writers[0], texts["para-01-kl21-giao-vien.txt"])
    bare = services.essay_submit(users["admin"], plan, writers[1], texts["copy-unaccented-01.txt"])
    board = client_as("xa1.bithu").get(reverse("essays:board", args=[plan.pk])).content.decode()
    for essay, sample_name, kind, text in [
        (reworded, "orig-01-thu-hoach-kl21-giao-vien.txt", "paraphrased", "diễn đạt lại"),
        (bare, "orig-04-thu-hoach-nq19-nong-dan.txt", "unaccented", "gõ không dấu"),
    ]:
        verdict = EssayVerdict.objects.get(essay=essay)
        sample = SampleEssay.objects.get(title=sample_name)
        assert verdict.label == VerdictLabel.COPIES_SAMPLE and verdict.sample == sample
        assert verdict.sample_kind == kind and verdict.copying_text == text
        url = reverse("essays:compare", args=[essay.pk, "mau", sample.pk])
        assert url in board and text in board
        page = client_as("xa1.bithu").get(url).content.decode()
        assert f"Cách chép: {text}" in page
        mine, theirs = marks(page, "a"), marks(page, "b")
        assert len(mine) >= 8 and mine.keys() == theirs.keys()
        for number, sentence in mine.items():
            assert sentence in essay.text and theirs[number] in sample.text
            shared = words(sentence) & words(theirs[number])
            assert len(shared) >= 0.3 * min(len(words(sentence)), len(words(theirs[number]))), (
                sentence,
                theirs[number],
            )
        if kind == "unaccented":
            assert all(fold(sentence) == sentence.lower() for sentence in mine.values())  # shown as typed
    mine = client_as("xa1.bithu").get(bare.get_absolute_url()).content.decode()
    assert "gõ không dấu" in mine


def test_the_api_names_the_kind_of_copying_to_the_member(plan, users, api):
    texts = quality.texts()
    originality.sample_add(users["admin"], "Mẫu", texts["orig-01-thu-hoach-kl21-giao-vien.txt"])
    member = users["dangvien1"].member
    services.essay_submit(users["dangvien1"], plan, member, texts["para-01-kl21-giao-vien.txt"])
    verdict = api("dangvien1").get("/api/v1/me/essays").json()["items"][0]["verdict"]
    assert verdict["copying"] == "paraphrased" and verdict["copying_text"] == "diễn đạt lại"
