"""Action programmes at province scale: the concreteness check of one programme against all the others, the tree page.

    python -m bench.programmes [--scale 1] [--database sqlite|postgres] [--programmes 5000]
        [--tasks 20] [--checks 200] [--all-checks 3] [--tree-requests 100] [--profile]

A fresh database (SQLite file, or PostgreSQL database `bench_programmes` on the server of
DATABASE_URL, default the local one) gets the demo province (`seed_demo --scale 1`: about 150,000
members, 130 committees and 4,900 cells, the plan of Chỉ thị 28-CT/TU). Then `--programmes`
programmes of `--tasks` tasks each for that plan — the province's, every committee's, and cells'
until the count is reached — are written in bulk (`bulk_create`, no service), in the order units
write them (the province first, then the committees, then the cells), each linked to the
programme above. What each says is composed from pools of sentences with the unit's own places,
hamlets, people and figures (as the demo's essays are), and of three kinds:

- concrete: its own situation and tasks, led by the unit, mostly complete (lead, deadline,
  product, indicator with its target);
- pasted (PASTED_SHARE of the cells, COMMITTEE_PASTED of the committees): another unit's
  programme with the name at the top changed — most often the level above's, some an earlier
  sibling cell's, some an earlier cell's of another commune (only the originality index finds those);
- half-copied (HALF_SHARE): half of its tasks taken from the level above's, lightly reworded,
  the rest its own (borderline by design: reported, not scored).

Their originality index is built in bulk as a plan rescan builds the essays' (`originality.bulk`
sketches, `DatabaseStorage.put_many` under doc_type "programme" and `plans.check.programme_scope`),
and the stored check fields and workflow states are filled with plausible values (the tree page
reads them; only the sampled programmes are really checked).

Figures:
- `check_p50_ms`, `check_p95_ms`, `check_max_ms`: `plans.check.programme_check` (index, candidates,
  alignment with the programmes above and those proposed, stored on the row) of `--checks` sampled
  programmes (CELL_SAMPLE_SHARE cells, the rest committees), after WARMUP untimed ones;
  `check_queries` the median number of queries of one check, `check_compared` the mean number of
  programmes compared with; `pasted_recall` the share of the sampled pasted programmes flagged
  `sao_chep` (`pasted_recall_by_source`: from the level above, a sibling, another commune),
  `concrete_false_flags` how many of the `concrete_sampled` concrete ones were flagged `sao_chep`,
  `half_flagged_share` the share of the half-copied ones flagged.
- the alternative, `check_all_p50_ms`: the same check without candidate proposal, aligned with
  every programme it may be compared with (those above, and every earlier one of another unit not
  below it), all read in two queries, for `--all-checks` of the sampled cells;
  `check_all_same_flags` how many of them got the same flags both ways.
- `tree_p50_ms`, `tree_p95_ms` (and per level: `tree_root_p95_ms`, `tree_commune_p95_ms`) over
  `--tree-requests` requests, half for the province, half for communes: the page `plans:tree`
  (`GET …?org=`) through Django's test client logged in as `tinh.tuyengiao` (the province's
  propaganda staff) when the URL exists, else the selector `plans.selectors.programme_tree(plan,
  org)` when it exists; `tree_target` says which ("page", "selector", or null when neither).
- `seed_s` (demo province, programmes, index), `index_s` (the bulk index alone).

`--profile` cProfiles the timed checks and prints the top functions on stderr. Targets (issue 14):
check p95 and tree p95 at most 200 ms on both databases.
"""

import argparse
import cProfile
import datetime
import io
import pstats
import random
import re
import statistics
import sys
from contextlib import redirect_stdout
from decimal import Decimal

from bench import _fidelity as fid
from bench._common import database_label, emit, fresh_database, log, percentile, setup_django, timer

SEED = 1428
PASTED_SHARE = 0.2
HALF_SHARE = 0.15
COMMITTEE_PASTED = 0.15
#: Where a pasted cell's programme comes from: the level above's, an earlier sibling's, another commune's cell.
PASTE_SOURCES = (("parent", 0.7), ("sibling", 0.15), ("other", 0.15))
CELL_SAMPLE_SHARE = 0.85
WARMUP = 3
TREE_USER = "tinh.tuyengiao"

# ---------------------------------------------------------------- what programmes say

_CHOICE = re.compile(r"\[([^\[\]]*)\]")


def expand(rng: random.Random, template: str, **values) -> str:
    """TEMPLATE with each [a|b|c] replaced by one alternative, then {name} filled from VALUES."""
    return _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), template).format(**values)


OPENING = (
    "[Chương trình hành động|Kế hoạch thực hiện] của {unit} [thực hiện|triển khai thực hiện] Chỉ thị số "
    "28-CT/TU ngày 19/10/2022 của Ban Thường vụ Tỉnh ủy về [nâng cao chất lượng|đổi mới] việc học tập, quán "
    "triệt chỉ thị, nghị quyết của Đảng."
)
SITUATIONS = (
    "{place} có {n1} hộ, {n2} đảng viên sinh hoạt tại {cells} [chi bộ|tổ đảng]; [năm qua|năm {year}] tỷ lệ đảng "
    "viên dự học tập nghị quyết [chỉ đạt|mới đạt|đạt] {p1}%.",
    "[Vùng|Diện tích] trồng lúa của {place} [bị xâm nhập mặn|bị hạn mặn] {n3} ngày trong mùa khô năm {year}, "
    "{n4} hộ ở {hamlet} phải [chuyển sang trồng màu|chuyển đổi cây trồng].",
    "[Mới có|Chỉ có] {p2}% hồ sơ thủ tục hành chính của {place} nộp trực tuyến; {hamlet} và {hamlet2} chưa có "
    "sóng 4G ổn định.",
    "[Đồng bào Khmer|Bà con dân tộc Khmer] chiếm {p3}% dân số {place}, [nhiều người|không ít người] chưa đọc "
    "thạo tiếng Việt nên tài liệu cần [dịch sang tiếng Khmer|trình bày bằng hình ảnh].",
    "{n5} lao động trẻ của {place} đi làm công nhân ở Bình Dương, [sinh hoạt đảng|học tập nghị quyết] của "
    "[đảng viên đi làm xa|số đảng viên này] [còn gián đoạn|chưa được theo dõi].",
    "Năm {year} {place} [xảy ra|có] {n6} vụ [trộm cắp tài sản|lừa đảo qua mạng], {n7} hộ ở {hamlet} bị "
    "[mất máy bơm|lừa chuyển tiền].",
    "Tỷ lệ hộ nghèo của {place} còn {p4}%, [tập trung ở|phần lớn ở] {hamlet}; {n8} hộ [chưa có nhà vệ sinh hợp "
    "vệ sinh|còn ở nhà tạm].",
    "Hợp tác xã {coop} [mới liên kết tiêu thụ|chỉ bao tiêu được] {p5}% sản lượng [bưởi da xanh|xoài cát Hòa "
    "Lộc|dừa sáp|lúa chất lượng cao] của {place}.",
    "[Lần học trước|Đợt học tập năm {year}] ở {place} còn hình thức: {n9} đảng viên [vắng không lý do|ký tên "
    "rồi về sớm], {p6}% bài thu hoạch [chép lại của nhau|chép tài liệu].",
    "Trường học trên địa bàn {place} có {n10} học sinh bỏ học giữa chừng trong năm học {year}-{year1}, [chủ yếu|"
    "phần nhiều] ở {hamlet}.",
)
CLOSING = (
    "[Chi ủy|Cấp ủy|Ban Thường vụ] xác định [nhiệm vụ trọng tâm|việc trước hết] là {focus}, [giao|phân công] "
    "[từng đồng chí cấp ủy viên|mỗi chi ủy viên] phụ trách [một nhiệm vụ|một địa bàn] và báo cáo [hằng quý|mỗi "
    "tháng]."
)
FOCUS = (
    "đưa dịch vụ công trực tuyến đến tận {hamlet}",
    "chuyển đổi cây trồng thích ứng với hạn mặn",
    "giảm hộ nghèo ở {hamlet}",
    "giữ nếp sinh hoạt của đảng viên đi làm xa",
    "chấm dứt việc học tập nghị quyết hình thức",
    "bảo đảm an ninh trật tự ở {hamlet}",
)

#: Task clauses by domain: (heads: what is done, means: how, aims: what for, product, indicator, unit, target range).
#: A task is one head, one means and one aim of a domain, with the unit's places, people and figures.
DOMAINS = (
    (
        (
            "Mở lớp hướng dẫn người dân dùng ứng dụng VNeID",
            "Lập tổ công nghệ số cộng đồng",
            "Phủ sóng Wi-Fi miễn phí ở nhà văn hóa",
            "Số hóa sổ hộ tịch cũ của văn phòng ấp",
            "Đưa bản đồ số các điểm giao dịch lên trang thông tin",
            "Tập huấn thanh toán không dùng tiền mặt cho tiểu thương chợ",
        ),
        (
            "đoàn viên thanh niên đến từng nhà cầm tay chỉ việc",
            "mượn phòng máy của trường tiểu học vào buổi tối",
            "nhờ bưu điện văn hóa xã làm điểm hỗ trợ",
            "kết hợp buổi họp tổ nhân dân tự quản cuối tháng",
            "phát tờ gấp có mã QR dán ở cửa từng hộ",
            "chia theo cụm mười hộ liền kề",
        ),
        (
            "để người già khỏi phải lên xã nộp hồ sơ",
            "cho bà con bán hàng nhận tiền qua điện thoại",
            "nâng số hồ sơ nộp qua mạng",
            "rút ngắn thời gian chờ ở bộ phận một cửa",
            "để thanh niên đi làm xa vẫn làm được giấy tờ",
            "giảm giấy tờ giấy của văn phòng ấp",
        ),
        "Danh sách người được hướng dẫn",
        "Số người dân được hỗ trợ",
        "người",
        (50, 900),
    ),
    (
        (
            "Chuyển ruộng lúa nhiễm mặn sang trồng dưa hấu và bắp",
            "Nạo vét kênh nội đồng trước mùa khô",
            "Đắp đê bao ngăn mặn dọc sông",
            "Trữ nước ngọt bằng túi nhựa và ao đào cho vườn cây",
            "Theo dõi độ mặn trên kênh hằng ngày",
            "Thử nghiệm giống lúa chịu mặn trên ruộng mẫu",
        ),
        (
            "Hội Nông dân chọn hộ làm trước để bà con xem",
            "huy động nhân dân góp ngày công",
            "xin giống hỗ trợ của Trạm khuyến nông",
            "báo độ mặn qua loa phát thanh mỗi sáng",
            "cán bộ khuyến nông xuống đồng hướng dẫn kỹ thuật",
            "chia nhóm hộ có ruộng liền kề cùng làm",
        ),
        (
            "giữ thu nhập của nhà nông qua mùa hạn",
            "không để vườn cây ăn trái chết vì mặn",
            "có nước tưới suốt mùa khô",
            "giảm diện tích bỏ hoang sau vụ lúa",
            "tránh mất trắng như năm trước",
            "để các hộ ven sông yên tâm sản xuất",
        ),
        "Biên bản nghiệm thu, danh sách hộ",
        "Diện tích được bảo vệ",
        "ha",
        (5, 120),
    ),
    (
        (
            "Ký hợp đồng bao tiêu trái cây với hợp tác xã",
            "Đăng ký mã số vùng trồng cho vườn bưởi",
            "Làm nhãn hiệu tập thể cho sản phẩm của ấp",
            "Dựng điểm thu mua nông sản cạnh bến đò",
            "Đưa sản phẩm OCOP của ấp lên sàn thương mại điện tử",
            "Lập tổ hợp tác nuôi lươn không bùn",
        ),
        (
            "mời thương lái và doanh nghiệp về tận vườn",
            "chi bộ giao một đảng viên theo dõi từng hợp đồng",
            "vay vốn Ngân hàng Chính sách xã hội",
            "nhờ Hội Liên hiệp Phụ nữ giới thiệu khách mua",
            "học mô hình của xã bạn đã làm thành công",
            "chụp ảnh, quay video sản phẩm đăng lên mạng",
        ),
        (
            "để bà con không bị ép giá lúc thu hoạch rộ",
            "tăng giá bán mỗi ký vài nghìn đồng",
            "có đầu ra ổn định cho hộ xã viên",
            "giữ chân lao động trẻ ở lại quê",
            "nâng thu nhập bình quân của hộ",
            "bán được hàng quanh năm chứ không chỉ dịp Tết",
        ),
        "Hợp đồng đã ký",
        "Số hộ có đầu ra ổn định",
        "hộ",
        (10, 150),
    ),
    (
        (
            "Thăm từng hộ nghèo và cận nghèo",
            "Xây nhà đại đoàn kết cho hộ khó khăn",
            "Trao bò giống sinh sản cho hộ thoát nghèo",
            "Dạy nghề may gia công cho phụ nữ rảnh rỗi",
            "Giới thiệu việc làm ở khu công nghiệp cho thanh niên",
            "Sửa nhà tạm bợ trước mùa mưa bão",
        ),
        (
            "mỗi đảng viên nhận giúp đỡ một hộ",
            "kêu gọi con em đi làm ăn xa góp tiền",
            "lập sổ ghi nguyên nhân nghèo của từng hộ",
            "nhờ doanh nghiệp trong tỉnh nhận người học việc",
            "Mặt trận Tổ quốc vận động mạnh thường quân",
            "họp dân bình xét công khai danh sách",
        ),
        (
            "để không hộ nào phải ở nhà dột nát",
            "giảm hộ nghèo ít nhất một phần ba",
            "cho hộ khó khăn có sinh kế lâu dài",
            "không để hộ thoát nghèo rồi nghèo lại",
            "để phụ nữ có thu nhập mà vẫn chăm con",
            "cho thanh niên có việc ổn định gần nhà",
        ),
        "Sổ theo dõi hộ nghèo",
        "Số hộ thoát nghèo",
        "hộ",
        (2, 40),
    ),
    (
        (
            "Tuyên truyền phòng chống lừa đảo qua điện thoại",
            "Duy trì tổ tuần tra ban đêm",
            "Lắp camera an ninh ở các ngã ba, bến đò",
            "Xóa điểm tụ tập đánh bạc gần chợ",
            "Hòa giải tranh chấp đất đai ở cơ sở",
            "Quản lý người từ nơi khác đến ở trọ",
        ),
        (
            "công an viên đọc tình huống thật trên loa phát thanh",
            "mỗi tổ nhân dân tự quản cử hai người trực",
            "các hộ kinh doanh góp tiền mua thiết bị",
            "chủ nhà trọ khai báo tạm trú qua ứng dụng",
            "tổ hòa giải mời người có uy tín trong dòng họ",
            "chi đoàn thanh niên tham gia tuần tra",
        ),
        (
            "để không còn người già bị lừa chuyển tiền",
            "không để xảy ra trộm máy bơm, trộm bò",
            "giữ bình yên cho xóm ấp",
            "giải quyết mâu thuẫn ngay từ khi mới phát sinh",
            "kéo giảm số vụ việc so với năm trước",
            "để người dân yên tâm làm ăn",
        ),
        "Báo cáo tình hình an ninh trật tự",
        "Số vụ việc giảm so với năm trước",
        "vụ",
        (1, 10),
    ),
    (
        (
            "Phụ đạo miễn phí cho học sinh học yếu",
            "Đưa học sinh bỏ học trở lại lớp",
            "Trao học bổng cho học sinh nghèo hiếu học",
            "Mở tủ sách dùng chung ở nhà văn hóa",
            "Dạy tiếng Việt cho trẻ em đồng bào Khmer trước khi vào lớp một",
            "Dạy bơi cho trẻ em vùng sông nước trong dịp hè",
        ),
        (
            "giáo viên là đảng viên nhận kèm từng em",
            "Ban đại diện cha mẹ học sinh đến tận nhà vận động",
            "nhà chùa cho mượn sala làm lớp học",
            "xin sách cũ của các trường trong tỉnh",
            "đoàn viên sinh viên về quê dạy vào dịp hè",
            "khuyến học của dòng họ đóng góp kinh phí",
        ),
        (
            "không để em nào bỏ học vì nhà nghèo",
            "nâng tỷ lệ học sinh lên lớp",
            "để trẻ không bị đuối nước",
            "cho các em theo kịp bạn cùng lớp",
            "khơi dậy phong trào đọc sách trong thiếu nhi",
            "giữ các em ở lại trường đến hết cấp hai",
        ),
        "Danh sách học sinh, sổ theo dõi",
        "Số học sinh được giúp đỡ",
        "học sinh",
        (5, 80),
    ),
    (
        (
            "Tiêm chủng bổ sung cho trẻ chưa đủ mũi",
            "Khám sức khỏe định kỳ cho người cao tuổi",
            "Theo dõi người bệnh tăng huyết áp tại nhà",
            "Phun thuốc diệt lăng quăng phòng sốt xuất huyết",
            "Vận động người dân mua bảo hiểm y tế",
            "Hướng dẫn chăm sóc bà mẹ mang thai",
        ),
        (
            "cộng tác viên y tế gọi điện nhắc từng hộ",
            "trạm y tế mở thêm buổi khám sáng Chủ nhật",
            "chia lịch theo từng cụm dân cư",
            "Chi hội Phụ nữ lồng vào buổi sinh hoạt hội",
            "mời bác sĩ bệnh viện tỉnh về khám lưu động",
            "hỗ trợ một phần tiền mua thẻ cho hộ cận nghèo",
        ),
        (
            "không để dịch bệnh bùng phát trong mùa mưa",
            "phát hiện sớm bệnh mạn tính",
            "giữ tỷ lệ trẻ tiêm đủ mũi",
            "để người già được chăm sóc gần nhà",
            "giảm chi phí khám chữa bệnh của các hộ",
            "không còn bà mẹ sinh con tại nhà",
        ),
        "Sổ theo dõi của trạm y tế",
        "Tỷ lệ người dân được chăm sóc",
        "%",
        (80, 100),
    ),
    (
        (
            "Thắp sáng đường quê bằng đèn năng lượng mặt trời",
            "Trồng cây xanh dọc bờ kênh",
            "Làm hố rác ở từng hộ gia đình",
            "Bê tông hóa đường liên ấp",
            "Thu gom bao bì thuốc bảo vệ thực vật ngoài đồng",
            "Xây cầu bê tông thay cầu khỉ",
        ),
        (
            "nhân dân góp tiền và hiến đất làm đường",
            "mỗi đảng viên nhận chăm sóc một đoạn",
            "Chi đoàn ra quân ngày Chủ nhật xanh",
            "đặt thùng chứa ở đầu mỗi bờ ruộng",
            "xã hội hóa từ các doanh nghiệp đóng trên địa bàn",
            "Chi hội Cựu chiến binh giám sát thi công",
        ),
        (
            "cho học sinh đi học an toàn mùa nước nổi",
            "giữ môi trường sạch cho xóm ấp",
            "để xe cứu thương vào được tận nhà dân",
            "đạt tiêu chí nông thôn mới nâng cao",
            "không còn rác thả trôi trên sông",
            "làm đẹp cảnh quan đường vào ấp",
        ),
        "Biên bản nghiệm thu công trình",
        "Khối lượng hoàn thành",
        "công trình",
        (1, 8),
    ),
    (
        (
            "Học tập Chỉ thị 28-CT/TU có liên hệ tình hình của đơn vị",
            "Học bù cho đảng viên vắng mặt",
            "Duyệt kế hoạch hành động cá nhân của đảng viên",
            "Chấm và trả lại bài thu hoạch chép của nhau",
            "Mời dân dự phần đối thoại trong buổi sinh hoạt chi bộ",
            "Kết nạp quần chúng ưu tú vào Đảng",
        ),
        (
            "đồng chí bí thư trực tiếp truyền đạt, không đọc lại văn bản",
            "đảng viên đi làm xa học qua điểm cầu trực tuyến",
            "chi ủy chia đảng viên theo tổ, mỗi tổ một chi ủy viên phụ trách",
            "công khai kết quả tại kỳ sinh hoạt cuối quý",
            "gửi tóm tắt bằng sơ đồ qua nhóm Zalo của chi bộ",
            "Chi đoàn giới thiệu đoàn viên tiêu biểu",
        ),
        (
            "để việc học không còn hình thức",
            "gắn kết quả học tập với đánh giá, xếp loại cuối năm",
            "để ý kiến của dân được trả lời ngay tại chi bộ",
            "trẻ hóa đội ngũ đảng viên",
            "không đảng viên nào bỏ sót nội dung chỉ thị",
            "để mỗi đảng viên có một việc cụ thể",
        ),
        "Biên bản sinh hoạt chi bộ",
        "Tỷ lệ đảng viên tham gia",
        "%",
        (85, 100),
    ),
    (
        (
            "Dịch tài liệu tóm tắt sang tiếng Khmer",
            "Phát thanh nội dung chỉ thị trên loa ấp",
            "Giữ gìn lễ hội Ok Om Bok của đồng bào",
            "Mở lớp dạy chữ Khmer trong dịp hè",
            "Sửa lại nhà văn hóa ấp làm nơi sinh hoạt cộng đồng",
            "Thành lập câu lạc bộ đờn ca tài tử",
        ),
        (
            "nhờ vị sư cả và người có uy tín trong phum sóc",
            "phát thanh viên đọc bằng hai thứ tiếng",
            "Ban quản trị chùa phối hợp tổ chức",
            "xin kinh phí hỗ trợ của Ban Dân tộc tỉnh",
            "các nghệ nhân lớn tuổi truyền dạy cho lớp trẻ",
            "bà con góp công sửa chữa",
        ),
        (
            "để đồng bào hiểu đúng chủ trương của Đảng",
            "giữ bản sắc văn hóa của dân tộc",
            "để ai cũng nghe được nội dung chỉ thị",
            "làm nơi bà con gặp gỡ mỗi tối",
            "đưa sinh hoạt văn hóa lành mạnh về ấp",
            "gắn bó tình làng nghĩa xóm",
        ),
        "Tài liệu, chương trình đã thực hiện",
        "Số người dân được tiếp cận",
        "người",
        (50, 800),
    ),
)
WHERE = (
    "ở {hamlet}",
    "tại {hamlet} và {hamlet2}",
    "trên địa bàn {place}",
    "cho bà con {hamlet}",
    "ở các tổ nhân dân tự quản của {hamlet}",
)
LEADS = (
    "đồng chí {person} phụ trách, báo cáo chi ủy {when}",
    "giao đồng chí {person} theo dõi, xong trước tháng {month}/{year}",
    "chỉ tiêu {n} {unit} trong năm {year}",
    "{n} {unit}, đồng chí {person} chịu trách nhiệm",
)
WHEN = ("hằng tháng", "mỗi quý", "sau mỗi đợt", "cuối năm")
TASK_START = datetime.date(2026, 1, 1)
#: Light rewording of a half-copying unit (whole words, the first few found).
REWORDING = (
    ("Tổ chức", "Triển khai"),
    ("vận động", "động viên"),
    ("hướng dẫn", "chỉ dẫn"),
    ("phụ trách", "đảm nhận"),
    ("hằng tháng", "mỗi tháng"),
)
STATES = (("draft", 0.1), ("consultation", 0.3), ("approved", 0.4), ("in_force", 0.2))


class Composer:
    """What each unit's programme says, drawn from one seeded generator."""

    def __init__(self, members_by_org: dict[int, list[tuple[int, str]]]):
        from quantriet.org import demo_names as names

        self.rng = random.Random(SEED)
        self.names = names
        self.members_by_org = members_by_org
        self.hamlets = [f"ấp {a} {b}" for a in names.VILLAGE_FIRST for b in names.VILLAGE_SECOND if a != b]
        self.hamlets += [f"ấp {v}" for v in names.KHMER_VILLAGES] + [f"khóm {n}" for n in range(1, 12)]
        self.coops = [f"{a} {b}" for a in names.VILLAGE_FIRST for b in names.VILLAGE_SECOND if a != b]

    def person(self) -> str:
        n = self.names
        family = self.rng.choices([f for f, _ in n.KINH_FAMILY], [w for _, w in n.KINH_FAMILY])[0]
        middle, given = self.rng.choice([(n.MALE_MIDDLE, n.MALE_GIVEN), (n.FEMALE_MIDDLE, n.FEMALE_GIVEN)])
        return f"{family} {self.rng.choice(middle)} {self.rng.choice(given)}"

    def values(self, org) -> dict:
        rng = self.rng
        year = rng.choice([2025, 2026])
        place = org.name.removeprefix("Đảng bộ ").removeprefix("Chi bộ ")
        hamlet, hamlet2 = rng.sample(self.hamlets, 2)
        return dict(
            unit=org.name, place=place, hamlet=hamlet, hamlet2=hamlet2, coop=rng.choice(self.coops),
            year=year, year1=year + 1, cells=rng.randint(4, 40), n1=f"{rng.randint(300, 4000):,}".replace(",", "."),
            n2=rng.randint(20, 400), n3=rng.randint(20, 90), n4=rng.randint(15, 300), n5=rng.randint(30, 600),
            n6=rng.randint(2, 15), n7=rng.randint(2, 12), n8=rng.randint(5, 80), n9=rng.randint(2, 20),
            n10=rng.randint(3, 40), p1=rng.randint(55, 92), p2=rng.randint(15, 60), p3=rng.randint(10, 70),
            p4=rng.randint(1, 9), p5=rng.randint(10, 60), p6=rng.randint(5, 40),
        )  # fmt: skip

    def preamble(self, org) -> str:
        values = self.values(org)
        values["focus"] = expand(self.rng, self.rng.choice(FOCUS), **values)
        situation = [expand(self.rng, s, **values) for s in self.rng.sample(SITUATIONS, self.rng.randint(3, 4))]
        return " ".join([expand(self.rng, OPENING, **values), *situation, expand(self.rng, CLOSING, **values)])

    def tasks(self, org, count: int, lead_path_of) -> list[dict]:
        """COUNT tasks of ORG's own: each a head, a means and an aim of one domain, with its places, people, figures."""
        rng = self.rng
        members = self.members_by_org.get(org.pk, [])
        own_units = lead_path_of(org)
        found = []
        for _ in range(count):
            heads, means, aims, product, indicator, unit, (low, high) = rng.choice(DOMAINS)
            values = self.values(org)
            target = rng.randint(low, high)
            values.update(person=self.person(), n=target, unit=unit, month=rng.randint(1, 12), when=rng.choice(WHEN))
            where = rng.choice(WHERE).format(**values)
            lead = rng.choice(LEADS).format(**values)
            complete = rng.random() < 0.85
            person = rng.choice(members)[0] if members and rng.random() < 0.3 else None
            found.append(
                {
                    "content": f"{rng.choice(heads)} {where}, {rng.choice(means)}, {rng.choice(aims)}; {lead}.",
                    "product": product,
                    "indicator": indicator if complete else "",
                    "target": Decimal(target) if complete else None,
                    "unit": unit if complete else "",
                    "deadline": TASK_START + datetime.timedelta(days=rng.randint(30, 700)),
                    "lead_org": rng.choice(own_units),
                    "lead_person": person,
                }
            )
        return found

    def pasted(self, org, parent_org, source: dict) -> dict:
        """SOURCE's programme with ORG's name where the source's was: the preamble and tasks as they are."""
        preamble = source["preamble"].replace(source["org"].name, org.name)
        tasks = [dict(task, lead_person=None) for task in source["tasks"]]
        for task in tasks:  # a task led by a unit beside ORG: the paster names the level above
            if not org.path.startswith(task["lead_org"].path):
                task["lead_org"] = parent_org
        return {"preamble": preamble, "tasks": tasks}

    def half(self, org, parent: dict, count: int, lead_path_of) -> dict:
        """Half of PARENT's tasks lightly reworded, the rest ORG's own, in a shuffled order; its own preamble."""
        rng = self.rng
        taken = [dict(task, lead_person=None) for task in rng.sample(parent["tasks"], count // 2)]
        for task in taken:
            for old, new in REWORDING[: rng.randint(1, 3)]:
                task["content"] = task["content"].replace(old, new, 1)
        tasks = taken + self.tasks(org, count - len(taken), lead_path_of)
        rng.shuffle(tasks)
        return {"preamble": self.preamble(org), "tasks": tasks}


# ---------------------------------------------------------------- seeding


def choose_orgs(plan, total: int) -> list:
    """The units that write: the province, every committee, then cells (a seeded sample if more than TOTAL)."""
    from quantriet.org.models import CELL_KINDS, Organization

    orgs = list(Organization.objects.filter(path__startswith=plan.issuer.path).order_by("depth", "path"))
    committees = [o for o in orgs if o.kind not in CELL_KINDS]
    cells = [o for o in orgs if o.kind in CELL_KINDS]
    room = max(0, total - len(committees))
    if room < len(cells):
        cells = sorted(random.Random(SEED).sample(cells, room), key=lambda o: (o.depth, o.path))
    return committees[:total] + cells


def seed_programmes(plan, total: int, tasks_per: int) -> list[dict]:
    """TOTAL programmes of TASKS_PER tasks for PLAN, in bulk; one dict per programme (kind, source, pk, org)."""
    from django.db import transaction
    from django.utils import timezone

    from quantriet.org.models import CELL_KINDS, Member
    from quantriet.org.tree import ancestors_of
    from quantriet.plans.models import Programme, ProgrammeTask, TaskStatus

    orgs = choose_orgs(plan, total)
    by_path = {o.path: o for o in orgs}
    children = {}
    for o in orgs:
        children.setdefault(o.path[:-4], []).append(o)
    members_by_org = {}
    for pk, name, cell in Member.objects.filter(cell__path__startswith=plan.issuer.path).values_list(
        "pk", "full_name", "cell_id"
    ):
        members_by_org.setdefault(cell, []).append((pk, name))
    composer = Composer(members_by_org)

    def own_units(org):
        """The units that may lead ORG's tasks: itself and, for a committee, a few of its units."""
        return [org] + children.get(org.path, [])[:4]

    rng = random.Random(SEED + 1)
    written, by_org = [], {}
    for org in orgs:
        parent_org = next((by_path[p] for p in reversed(ancestors_of(org.path)) if p in by_path), None)
        parent = by_org.get(parent_org.pk) if parent_org else None
        entry = {"org": org, "parent_org": parent_org, "parent": parent, "kind": "concrete", "source": None}
        roll = rng.random()
        if parent is None:
            pass
        elif org.kind in CELL_KINDS and roll < PASTED_SHARE:
            where = rng.choices([s for s, _ in PASTE_SOURCES], [w for _, w in PASTE_SOURCES])[0]
            siblings = [w for w in written if w["parent_org"] is parent_org and w["org"].kind in CELL_KINDS]
            others = [w for w in written[-400:] if w["parent_org"] is not parent_org and w["org"].kind in CELL_KINDS]
            source = {"parent": parent, "sibling": siblings[-1] if siblings else None}.get(where)
            if where == "other" and others:
                source = rng.choice(others)
            if source is None:
                where, source = "parent", parent
            entry.update(kind="pasted", source=source, paste_from=where)
        elif org.kind not in CELL_KINDS and roll < COMMITTEE_PASTED:
            entry.update(kind="pasted", source=parent, paste_from="parent")
        elif roll < PASTED_SHARE + HALF_SHARE:
            entry.update(kind="half", source=parent)
        if entry["kind"] == "pasted":
            entry.update(composer.pasted(org, parent_org, entry["source"]))
        elif entry["kind"] == "half":
            entry.update(composer.half(org, parent, tasks_per, own_units))
        else:
            entry.update(preamble=composer.preamble(org), tasks=composer.tasks(org, tasks_per, own_units))
        written.append(entry)
        by_org[org.pk] = entry

    states = [rng.choices([s for s, _ in STATES], [w for _, w in STATES])[0] for _ in written]
    start = timezone.now() - datetime.timedelta(days=60)
    today = timezone.localdate()
    with transaction.atomic():
        for depth in sorted({e["org"].depth for e in written}):
            level = [(i, e) for i, e in enumerate(written) if e["org"].depth == depth]
            rows = [
                Programme(
                    plan=plan,
                    org=e["org"],
                    parent_id=e["parent"]["pk"] if e["parent"] else None,
                    symbol=f"{i + 1}-CTr/CU",
                    title=f"Chương trình hành động của {e['org'].name} thực hiện Chỉ thị 28-CT/TU",
                    preamble=e["preamble"].strip(),
                    state=states[i],
                    version=1,
                    created_at=start + datetime.timedelta(seconds=i),
                    updated_at=start + datetime.timedelta(seconds=i),
                    **stored_check(e),
                )  # fmt: skip
                for i, e in level
            ]
            Programme.objects.bulk_create(rows, batch_size=500)
            if any(row.pk is None for row in rows):
                pks = dict(Programme.objects.filter(plan=plan, org__depth=depth).values_list("org_id", "pk"))
                for row in rows:
                    row.pk = pks[row.org_id]
            for (_, e), row in zip(level, rows, strict=True):
                e["pk"] = row.pk
        task_rows = []
        for i, e in enumerate(written):
            running = states[i] in ("approved", "in_force")
            for number, task in enumerate(e["tasks"], start=1):
                status, achieved = TaskStatus.NOT_STARTED, None
                if running and rng.random() < 0.5:
                    status = rng.choice([TaskStatus.IN_PROGRESS, TaskStatus.DONE])
                    achieved = task["target"] if status == TaskStatus.DONE else None
                task_rows.append(
                    ProgrammeTask(
                        programme_id=e["pk"],
                        number=number,
                        content=task["content"].strip(),
                        lead_org=task["lead_org"],
                        lead_person_id=task["lead_person"],
                        starts_on=TASK_START,
                        deadline=task["deadline"]
                        if rng.random() > 0.3
                        else today - datetime.timedelta(days=rng.randint(1, 90)),
                        product=task["product"].strip(),
                        indicator=task["indicator"],
                        target=task["target"],
                        unit=task["unit"],
                        status=status,
                        achieved=achieved,
                    )  # fmt: skip
                )
        ProgrammeTask.objects.bulk_create(task_rows, batch_size=2000)
    return written


def stored_check(entry: dict) -> dict:
    """Plausible stored check fields for ENTRY's kind (the tree reads them; the sampled ones are really checked)."""
    copied = {"pasted": 0.95, "half": 0.45, "concrete": 0.05}[entry["kind"]]
    score = {"pasted": 30, "half": 60, "concrete": 85}[entry["kind"]]
    flags = ["sao_chep", "chua_cu_the"] if entry["kind"] == "pasted" else []
    source = entry["source"]
    copied_from = [{"programme": source["pk"], "share": copied, "kind": "verbatim"}] if flags and "pk" in source else []
    return dict(
        concreteness=score, copied_share=copied, complete_share=0.85, local_share=1.0, own_share=0.0 if flags else 1.0,
        flags=flags, copied_from=copied_from, evidence=[], checked_at=None,
    )  # fmt: skip


def as_text(entry: dict) -> str:
    """ENTRY's programme as one text, as the check reads it from the database."""
    from quantriet.plans import concreteness

    tasks = tuple(concreteness.Task(t["content"].strip(), product=t["product"].strip()) for t in entry["tasks"])
    return concreteness.Programme(entry["org"].path, entry["preamble"].strip(), tasks).text


def build_index(plan, written: list[dict]) -> int:
    """The plan's programme index in bulk, as a rescan writes the essays' (sketches on every core, put_many)."""
    import numpy as np

    from quantriet.originality.bulk import band_keys_of, print_chunks
    from quantriet.originality.db import DatabaseStorage
    from quantriet.originality.index import Index
    from quantriet.plans.check import PROGRAMME, programme_scope
    from quantriet.study.reference import plan_reference

    storage = DatabaseStorage(programme_scope(plan.pk))
    params = Index().params
    texts = [as_text(e) for e in written]
    done = 0
    for part in print_chunks(texts, plan_reference(plan)):
        keys = band_keys_of(part.signatures, part.sizes, params)
        rows = written[done : done + len(part)]
        storage.put_many(
            ((PROGRAMME, rows[i]["pk"]), part.sketch(i), keys[i].tolist()) for i in np.flatnonzero(part.sizes)
        )
        done += len(part)
    return done


# ---------------------------------------------------------------- measuring


def sample(written: list[dict], count: int) -> list[dict]:
    from quantriet.org.models import CELL_KINDS

    rng = random.Random(SEED + 2)
    cells = [e for e in written if e["org"].kind in CELL_KINDS and e["parent"] is not None]
    committees = [e for e in written if e["org"].kind not in CELL_KINDS and e["parent"] is not None]
    n_cells = min(len(cells), round(count * CELL_SAMPLE_SHARE))
    chosen = rng.sample(cells, n_cells) + rng.sample(committees, min(len(committees), count - n_cells))
    rng.shuffle(chosen)
    return chosen


def load(pk: int):
    from quantriet.plans.models import Programme

    return Programme.objects.select_related("plan", "org").get(pk=pk)


def measure_checks(entries: list[dict], profile: bool) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quantriet.plans.check import programme_check

    for e in entries[:WARMUP]:
        programme_check(load(e["pk"]))
    profiler = cProfile.Profile() if profile else None
    timed, results = [], []
    every = max(1, len(entries) // 10)
    for i, e in enumerate(entries, start=1):
        programme = load(e["pk"])
        if profiler:
            profiler.enable()
        with timer() as elapsed:
            result = programme_check(programme)
        if profiler:
            profiler.disable()
        timed.append(elapsed() * 1000)
        results.append(result)
        if i % every == 0 or i == len(entries):
            log(f"check: {i}/{len(entries)}, p95 so far {percentile(timed, 95):.1f} ms")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
        log(out.getvalue())
    queries = []
    for e in entries[:20]:
        programme = load(e["pk"])
        with CaptureQueriesContext(connection) as captured:
            programme_check(programme)
        queries.append(len(captured.captured_queries))
    compared = [len(load(e["pk"]).copied_from) for e in entries]

    def flagged(kind, where=None):
        found = [
            "sao_chep" in r.flags
            for e, r in zip(entries, results, strict=True)
            if e["kind"] == kind and (where is None or e.get("paste_from") == where)
        ]
        return found

    pasted = flagged("pasted")
    by_source = {
        where: f"{sum(found)}/{len(found)}" for where, _ in PASTE_SOURCES if (found := flagged("pasted", where))
    }
    concrete, half = flagged("concrete"), flagged("half")
    return {
        "checks": len(timed),
        "check_p50_ms": round(percentile(timed, 50), 1),
        "check_p95_ms": round(percentile(timed, 95), 1),
        "check_max_ms": round(max(timed), 1),
        "check_queries": statistics.median(queries),
        "check_sources_mean": round(sum(compared) / len(compared), 2),
        "pasted_sampled": len(pasted),
        "pasted_recall": round(sum(pasted) / max(1, len(pasted)), 3),
        "pasted_recall_by_source": by_source,
        "concrete_sampled": len(concrete),
        "concrete_false_flags": sum(concrete),
        "half_sampled": len(half),
        "half_flagged_share": round(sum(half) / max(1, len(half)), 3),
    }


def check_against_all(programme):
    """The alternative: `programme_check`'s verdict without candidate proposal — PROGRAMME aligned with every
    programme it may be compared with (those above; every earlier one of another unit not below it), all read
    in two queries. Nothing is stored."""
    from django.db.models import Q

    from quantriet.org.tree import ancestors_of
    from quantriet.plans import concreteness
    from quantriet.plans.check import _earlier, as_programme
    from quantriet.plans.models import Programme, ProgrammeTask
    from quantriet.study.reference import plan_reference_texts

    mine = as_programme(programme)
    same_plan = Programme.objects.filter(plan_id=programme.plan_id).exclude(pk=programme.pk)
    above = Q(org__path__in=ancestors_of(programme.org.path))
    others = same_plan.filter(above | (_earlier(programme) & ~Q(org__path__startswith=programme.org.path)))
    heads = dict(others.values_list("pk", "org__path"))
    preambles = dict(others.values_list("pk", "preamble"))
    tasks = {}
    rows = ProgrammeTask.objects.filter(programme_id__in=others.values("pk")).order_by("programme_id", "number")
    for pk, content, product in rows.values_list("programme_id", "content", "product"):
        tasks.setdefault(pk, []).append(concreteness.Task(content, product=product))
    compared = {
        str(pk): concreteness.Programme(path, preambles[pk], tuple(tasks.get(pk, ()))) for pk, path in heads.items()
    }
    references = tuple(body for _, body in plan_reference_texts(programme.plan))
    return concreteness.concreteness(mine, compared, references), len(compared)


def measure_all(entries: list[dict], count: int) -> dict:
    from quantriet.org.models import CELL_KINDS

    chosen = [e for e in entries if e["org"].kind in CELL_KINDS][:count]
    timed, same, compared = [], 0, 0
    for e in chosen:
        programme = load(e["pk"])
        with timer() as elapsed:
            result, compared = check_against_all(programme)
        timed.append(elapsed() * 1000)
        programme.refresh_from_db()
        same += ("sao_chep" in result.flags) == ("sao_chep" in programme.flags)
        log(f"check against all {compared:,}: {timed[-1]:,.0f} ms ({e['kind']}, flags {list(result.flags)})")
    return {
        "check_all_p50_ms": round(percentile(timed, 50), 1) if timed else None,
        "check_all_checks": len(timed),
        "check_all_compared": compared,
        "check_all_same_flags": f"{same}/{len(timed)}",
    }


def tree_call(plan):
    """(target, a function org → one tree for ORG): the page `plans:tree` if it exists, else the selector."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("plans:tree", args=[plan.pk])
    except NoReverseMatch:
        url = None
    if url is not None:
        client = Client()
        client.force_login(get_user_model().objects.get(username=TREE_USER))

        def page(org):
            response = client.get(url, {"org": org.pk})
            if response.status_code != 200:
                raise RuntimeError(f"tree {url}?org={org.pk}: {response.status_code}")
            return response

        return "page", page
    try:
        from quantriet.plans.selectors import programme_tree
    except ImportError:
        return None, None

    def selector(org):
        row, children = programme_tree(plan, org)
        return len(children)

    return "selector", selector


def measure_tree(plan, requests: int) -> dict:
    from quantriet.org.models import Organization, OrgKind

    target, call = tree_call(plan)
    if call is None:
        log("tree: neither the page plans:tree nor plans.selectors.programme_tree exists; not measured")
        return {"tree_target": None, "tree_p50_ms": None, "tree_p95_ms": None}
    communes = list(Organization.objects.filter(path__startswith=plan.issuer.path, kind=OrgKind.DANG_UY_XA))
    rng = random.Random(SEED + 3)
    items = []
    for i in range(requests):
        items.append(("root", plan.issuer) if i % 2 == 0 else ("commune", rng.choice(communes)))
    for _, org in items[:WARMUP]:
        call(org)
    timed = {"root": [], "commune": []}
    for level, org in items:
        with timer() as elapsed:
            call(org)
        timed[level].append(elapsed() * 1000)
    every = timed["root"] + timed["commune"]
    log(f"tree ({target}): p95 {percentile(every, 95):.1f} ms over {len(every)}")
    return {
        "tree_target": target,
        "tree_requests": len(every),
        "tree_p50_ms": round(percentile(every, 50), 1),
        "tree_p95_ms": round(percentile(every, 95), 1),
        "tree_root_p95_ms": round(percentile(timed["root"], 95), 1),
        "tree_commune_p95_ms": round(percentile(timed["commune"], 95), 1),
    }


def run(args) -> dict:
    fid.cap_postgres_temp_files()
    with timer() as seed_time:
        setup_django(args.scale)
        from quantriet.plans.models import Programme, ProgrammeTask
        from quantriet.study.demo import PLAN_SYMBOL
        from quantriet.study.models import StudyPlan

        plan = StudyPlan.objects.select_related("issuer").get(symbol=PLAN_SYMBOL)
        with timer() as write_time:
            written = seed_programmes(plan, args.programmes, args.tasks)
        kinds = {k: sum(e["kind"] == k for e in written) for k in ("concrete", "pasted", "half")}
        log(f"{len(written):,} programmes ({kinds}) written in {write_time():.1f}s")
        with timer() as index_time:
            build_index(plan, written)
        log(f"originality index of {len(written):,} programmes in {index_time():.1f}s")
        log(f"ANALYZE (PostgreSQL) in {fid.analyze():.1f}s")
    figures = {
        "bench": "programmes",
        "database": database_label(),
        "scale": args.scale,
        "programmes": Programme.objects.filter(plan=plan).count(),
        "tasks_per_programme": args.tasks,
        "tasks": ProgrammeTask.objects.filter(programme__plan=plan).count(),
        "planted": kinds,
    }
    entries = sample(written, args.checks)
    figures.update(measure_checks(entries, args.profile))
    figures.update(measure_all(entries, args.all_checks))
    if figures["check_all_p50_ms"]:
        figures["all_over_check_p50"] = round(figures["check_all_p50_ms"] / max(figures["check_p50_ms"], 0.001), 1)
    figures.update(measure_tree(plan, args.tree_requests))
    figures["seed_s"] = round(seed_time(), 1)
    figures["programmes_write_s"] = round(write_time(), 1)
    figures["index_s"] = round(index_time(), 1)
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo province scale (default 1: ~5,000 cells)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--programmes", type=int, default=5000)
    parser.add_argument("--tasks", type=int, default=20, help="tasks per programme")
    parser.add_argument("--checks", type=int, default=200, help="sampled programmes checked")
    parser.add_argument("--all-checks", type=int, default=3, help="checks against all programmes (the alternative)")
    parser.add_argument("--tree-requests", type=int, default=100)
    parser.add_argument("--profile", action="store_true", help="cProfile the timed checks (top functions on stderr)")
    args = parser.parse_args(argv)
    with timer() as wall, fresh_database(args.database, "bench_programmes"), redirect_stdout(sys.stderr):
        figures = run(args)
    figures["seconds"] = round(wall(), 1)
    emit(figures)


if __name__ == "__main__":
    main()
