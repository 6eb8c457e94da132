"""The sentence aligner on hand-written pairs: a sample and its disguised copies, honest essays apart."""

import itertools
import unicodedata

from quantriet.originality.align import (
    COPY_THRESHOLD,
    KIND_LABELS,
    SPLICED_PART,
    Boilerplate,
    align,
    boilerplate_of,
    classify,
    classify_sources,
    kind_label,
    prepare,
    signals,
)

from . import quality

SAMPLE = """BÀI THU HOẠCH
Học tập Nghị quyết Hội nghị Trung ương 8 khóa XIII về chiến lược bảo vệ Tổ quốc trong tình hình mới

Qua học tập nghị quyết, tôi nhận thức rõ bảo vệ Tổ quốc là nhiệm vụ trọng yếu, thường xuyên của cả hệ thống chính trị \
và toàn dân. Ở xã Hòa Lợi, lực lượng dân quân có 42 đồng chí nhưng việc huấn luyện còn dồn vào cuối năm, nhiều thanh \
niên đi làm ăn xa nên thiếu quân số. Bản thân tôi là chỉ huy phó ban chỉ huy quân sự xã, có lúc còn nể nang, chưa kiểm \
tra chặt việc trực sẵn sàng chiến đấu.

Năm tới tôi đăng ký chia lịch huấn luyện thành bốn đợt theo mùa vụ để anh em tham gia đầy đủ. Tôi sẽ phối hợp với Đoàn \
thanh niên lập danh sách thanh niên đi làm xa, liên lạc qua Zalo để nắm tình hình và vận động về tham gia huấn luyện. \
Tôi cũng đề nghị xã hỗ trợ kinh phí sửa chữa nhà trực dân quân trước mùa mưa bão.
"""

#: SAMPLE rewritten by hand: about half of the syllables replaced, sentences split and merged, the
#: self-criticism moved before the figures.
PARAPHRASE = """BÀI THU HOẠCH CÁ NHÂN
Về nghị quyết Trung ương 8 khóa XIII và chiến lược bảo vệ Tổ quốc

Sau đợt nghiên cứu nghị quyết, tôi hiểu sâu hơn rằng giữ gìn, bảo vệ Tổ quốc là công việc hệ trọng, diễn ra liên tục \
của toàn bộ hệ thống chính trị và mọi người dân. Là phó chỉ huy trưởng quân sự xã, nhiều khi tôi vẫn còn cả nể, chưa \
sâu sát trong kiểm tra công tác trực sẵn sàng chiến đấu. Dân quân xã Hòa Lợi hiện có 42 người. Thế nhưng lịch huấn \
luyện thường bị dồn về những tháng cuối năm, cộng thêm nhiều bạn trẻ đi làm ăn nơi khác nên quân số thường xuyên thiếu.

Trong năm tới, tôi đăng ký tách lịch huấn luyện ra làm bốn đợt, xếp theo thời vụ, để anh em đều có thể tham dự, đồng \
thời cùng Đoàn thanh niên lập danh sách các bạn đi làm xa, giữ liên lạc qua Zalo nhằm nắm tình hình và động viên các \
bạn về huấn luyện. Ngoài ra, tôi kiến nghị xã hỗ trợ kinh phí để tu sửa nhà trực dân quân trước khi mùa mưa bão đến.
"""

OTHER_SOURCE = """BẢN CAM KẾT TU DƯỠNG, RÈN LUYỆN
Năm 2024

Tôi là đảng viên chi bộ khóm 3, thị trấn Cầu Quan, làm nghề sửa xe máy. Tôi cam kết chấp hành nghiêm Điều lệ Đảng, \
đóng đảng phí đầy đủ và đúng hạn hằng tháng. Tôi sẽ tham gia sinh hoạt chi bộ đều đặn, vắng phải có lý do và báo trước \
với bí thư.

Ở khu phố, tôi nhận giữ vệ sinh đoạn đường trước nhà và vận động năm hộ lân cận phân loại rác tại nguồn. Tôi nhận kèm \
hai thanh niên thất nghiệp học nghề sửa xe miễn phí trong sáu tháng. Nếu vi phạm, tôi xin chịu hình thức kỷ luật của \
chi bộ.
"""

REFERENCE = """Chỉ thị số 05-CT/HU ngày 12/3/2024 của Ban Thường vụ Huyện ủy về tăng cường trách nhiệm nêu gương \
của cán bộ, đảng viên trong học tập và làm theo nghị quyết.
1. Mỗi cán bộ, đảng viên phải nêu cao tinh thần trách nhiệm, tiền phong, gương mẫu, nói đi đôi với làm, gắn học tập \
nghị quyết với thực hiện nhiệm vụ chính trị của địa phương, cơ quan, đơn vị.
2. Bí thư chi bộ trực tiếp quán triệt nghị quyết, liên hệ tình hình cụ thể của địa phương để đảng viên có cơ sở vận \
dụng vào thực tiễn; khắc phục tình trạng học tập hình thức, qua loa.
3. Sau mỗi đợt học tập, mỗi đảng viên xây dựng kế hoạch hành động cá nhân, có nội dung cụ thể, thời gian hoàn thành \
và được chi bộ kiểm tra, đánh giá hằng quý.
"""

#: Two honest essays on REFERENCE: the mandated outline, the same title, quotations and slogan.
HONEST_A = """BÀI THU HOẠCH
Học tập Chỉ thị số 05-CT/HU ngày 12/3/2024 của Ban Thường vụ Huyện ủy

I. NỘI DUNG TÂM ĐẮC
Chỉ thị yêu cầu mỗi cán bộ, đảng viên phải nêu cao tinh thần trách nhiệm, tiền phong, gương mẫu, nói đi đôi với làm, \
gắn học tập nghị quyết với thực hiện nhiệm vụ chính trị của địa phương, cơ quan, đơn vị. Tôi tâm đắc nhất với yêu cầu \
mỗi đảng viên có kế hoạch hành động cá nhân được chi bộ kiểm tra hằng quý.

II. LIÊN HỆ THỰC TIỄN
Tôi là y sĩ trạm y tế xã Tân Phú, phụ trách tiêm chủng cho trẻ em dưới năm tuổi. Năm qua tỷ lệ tiêm đủ mũi của xã chỉ \
đạt 86%, thấp nhất huyện, vì nhiều gia đình đi làm thuê ở Bình Dương mang theo con nhỏ. Có tháng tôi để sổ theo dõi \
tiêm chủng cập nhật chậm, không kịp báo cáo.

III. KẾ HOẠCH HÀNH ĐỘNG
Thực hiện phương châm "Đảng viên đi trước, làng nước theo sau", tôi cam kết nhắn tin nhắc lịch tiêm qua điện thoại cho \
từng gia đình trước ba ngày. Tôi sẽ phối hợp với cộng tác viên dân số đến từng nhà có trẻ chưa tiêm đủ mũi vào chiều \
thứ Sáu hằng tuần. Tôi phấn đấu đến cuối năm tỷ lệ tiêm đủ mũi của xã đạt trên 95%.
"""

HONEST_B = """BÀI THU HOẠCH
Học tập Chỉ thị số 05-CT/HU ngày 12/3/2024 của Ban Thường vụ Huyện ủy

I. NỘI DUNG TÂM ĐẮC
Chỉ thị nêu rõ bí thư chi bộ trực tiếp quán triệt nghị quyết, liên hệ tình hình cụ thể của địa phương để đảng viên có \
cơ sở vận dụng vào thực tiễn; khắc phục tình trạng học tập hình thức, qua loa. Chỉ thị cũng yêu cầu mỗi cán bộ, đảng \
viên phải nêu cao tinh thần trách nhiệm, tiền phong, gương mẫu, nói đi đôi với làm. Điều này rất đúng với chi bộ ấp \
tôi, nơi đảng viên nói đi đôi với làm thì dân mới tin.

II. LIÊN HỆ THỰC TIỄN
Tôi là bí thư chi bộ ấp Cây Gáo, chi bộ có 23 đảng viên, phần lớn làm ruộng và nuôi tôm. Mùa khô năm ngoái nước mặn \
vào sâu, hơn bốn mươi hộ mất trắng vụ lúa nhưng chi bộ chưa kịp bàn cách chuyển đổi cây trồng. Buổi học nghị quyết \
thường chỉ đọc tài liệu, ít thảo luận việc của ấp.

III. KẾ HOẠCH HÀNH ĐỘNG
Thực hiện phương châm "Đảng viên đi trước, làng nước theo sau", tôi cam kết tự chuyển hai công ruộng nhiễm mặn sang \
trồng dưa hấu để bà con xem kết quả. Mỗi buổi sinh hoạt chi bộ tôi dành ít nhất ba mươi phút bàn một việc cụ thể của \
ấp như nạo vét kênh hay giữ nước ngọt. Tôi vận động mười hộ đảng viên cùng làm mô hình tôm lúa trong năm nay.
"""


def unaccented(text: str) -> str:
    """TEXT typed without diacritics, as on a phone without a Vietnamese keyboard."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def sentence_of(text: str, span: tuple[int, int]) -> str:
    return text[span[0] : span[1]]


def pair_with(alignment, text: str, words: str, side: str = "a"):
    """The aligned pair whose passage on SIDE contains WORDS."""
    [found] = [pair for pair in alignment.pairs if words in sentence_of(text, getattr(pair, side))]
    return found


def test_a_paraphrase_is_aligned_sentence_by_sentence_despite_reordering_and_splits():
    alignment = align(PARAPHRASE, SAMPLE)
    assert alignment.copied and alignment.score >= 0.8, alignment
    # Reworded: "phó chỉ huy trưởng quân sự xã … cả nể" is "chỉ huy phó ban chỉ huy quân sự xã … nể nang".
    moved = pair_with(alignment, PARAPHRASE, "cả nể")
    assert "nể nang" in sentence_of(SAMPLE, moved.b)
    # Moved before the figures it followed: the order of A's pairs is not B's.
    order_in_b = [pair.b[0] for pair in alignment.pairs]
    assert order_in_b != sorted(order_in_b)
    # One sentence of the sample split in two ("… có 42 người. Thế nhưng …"), and two merged in one.
    split = pair_with(alignment, PARAPHRASE, "có 42 người")
    assert len(split.a_sentences) == 2 and "dồn vào cuối năm" in sentence_of(SAMPLE, split.b)
    merged = pair_with(alignment, PARAPHRASE, "qua Zalo")
    assert len(merged.b_sentences) == 2 and "bốn đợt" in sentence_of(SAMPLE, merged.b)
    assert classify(PARAPHRASE, SAMPLE, alignment) == "paraphrased"


def test_spans_point_into_both_original_texts():
    for copy in (PARAPHRASE, unaccented(SAMPLE), SAMPLE.replace(" ", "")):
        alignment = align(copy, SAMPLE)
        for pair in alignment.pairs:
            for text, (start, end) in ((copy, pair.a), (SAMPLE, pair.b)):
                assert 0 <= start < end <= len(text)
                assert text[start:end] == text[start:end].strip() and text[start].isalnum()
        spans = sorted(pair.a for pair in alignment.pairs)
        assert all(left[1] <= right[0] for left, right in zip(spans, spans[1:], strict=False))


def test_a_copy_typed_without_diacritics_is_found_and_shown_as_typed():
    copy = unaccented(SAMPLE)
    alignment = align(copy, SAMPLE)
    assert alignment.score == 1.0
    pair = pair_with(alignment, copy, "lien lac qua Zalo")
    assert "liên lạc qua Zalo" in sentence_of(SAMPLE, pair.b)
    assert classify(copy, SAMPLE, alignment) == "unaccented"
    assert classify(SAMPLE, copy, align(SAMPLE, copy)) == "unaccented"  # whichever side is bare
    found = signals(copy, SAMPLE, alignment)
    assert found.diacritics[0] == 0 and found.diacritics[1] > 0.2 and found.reuse > 0.95


def test_a_copy_partly_typed_without_diacritics_is_unaccented():
    paragraphs = SAMPLE.split("\n\n")
    copy = "\n\n".join([paragraphs[0], unaccented(paragraphs[1]), paragraphs[2]])
    assert classify(copy, SAMPLE, align(copy, SAMPLE)) == "unaccented"


def test_a_copy_that_lost_its_spaces_is_glued():
    copy = SAMPLE.replace(" ", "")  # "Quahọctậpnghịquyết,tôinhậnthứcrõ…"
    alignment = align(copy, SAMPLE)
    assert alignment.score == 1.0
    assert len(prepare(copy).spans) == len(prepare(SAMPLE).spans)  # "….Ở xã" still ends a sentence
    assert classify(copy, SAMPLE, alignment) == "glued"
    both = unaccented(SAMPLE).replace(" ", "")
    assert classify(both, SAMPLE, align(both, SAMPLE)) == "unaccented_glued"
    reworded = unaccented(PARAPHRASE)
    assert classify(reworded, SAMPLE, align(reworded, SAMPLE)) == "paraphrased_unaccented"


def test_a_verbatim_copy_with_names_swapped():
    copy = SAMPLE.replace("Hòa Lợi", "Long Sơn").replace("42", "38")
    alignment = align(copy, SAMPLE)
    assert alignment.score == 1.0 and classify(copy, SAMPLE, alignment) == "verbatim"


def test_a_text_spliced_from_two_sources_says_which_passage_came_from_which():
    head = SAMPLE.split("\n\n")
    tail = OTHER_SOURCE.split("\n\n")
    copy = "\n\n".join([head[0], head[1], tail[2]])
    sources = {"sample": SAMPLE, "other": OTHER_SOURCE, "honest": HONEST_A}
    found = classify_sources(copy, sources)
    assert found.kind == "spliced"
    assert found.shares["sample"] > 0.5 and found.shares["other"] > 0.2 and found.shares["honest"] == 0
    second_part = copy.index(tail[2])
    assert {passage.source for passage in found.passages} == {"sample", "other"}
    for passage in found.passages:
        assert (passage.source == "other") == (passage.text[0] >= second_part)
        assert sentence_of(copy, passage.text) == sentence_of(sources[passage.source], passage.source_span)
    # One source only: the kind of copying of that source.
    assert classify_sources(PARAPHRASE, {"sample": SAMPLE, "other": OTHER_SOURCE}).kind == "paraphrased"
    assert classify_sources(HONEST_A, {"sample": SAMPLE, "other": OTHER_SOURCE}).kind == ""


def test_copies_of_one_source_are_not_a_splice_of_it():
    """Seen from a sample: a member copied it whole, another paraphrased it, a third took its first half."""
    copy = SAMPLE.replace("Hòa Lợi", "Long Sơn")
    half = "\n\n".join([*SAMPLE.split("\n\n")[:2], OTHER_SOURCE.split("\n\n")[2]])
    found = classify_sources(SAMPLE, {"copy": copy, "paraphrase": PARAPHRASE, "half": half})
    assert found.kind == "verbatim" and found.copied == 0
    assert found.found["copy"].kind == "verbatim" and found.found["copy"].similarity == 1.0
    assert found.found["paraphrase"].kind == "paraphrased"
    # The text spliced from the sample and another one is spliced, whatever else copies the sample.
    spliced = classify_sources(half, {"sample": SAMPLE, "copy": copy, "other": OTHER_SOURCE})
    assert spliced.kind == "spliced" and spliced.copied > 0.9
    kinds = {name: found.kind for name, found in spliced.found.items()}
    assert kinds == dict.fromkeys(["sample", "copy", "other"], "spliced")
    assert all(found.similarity == spliced.copied for found in spliced.found.values())


def test_an_alignment_seen_from_the_other_side():
    alignment = align(PARAPHRASE, SAMPLE)
    seen = alignment.reversed()
    assert (seen.score_a, seen.score_b, seen.weight) == (alignment.score_b, alignment.score_a, alignment.weight)
    assert sorted((p.b, p.a) for p in seen.pairs) == sorted((p.a, p.b) for p in alignment.pairs)
    assert [p.a for p in seen.pairs] == sorted(p.a for p in seen.pairs)
    assert all(SAMPLE[p.a[0] : p.a[1]] and PARAPHRASE[p.b[0] : p.b[1]] for p in seen.pairs)


def test_honest_essays_sharing_outline_quotations_and_slogan_are_not_aligned():
    assert align(HONEST_A, HONEST_B).copied  # the title, the outline and the quotation, without the reference
    with_reference = align(HONEST_A, HONEST_B, boilerplate=[REFERENCE])
    assert not with_reference.copied and with_reference.score < COPY_THRESHOLD / 2
    # Without the reference, the quotation of the directive both essays make is aligned.
    quoted = "tiền phong, gương mẫu, nói đi đôi với làm"
    assert any(quoted in sentence_of(HONEST_A, pair.a) for pair in align(HONEST_A, HONEST_B).pairs)
    assert not any(quoted in sentence_of(HONEST_A, pair.a) for pair in with_reference.pairs)
    assert not align(HONEST_A, SAMPLE).copied and not align(HONEST_B, OTHER_SOURCE).copied


#: Two honest essays quoting the same three items of REFERENCE loosely, in their own words.
LOOSE_A = """BÀI THU HOẠCH

Theo chỉ thị, cán bộ và đảng viên cần đề cao trách nhiệm, đi đầu, làm gương, lời nói đi cùng việc làm, gắn việc học \
nghị quyết với nhiệm vụ chính trị ở địa phương, đơn vị. Bí thư chi bộ phải tự mình quán triệt nghị quyết và liên hệ \
với tình hình cụ thể ở địa phương để đảng viên vận dụng vào thực tế, tránh học hình thức, qua loa. Mỗi đảng viên sau \
đợt học phải làm kế hoạch hành động cá nhân với nội dung cụ thể, thời hạn hoàn thành, được chi bộ kiểm tra hằng quý.

Tôi là y sĩ trạm y tế xã Tân Phú, phụ trách tiêm chủng cho trẻ em dưới năm tuổi. Năm qua tỷ lệ tiêm đủ mũi của xã chỉ \
đạt 86%, thấp nhất huyện, vì nhiều gia đình đi làm thuê ở Bình Dương mang theo con nhỏ. Tôi sẽ phối hợp với cộng tác \
viên dân số đến từng nhà có trẻ chưa tiêm đủ mũi vào chiều thứ Sáu hằng tuần.
"""

LOOSE_B = """BÀI THU HOẠCH

Chỉ thị đòi hỏi cán bộ, đảng viên đề cao trách nhiệm, làm gương, đi đầu, nói đi đôi với làm, gắn học nghị quyết với \
nhiệm vụ chính trị của địa phương, đơn vị mình. Bí thư chi bộ tự mình quán triệt nghị quyết, liên hệ tình hình cụ thể \
của địa phương cho đảng viên vận dụng vào thực tế, không học hình thức, qua loa. Sau mỗi đợt học, đảng viên làm kế \
hoạch hành động cá nhân có nội dung cụ thể, có thời hạn hoàn thành và được chi bộ kiểm tra hằng quý.

Tôi là bí thư chi bộ ấp Cây Gáo, chi bộ có 23 đảng viên, phần lớn làm ruộng và nuôi tôm. Mùa khô năm ngoái nước mặn \
vào sâu, hơn bốn mươi hộ mất trắng vụ lúa. Tôi vận động mười hộ đảng viên cùng làm mô hình tôm lúa trong năm nay.
"""


def test_sentences_quoting_the_reference_loosely_are_boilerplate_too():
    assert align(LOOSE_A, LOOSE_B).copied  # the same three items of the directive, in other words
    windows_only = Boilerplate(boilerplate_of([REFERENCE]).windows)
    assert align(LOOSE_A, LOOSE_B, boilerplate=windows_only).copied  # few windows of 20 letters are quoted exactly
    assert align(LOOSE_A, LOOSE_B, boilerplate=[REFERENCE]).score == 0
    loose = prepare(LOOSE_A, boilerplate_of([REFERENCE]))
    [sentence] = [n for n, (s, e) in enumerate(loose.spans) if LOOSE_A[s:e].startswith("Bí thư chi bộ phải")]
    assert loose.counted[sentence] == 0 and prepare(LOOSE_A).counted[sentence] > 50


def test_the_reference_is_masked_also_without_diacritics_or_spaces():
    bare = unaccented(HONEST_A)
    glued = HONEST_B.replace(" ", "")
    assert align(bare, glued).copied  # the title, the outline and the quotation
    assert not align(bare, glued, boilerplate=[REFERENCE]).copied
    reference = boilerplate_of([REFERENCE])
    quoting = prepare(bare, reference)
    [sentence] = [n for n, (s, e) in enumerate(quoting.spans) if "tien phong, guong mau" in bare[s:e]]
    assert quoting.weights[sentence] < prepare(bare).weights[sentence] / 2


def test_passages_frequent_in_a_corpus_are_boilerplate():
    slogan = 'Thực hiện phương châm "Đảng viên đi trước, làng nước theo sau"'
    corpus = [HONEST_A, HONEST_B, f"{slogan}, tôi nhận giúp hai hộ nghèo sửa nhà.", SAMPLE]
    common = boilerplate_of([REFERENCE], corpus=corpus, min_texts=3)
    assert common.windows.size > boilerplate_of([REFERENCE]).windows.size
    text = prepare(HONEST_A, common)
    [sentence] = [n for n, (s, e) in enumerate(text.spans) if "làng nước theo sau" in HONEST_A[s:e]]
    assert text.weights[sentence] < prepare(HONEST_A, boilerplate_of([REFERENCE])).weights[sentence]


def test_sentences_are_cut_at_punctuation_line_breaks_and_length():
    text = (
        "TIÊU ĐỀ\nCâu một.Câu hai dính liền vào câu trước đó nhé! Câu ba\nbị ngắt dòng giữa chừng như khi "
        "dán từ tệp PDF.\n- Gạch đầu dòng thứ nhất\nRất dài, " + "rất dài, " * 60 + "hết."
    )
    spans = prepare(text).spans
    pieces = [text[s:e] for s, e in spans]
    assert pieces[0] == "TIÊU ĐỀ"
    assert "Câu một.Câu hai dính liền vào câu trước đó nhé!" in pieces  # "Câu một." is short: joined
    assert "Câu ba\nbị ngắt dòng giữa chừng như khi dán từ tệp PDF." in pieces
    assert "- Gạch đầu dòng thứ nhất" in pieces
    assert len(pieces) >= 6 and all(len(piece) < 400 for piece in pieces)  # the long one is cut


def test_empty_and_unrelated_texts():
    assert align("", SAMPLE).pairs == [] and align("", "").score == 0.0
    assert align("Một câu ngắn.", SAMPLE).score == 0.0
    assert not align(SAMPLE, OTHER_SOURCE).copied
    assert set(KIND_LABELS) == {"verbatim", "paraphrased", "unaccented", "glued", "spliced"}


def test_kinds_are_named_in_vietnamese():
    assert kind_label("paraphrased_unaccented") == "diễn đạt lại, gõ không dấu"
    assert kind_label("verbatim") == "chép nguyên văn" and kind_label("") == ""


# ---------------------------------------------------------------- the quality corpus


def test_recall_precision_and_kinds_on_the_quality_corpus():
    """Every copy against every original and honest essay, and every two of those: found, and its kind named.

    Measured when written: recall 1.000 and precision 1.000 for every kind (91 true pairs of 5,775
    candidate pairs), no honest pair, every kind named right; paraphrases cover at least 0.68 of
    their side, honest pairs at most 0.17.
    """
    texts, truth = quality.texts(), quality.true_pairs()
    reference = boilerplate_of(quality.references())
    bases = sorted([*quality.originals(), *quality.honest()])
    candidates = [(copy, base) for copy in sorted(quality.copies()) for base in bases]
    candidates += list(itertools.combinations(bases, 2))
    found, misnamed = [], []
    for a, b in candidates:
        alignment = align(texts[a], texts[b], boilerplate=reference)
        if alignment.copied:
            found.append((a, b))
            kind = truth.get(tuple(sorted((a, b))))
            if kind not in (None, "spliced") and classify(texts[a], texts[b], alignment) != kind:
                misnamed.append((a, b, kind))
    result = quality.measure(found)
    short = [kind for kind in (*quality.KINDS, "overall") if min(result[kind]["recall"], result[kind]["precision"]) < 1]
    assert not short and result["honest_false_pairs"] == 0, "\n" + quality.table(result)
    assert not misnamed


def test_spliced_copies_name_their_sources_on_the_quality_corpus():
    texts, reference = quality.texts(), boilerplate_of(quality.references())
    bases = {name: texts[name] for name in [*quality.originals(), *quality.honest()]}
    spliced = {name: entry for name, entry in quality.copies().items() if entry["kind"] == "spliced"}
    assert len(spliced) >= 8
    for name, entry in spliced.items():
        found = classify_sources(texts[name], bases, boilerplate=reference)
        assert found.kind == "spliced", name
        given = {source for source, share in found.shares.items() if share >= SPLICED_PART}
        assert given == set(entry["sources"]), name
