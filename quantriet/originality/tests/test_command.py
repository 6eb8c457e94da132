import io
import json

import docx
import pytest
from django.core.management import CommandError, call_command

from . import corpus, quality


@pytest.fixture
def folder(tmp_path):
    """The labelled essays as files; one as .docx; a non-UTF-8 .txt and a .pdf that are not essays."""
    for name, text in corpus.texts().items():
        if name == "chep-2a-doi-ten.txt":
            document = docx.Document()
            for paragraph in text.split("\n"):
                document.add_paragraph(paragraph)
            document.save(tmp_path / "chep-2a-doi-ten.docx")
        else:
            (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "hong.txt").write_bytes("Bài thu hoạch".encode("utf-16"))
    (tmp_path / "ghi-chu.pdf").write_bytes(b"%PDF-1.4")
    return tmp_path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("originality_scan", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_output_is_exactly_the_pairs(folder):
    out, err = run(folder, "--json")
    document = json.loads(out)
    assert out == json.dumps(document, ensure_ascii=False) + "\n"
    assert list(document) == ["pairs"]
    rows = document["pairs"]
    assert all(list(row) == ["a", "b", "similarity"] and row["a"] < row["b"] for row in rows)
    kinds = json.loads(run(folder, "--json", "--kind")[0])["pairs"]
    assert [{k: row[k] for k in ("a", "b", "similarity")} for row in kinds] == rows
    assert {row["kind"] for row in kinds} == {"verbatim"}  # names and words changed, passages moved: no disguise
    assert all(row["similarity"] == round(row["similarity"], 3) and 0.5 <= row["similarity"] <= 1 for row in rows)
    assert [row["similarity"] for row in rows] == sorted((row["similarity"] for row in rows), reverse=True)
    expected = {tuple(sorted(n.replace("chep-2a-doi-ten.txt", "chep-2a-doi-ten.docx") for n in pair))
                for pair in corpus.near_duplicates()}  # fmt: skip
    assert {(row["a"], row["b"]) for row in rows} == expected
    assert "hong.txt" in err and "UTF-8" in err


def test_threshold_and_reference(folder):
    everything = {(row["a"], row["b"]) for row in json.loads(run(folder, "--json")[0])["pairs"]}
    high = json.loads(run(folder, "--json", "--threshold", "0.97")[0])["pairs"]
    assert all(row["similarity"] >= 0.97 for row in high)
    assert ("chep-2a-doi-ten.docx", "mau-2-internet.txt") in {(row["a"], row["b"]) for row in high}
    assert len(high) < len(everything)
    reference = corpus.FOLDER / corpus.REFERENCE_NAME
    out, _ = run(folder, "--reference", reference)
    assert "Bài chép nguyên văn bản gốc:" in out and "chep-nghi-quyet.txt" in out


def test_human_report_is_vietnamese(folder):
    out, _ = run(folder)
    assert "Đã đọc 21 bài" in out and "15 cặp bài gần trùng lặp" in out
    assert "Nhóm 1 (4 bài): chep-1a-doi-tu.txt, chep-1b-dao-doan.txt, chep-1c-rut-gon.txt, mau-1-internet.txt" in out
    assert "chep-1a-doi-tu.txt  ↔  mau-1-internet.txt  (chép nguyên văn)" in out


def test_disguised_copies_are_paired_with_the_kind_of_copying(tmp_path):
    """A paraphrase, a copy typed without diacritics and one spliced from three texts, among honest essays."""
    texts = quality.texts()
    copies = quality.copies()
    chosen = ["para-01-kl21-giao-vien.txt", "copy-unaccented-01.txt", "copy-spliced-01.txt"]
    names = set(chosen) | {source for name in chosen for source in copies[name]["sources"]}
    names |= set(sorted(quality.honest())[:4])
    for name in names:
        (tmp_path / name).write_text(texts[name], encoding="utf-8")
    reference = tmp_path.parent / f"{tmp_path.name}-chi-thi.txt"
    reference.write_text("\n".join(quality.references()), encoding="utf-8")
    rows = json.loads(run(tmp_path, "--json", "--kind", "--reference", reference)[0])["pairs"]
    found = {(row["a"], row["b"]): row["kind"] for row in rows}
    expected = {
        tuple(sorted((name, source))): copies[name]["kind"] for name in chosen for source in copies[name]["sources"]
    }
    assert found == expected
    out, _ = run(tmp_path, "--reference", reference)
    assert "(diễn đạt lại)" in out and "(gõ không dấu)" in out and "(ghép từ nhiều nguồn)" in out


def test_no_pairs_and_bad_arguments(tmp_path):
    (tmp_path / "a.txt").write_text(corpus.read("that-1-lan-long-duc.txt"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(corpus.read("that-5-hong-tram-y-te.txt"), encoding="utf-8")
    assert run(tmp_path, "--json")[0] == '{"pairs": []}\n'
    assert "Không có cặp bài nào gần trùng lặp." in run(tmp_path)[0]
    with pytest.raises(CommandError, match="Không tìm thấy thư mục"):
        run(tmp_path / "khong-co")
    with pytest.raises(CommandError, match="Ngưỡng"):
        run(tmp_path, "--threshold", "1.5")
    with pytest.raises(CommandError, match="văn bản gốc"):
        run(tmp_path, "--reference", tmp_path / "khong-co.txt")
