from quantriet.originality.generic import generic_report

from . import corpus


def test_internet_samples_are_generic():
    for name in ["mau-1-internet.txt", "mau-3-internet-dai-hoi.txt", "chep-1a-doi-tu.txt"]:
        report = generic_report(corpus.read(name))
        assert report.generic, name
        assert report.names == [] and report.figures == []
    assert "bản thân" in generic_report(corpus.read("mau-1-internet.txt")).commitments


def test_honest_essays_show_their_local_evidence():
    for path in sorted(corpus.FOLDER.glob("that-*.txt")):
        assert not generic_report(path.read_text()).generic, path.name
    report = generic_report(corpus.read("that-5-hong-tram-y-te.txt"))
    assert {"Hương Phụ A", "Hương Phụ B"} <= set(report.names)
    assert {"34", "212", "80%"} <= set(report.figures)
    assert "cam kết" in report.commitments and report.score == 1.0


def test_the_author_line_and_the_directive_number_are_not_local_evidence():
    text = (
        "Họ và tên: Nguyễn Văn An, Chi bộ ấp Tân Thành.\n"
        "Qua học tập Chỉ thị số 28-CT/TU ngày 19/10/2022 của Ban Thường vụ Tỉnh ủy, tôi nhận thức sâu sắc hơn "
        "trách nhiệm nêu gương của người đảng viên và sẽ phấn đấu hoàn thành tốt mọi nhiệm vụ được giao "
        "trong thời gian tới."
    )
    report = generic_report(text)
    assert report.names == [] and report.figures == []
    assert report.generic and report.commitments == ["tôi", "phấn đấu"]
