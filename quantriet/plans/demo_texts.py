# ruff: noqa: E501 (one sentence a line reads best)
"""The sentences the demo's action programmes are composed from (plans.demo).

Every template is one distinct sentence: the originality engine masks names and figures before
it estimates, and aligns whole sentences however their names differ, so two units given the same
template with their own names would rightly be judged to share it. plans.demo gives each
concrete programme a few templates, never two that another programme already has together.

A task template: (content, product, indicator, unit, target, lead). CONTENT may name {v1} and {v2}
(two of the unit's villages or quarters), {cell} (one of its cells), {n} (a figure); TARGET is a
number, a (low, high) range, "members" (the unit's members) or "cells" (its cells); LEAD is "org"
(the unit itself), "cell" (the cell named) or "person" (one of its leaders).
"""

#: The province's programme (Chương trình hành động of the Tỉnh ủy), led by the province.
PROVINCE_PREAMBLE = (
    "Thực hiện Chỉ thị số 28-CT/TU ngày 19/10/2022 của Ban Thường vụ Tỉnh ủy, Ban Chấp hành Đảng bộ tỉnh "
    "Vĩnh Long xây dựng chương trình hành động nhằm khắc phục dứt điểm tình trạng cấp trên làm kỹ, cấp dưới "
    "làm lướt. Sau hợp nhất, toàn tỉnh có 124 đảng bộ xã, phường và 4 đảng bộ trực thuộc; năm 2025 mới 61% "
    "chi bộ tổ chức sinh hoạt chuyên đề sau học tập, tỷ lệ bài thu hoạch bị trả lại vì sao chép là 14%. "
    "Mục tiêu đến hết năm 2027: mọi cấp ủy có chương trình riêng sát tình hình, được thông qua đúng hạn, "
    "có người chủ trì, thời hạn và chỉ tiêu đo được cho từng việc."
)
#: (content, product, indicator, unit, target, deadline in days from today)
PROVINCE_TASKS = [
    ("Ban Thường vụ Tỉnh ủy tổ chức hội nghị trực tuyến toàn tỉnh quán triệt chỉ thị đến 100% điểm cầu "
     "cấp xã, Bí thư Tỉnh ủy trực tiếp chủ trì và giao nhiệm vụ cho từng đảng bộ trực thuộc.",
     "Kết luận hội nghị của Ban Thường vụ", "Điểm cầu cấp xã kết nối", "điểm cầu", 128, -24),
    ("Ban Tuyên giáo và Dân vận Tỉnh ủy biên soạn bộ tài liệu tóm tắt ba mươi trang, kèm bản tiếng Khmer, "
     "phát hành trước ngày học tập ở cơ sở.", "Bộ tài liệu tóm tắt song ngữ", "Số bản phát hành", "bản",
     30000, -8),
    ("Tập huấn kỹ năng truyền đạt nghị quyết cho đội ngũ báo cáo viên cấp tỉnh và cấp xã, mỗi người được "
     "cấp chứng nhận sau khóa học.", "Chứng nhận tập huấn báo cáo viên", "Báo cáo viên được tập huấn", "người",
     380, 20),
    ("Duy trì hội nghị báo cáo viên hằng tháng, cung cấp thông tin định hướng về tình hình kinh tế - xã hội "
     "của tỉnh cho báo cáo viên các cấp.", "Tài liệu sinh hoạt báo cáo viên hằng tháng",
     "Hội nghị báo cáo viên trong năm", "hội nghị", 12, 300),
    ("Ủy ban Kiểm tra Tỉnh ủy đưa nội dung thực hiện chỉ thị vào chương trình kiểm tra, giám sát năm 2027, "
     "kiểm tra ít nhất mười đảng bộ cấp xã.", "Thông báo kết luận kiểm tra", "Đảng bộ được kiểm tra",
     "đảng bộ", 10, 240),
    ("Văn phòng Tỉnh ủy lập dự toán kinh phí học tập, quán triệt nghị quyết năm 2027, phân bổ về cấp xã theo "
     "số đảng viên.", "Quyết định phân bổ kinh phí", "Kinh phí phân bổ", "triệu đồng", 1850, -3),
    ("Báo và Phát thanh, Truyền hình Vĩnh Long mở chuyên mục “Nghị quyết vào cuộc sống”, phát sóng hai số "
     "mỗi tháng về cách làm hay ở cơ sở.", "Chuyên mục phát sóng định kỳ", "Số chương trình phát sóng",
     "số", 24, 330),
    ("Đưa kết quả học tập và bài thu hoạch vào tiêu chí đánh giá, xếp loại tổ chức đảng và đảng viên cuối "
     "năm; hướng dẫn thống nhất trong toàn tỉnh.", "Hướng dẫn của Ban Tổ chức Tỉnh ủy",
     "Đảng bộ áp dụng tiêu chí", "đảng bộ", 128, 60),
    ("Sơ kết một năm thực hiện chỉ thị, biểu dương cấp ủy và người đứng đầu làm tốt, phê bình nơi học tập "
     "hình thức.", "Báo cáo sơ kết của Ban Thường vụ", "Hội nghị sơ kết", "hội nghị", 1, 365),
]  # fmt: skip

#: Sentences about a commune's own situation (the preamble's one sentence besides its heading).
COMMUNE_SITUATIONS = [
    "Trong {members} đảng viên của Đảng bộ, năm trước còn {n} đồng chí không dự đủ các buổi học nghị quyết, phần lớn đi làm thuê ở Bình Dương và thành phố Hồ Chí Minh.",
    "Ở {v1} nhiều chi bộ chỉ đọc lại văn bản rồi ký biên bản, chưa buổi nào bàn việc cụ thể của ấp.",
    "Một phần ba trong số {members} đảng viên đã trên sáu mươi tuổi, nhiều đồng chí không dùng được điện thoại thông minh.",
    "Đồng bào Khmer chiếm gần một phần tư dân số, sinh hoạt gắn với chùa nên cần tài liệu song ngữ.",
    "Đường liên ấp từ {v1} sang {v2} mùa mưa ngập sâu, đảng viên đi họp rất vất vả.",
    "Khu công nghiệp mới thu hút hơn {n} trăm lao động trẻ thuê trọ, nơi ở đông mà sinh hoạt đoàn thể gần như bỏ trống.",
    "Xâm nhập mặn mùa khô kéo dài làm nhiều vườn cây ăn trái ở {v2} chết, bà con đang tính chuyển đổi.",
    "Hợp tác xã dừa mới thu mua được khoảng một nửa sản lượng, giá bấp bênh theo thương lái.",
    "Tỷ lệ bài thu hoạch đạt loại khá, tốt năm rồi chỉ khoảng {n} phần trăm, có bài chép nguyên văn trên mạng.",
    "Bà con ngư dân đi biển dài ngày, chi bộ {v1} chỉ họp đủ người vào dịp con nước rằm.",
    "Trụ sở mới sau sáp nhập chưa có hội trường đủ chỗ, hội nghị lớn phải mượn nhà văn hóa.",
    "Khiếu nại về ranh đất sau dồn điền còn {n} vụ chưa giải quyết, người dân mất lòng tin vào lời hứa.",
    "Chợ nông sản đầu mối ở {v1} vừa đưa vào sử dụng, tiểu thương vẫn ngại chuyển vào buôn bán.",
    "Ba năm liền {cells} chi bộ của Đảng bộ không có chi bộ nào xếp loại yếu nhưng sinh hoạt chuyên đề còn hình thức.",
    "Tình trạng học sinh bỏ học sớm để đi làm ở {v2} vẫn còn, cha mẹ đều là lao động thời vụ.",
    "Mạng di động ở vùng ven sông còn chập chờn, học trực tuyến thường bị ngắt giữa chừng.",
    "Sau sáp nhập, ba xã cũ có cách làm khác nhau, cán bộ còn chưa quen địa bàn của nhau.",
    "Ở {cells} chi bộ trực thuộc có nhiều chi ủy viên mới được bầu, lần đầu tự chủ trì việc học tập nghị quyết ở chi bộ.",
    "Phong trào hiến đất làm đường từng rất mạnh ở {v1}, nay chững lại vì chưa có người đứng ra vận động.",
    "Đảng viên là cán bộ hưu trí đông nhưng ít được giao việc, nhiều đồng chí muốn đóng góp.",
]

#: Tasks of a commune's (or ward's) own programme.
COMMUNE_TASKS = [
    ("Bí thư Đảng ủy trực tiếp quán triệt chỉ thị tại hội nghị cán bộ chủ chốt, dành riêng một buổi phân tích tình hình {v1} và {v2}.",
     "Bài giảng và biên bản hội nghị", "Cán bộ chủ chốt dự học", "người", (30, 60), "person"),
    ("Mở lớp học bù vào tối thứ Bảy cho đảng viên đi làm ăn xa, lao động ở khu công nghiệp không dự được hội nghị tập trung.",
     "Danh sách học bù và bài thu hoạch", "Đảng viên vắng được học bù", "người", (8, 30), "org"),
    ("Thành lập ban quản lý lớp học do Phó Bí thư Thường trực làm trưởng ban, điểm danh bằng mã QR và công khai kết quả từng chi bộ.",
     "Quyết định thành lập ban quản lý lớp", "Tỷ lệ đảng viên dự học", "%", 95, "person"),
    ("Lắp thiết bị cho điểm cầu trực tuyến tại hội trường Đảng ủy và nhà văn hóa {v1} để đảng viên học cùng lúc với hội nghị của tỉnh.",
     "Hai điểm cầu được nghiệm thu", "Số điểm cầu hoạt động", "điểm cầu", 2, "org"),
    ("Biên soạn tập hỏi - đáp ngắn gọn về tám nhóm nhiệm vụ, in khổ nhỏ phát tận tay từng hộ đảng viên.",
     "Tập hỏi - đáp in khổ A5", "Số bản phát hành", "bản", "members", "org"),
    ("Chọn ba báo cáo viên trẻ của Đoàn Thanh niên, bồi dưỡng kỹ năng nói chuyện để về sinh hoạt với chi đoàn các ấp.",
     "Danh sách báo cáo viên trẻ và lịch nói chuyện", "Buổi nói chuyện ở chi đoàn", "buổi", (6, 12), "org"),
    ("Phát chuyên mục “Học và làm theo nghị quyết” trên loa truyền thanh vào sáng thứ Hai và thứ Năm hằng tuần.",
     "Kịch bản các số phát thanh", "Số chương trình đã phát", "chương trình", 24, "cell"),
    ("Lập nhóm Zalo học nghị quyết ở từng chi bộ, mỗi tuần gửi một trang tóm tắt kèm năm câu hỏi trắc nghiệm.",
     "Nhóm Zalo của các chi bộ", "Chi bộ có nhóm hoạt động", "chi bộ", "cells", "org"),
    ("Chỉ đạo mỗi chi bộ dành một kỳ sinh hoạt chuyên đề bàn cách đưa chỉ thị vào việc làm cụ thể, có biên bản gửi Đảng ủy.",
     "Biên bản sinh hoạt chuyên đề", "Chi bộ sinh hoạt chuyên đề", "chi bộ", "cells", "org"),
    ("Kiểm tra việc viết thu hoạch ở {cell}, chấm lại ngẫu nhiên mười bài để phát hiện bài chép trên mạng.",
     "Thông báo kết luận kiểm tra", "Bài thu hoạch được chấm lại", "bài", (10, 30), "person"),
    ("Ủy ban Kiểm tra Đảng ủy giám sát chuyên đề sự gương mẫu của bí thư các chi bộ trong học tập, báo cáo trước Ban Chấp hành.",
     "Báo cáo giám sát chuyên đề", "Chi bộ được giám sát", "chi bộ", (3, 5), "org"),
    ("Đưa chất lượng bài thu hoạch vào tiêu chí xếp loại đảng viên cuối năm, hướng dẫn chi bộ chấm theo thang điểm thống nhất.",
     "Hướng dẫn tiêu chí của Đảng ủy", "Chi bộ áp dụng tiêu chí", "chi bộ", "cells", "org"),
    ("Mỗi đảng ủy viên phụ trách một chi bộ, dự sinh hoạt ít nhất hai lần mỗi quý và ghi nhận xét vào sổ theo dõi.",
     "Sổ theo dõi dự sinh hoạt", "Lượt dự sinh hoạt chi bộ", "lượt", (16, 40), "org"),
    ("Đối thoại giữa Bí thư với người dân {v1} về những việc chính quyền đã hứa mà chưa làm, ghi lại từng kiến nghị.",
     "Biên bản đối thoại, danh mục kiến nghị", "Kiến nghị được trả lời", "kiến nghị", (10, 25), "person"),
    ("Dịch tài liệu tóm tắt sang tiếng Khmer, nhờ các vị sư cả và người có uy tín trong phum, sóc giới thiệu cho bà con.",
     "Tài liệu song ngữ Việt - Khmer", "Hộ đồng bào Khmer nhận tài liệu", "hộ", (80, 300), "org"),
    ("Đến tận nhà kể lại nội dung chỉ thị cho đảng viên cao tuổi, đau ốm không đi họp được, ghi ý kiến của các đồng chí.",
     "Phiếu ghi ý kiến đảng viên cao tuổi", "Đảng viên cao tuổi được thăm", "người", (10, 30), "cell"),
    ("Tổ dân vận đi cùng cán bộ ấp vận động bà con hiến đất mở rộng đường liên ấp từ {v1} sang {v2}.",
     "Biên bản hiến đất", "Chiều dài đường được mở rộng", "m", (300, 1500), "org"),
    ("Lập dự toán tiền in tài liệu và bồi dưỡng báo cáo viên năm sau, trình Ban Thường vụ Đảng ủy duyệt trước tháng mười hai.",
     "Dự toán được phê duyệt", "Kinh phí được bố trí", "triệu đồng", (15, 40), "person"),
    ("Tổ chức hội thi tìm hiểu giữa các chi bộ, câu hỏi soạn từ chính số liệu và công trình của địa phương.",
     "Kế hoạch hội thi và bộ câu hỏi", "Đội dự thi", "đội", (6, 12), "org"),
    ("Trả lời công khai trên bảng tin nhà văn hóa những ý kiến đảng viên nêu trong thu hoạch, ghi rõ việc nào đã làm xong.",
     "Bảng tổng hợp ý kiến và trả lời", "Ý kiến được trả lời", "ý kiến", (20, 60), "org"),
    ("Rà soát kế hoạch của từng chi bộ, trả lại những bản chép nguyên văn của cấp trên để viết lại theo việc của ấp mình.",
     "Phiếu nhận xét kế hoạch chi bộ", "Kế hoạch chi bộ được rà soát", "bản", "cells", "person"),
    ("Sơ kết sáu tháng, mời Mặt trận và các đoàn thể cùng chấm điểm chuyển biến ở {v1}.",
     "Báo cáo sơ kết sáu tháng", "Hội nghị sơ kết", "hội nghị", 1, "org"),
    ("Hội Cựu chiến binh kể chuyện những người đứng đầu nêu gương trong các buổi sinh hoạt hội ở {v2}.",
     "Lịch sinh hoạt có nội dung nêu gương", "Buổi kể chuyện", "buổi", (4, 10), "cell"),
    ("Chi đoàn quay video ngắn giới thiệu đảng viên làm tốt ở ấp, đăng trên trang Facebook của Đoàn.",
     "Các video ngắn đã đăng", "Số video đăng tải", "video", (6, 15), "cell"),
    ("Nhắc những người chưa làm bài kiểm tra trắc nghiệm, bố trí máy tính ở trụ sở cho ai không có điện thoại.",
     "Danh sách đảng viên đã làm bài", "Đảng viên làm bài kiểm tra", "%", 90, "org"),
    ("Bí thư {cell} đăng ký một công trình làm theo chỉ thị, báo cáo tiến độ ở giao ban hằng tháng.",
     "Bản đăng ký công trình", "Công trình đăng ký", "công trình", 1, "cell"),
    ("Đưa cán bộ chủ chốt đi học cách làm ở một xã bạn học nghị quyết tốt, rút ra ba việc áp dụng được ngay.",
     "Báo cáo kết quả học tập kinh nghiệm", "Cán bộ tham gia chuyến đi", "người", (10, 20), "person"),
    ("Xây dựng tủ sách nghị quyết tại thư viện {v1}, có bản in chữ lớn cho người cao tuổi đọc.",
     "Tủ sách đưa vào sử dụng", "Đầu sách", "cuốn", (50, 150), "org"),
    ("Phân công cán bộ trực đường dây nóng giải đáp thắc mắc của người dân về chỉ thị trong giờ hành chính.",
     "Sổ ghi nhận cuộc gọi", "Câu hỏi được giải đáp", "câu", (30, 80), "person"),
    ("Đối chiếu danh sách dự học với danh sách đảng viên, lập riêng danh sách vắng quá hai buổi để chi bộ kiểm điểm.",
     "Danh sách vắng học", "Đảng viên vắng được nhắc nhở", "người", (5, 15), "org"),
    ("Hướng dẫn đảng viên viết kế hoạch cá nhân làm theo gương Bác, mỗi người ba việc có thời hạn.",
     "Kế hoạch cá nhân của đảng viên", "Đảng viên có kế hoạch cá nhân", "%", 100, "org"),
    ("Mời nông dân sản xuất giỏi ở {v2} chia sẻ cách chuyển đổi cây trồng trên đất nhiễm mặn tại buổi sinh hoạt chi bộ.",
     "Biên bản sinh hoạt có phần chia sẻ", "Hộ áp dụng mô hình", "hộ", (10, 40), "cell"),
    ("Treo pano, áp phích tóm tắt tám nhóm nhiệm vụ tại chợ, trường học và các nhà văn hóa ấp.",
     "Pano, áp phích", "Điểm treo", "điểm", (8, 16), "org"),
    ("Sắp xếp phòng học có máy chiếu tại trụ sở để chi bộ nào cũng mượn được khi học chuyên đề.",
     "Phòng học dùng chung", "Lượt chi bộ sử dụng", "lượt", (10, 30), "org"),
    ("Chi bộ Công an nắm dư luận, phản bác ý kiến xuyên tạc về chỉ thị trên mạng xã hội, báo cáo mỗi tháng.",
     "Báo cáo dư luận hằng tháng", "Báo cáo gửi Đảng ủy", "báo cáo", 12, "org"),
    ("Trích ngân sách mua ti vi và bộ loa cho nhà văn hóa {v1} để bà con xem tư liệu thời sự.",
     "Thiết bị được bàn giao", "Thiết bị", "bộ", 3, "person"),
    ("Công khai trên cổng thông tin điện tử kết quả học tập của từng chi bộ theo quý để người dân cùng giám sát.",
     "Bài đăng kết quả theo quý", "Kỳ công khai", "kỳ", 4, "org"),
    ("Đưa nội dung học tập vào giao ban khối dân vận hằng tháng, phân công người theo dõi từng đoàn thể.",
     "Biên bản giao ban khối dân vận", "Kỳ giao ban có nội dung", "kỳ", 12, "person"),
    ("Tặng giấy khen chi bộ có nhiều bài thu hoạch khá, tốt nhất và nhắc nhở chi bộ đứng cuối bảng.",
     "Quyết định khen thưởng", "Chi bộ được khen", "chi bộ", 2, "org"),
    ("Huy động thanh niên tình nguyện dạy đảng viên lớn tuổi cách đọc tài liệu trên ứng dụng điện thoại.",
     "Danh sách tình nguyện viên", "Đảng viên được hướng dẫn", "người", (20, 50), "cell"),
    ("Khảo sát bằng phiếu mười câu hỏi sau buổi học, gom những chỗ khó hiểu để báo cáo viên giải thích lại.",
     "Kết quả khảo sát", "Phiếu thu về", "phiếu", (60, 180), "org"),
    ("Sửa quy chế làm việc của Ban Chấp hành, ghi rõ trách nhiệm của Bí thư chủ trì hội nghị quán triệt.",
     "Quy chế làm việc sửa đổi", "Quy chế được ban hành", "văn bản", 1, "person"),
    ("Hỗ trợ hợp tác xã ở {v2} làm phương án tiêu thụ nông sản, đảng viên trong hợp tác xã đi đầu ký hợp đồng.",
     "Phương án tiêu thụ", "Hộ ký hợp đồng", "hộ", (15, 50), "org"),
    ("Phối hợp nhà trường tổ chức buổi ngoại khóa về trách nhiệm nêu gương cho học sinh lớp chín.",
     "Kế hoạch ngoại khóa", "Học sinh tham dự", "học sinh", (100, 300), "cell"),
    ("Phát sổ tay ghi chép bìa cứng cho đảng viên mới kết nạp, chi ủy viên hướng dẫn cách ghi sau mỗi buổi.",
     "Sổ tay nghị quyết", "Đảng viên mới nhận sổ", "người", (5, 15), "org"),
    ("Bố trí lịch học riêng cho chi bộ ngư dân đi biển dài ngày vào dịp trăng tròn, khi tàu về bến.",
     "Lịch học theo con nước", "Buổi học", "buổi", (2, 4), "cell"),
    ("Biểu dương ba đảng viên tiêu biểu trên bản tin mỗi quý, kể rõ việc các đồng chí đã làm.",
     "Bản tin có chuyên mục biểu dương", "Đảng viên được biểu dương", "người", 12, "org"),
    ("Gặp gỡ công nhân trẻ thuê trọ ở {v1} vào sáng Chủ nhật, giới thiệu chỉ thị và lắng nghe nguyện vọng.",
     "Biên bản gặp gỡ", "Buổi gặp gỡ", "buổi", (4, 8), "person"),
    ("Ghi hình hội nghị quán triệt, gửi đường dẫn cho đảng viên xem lại trên điện thoại trong ba mươi ngày.",
     "Đoạn ghi hình hội nghị", "Lượt xem lại", "lượt", (100, 300), "org"),
    ("Phối hợp Hội Nông dân mở lớp kỹ thuật nuôi tôm càng xanh, lồng phần liên hệ thực tế ở đầu buổi.",
     "Lớp tập huấn kỹ thuật", "Nông dân dự tập huấn", "người", (40, 120), "org"),
    ("Xây dựng mô hình dân vận khéo ở {v2}, mỗi đảng viên nhận giúp đỡ hai hộ khó khăn.",
     "Quyết định công nhận mô hình", "Hộ được giúp đỡ", "hộ", (20, 60), "cell"),
    ("Mời báo cáo viên của Tỉnh ủy về nói chuyện chuyên đề nhận diện luận điệu xuyên tạc.",
     "Lịch nói chuyện chuyên đề", "Buổi nói chuyện", "buổi", 2, "person"),
    ("Thi viết thu hoạch hay, chọn năm bài tốt nhất in trên bản tin cho đảng viên tham khảo.",
     "Năm bài được chọn in", "Bài dự thi", "bài", (30, 80), "org"),
    ("Chuyển biên bản họp chi bộ sang mẫu điện tử, nộp qua hệ thống chậm nhất ba ngày sau mỗi kỳ.",
     "Biên bản điện tử", "Chi bộ nộp đúng hạn", "%", 90, "org"),
    ("Kiểm tra đột xuất hai kỳ sinh hoạt chi bộ mỗi quý, xem có đọc lại văn bản thay cho thảo luận không.",
     "Biên bản kiểm tra đột xuất", "Kỳ sinh hoạt được kiểm tra", "kỳ", 8, "person"),
    ("Vận động doanh nghiệp trên địa bàn tài trợ xe đưa đảng viên cao tuổi ở {v1} đến điểm học tập trung.",
     "Biên bản nhận tài trợ", "Lượt đưa đón", "lượt", (20, 60), "org"),
]  # fmt: skip

#: Sentences about a cell's own situation.
CELL_SITUATIONS = [
    "Chi bộ có {members} đảng viên, gần một nửa đi làm xa, sinh hoạt thường thiếu người.",
    "Nhiều đảng viên của chi bộ là hưu trí, quen đọc sách báo in hơn điện thoại.",
    "Năm rồi chi bộ có hai bài thu hoạch bị trả lại vì chép bài mẫu trên mạng.",
    "Địa bàn có đông bà con Khmer, nhiều hộ còn khó khăn về nhà ở.",
    "Đường vào xóm trong còn là đường đất, mùa mưa xe máy không chạy được.",
    "Chi bộ mới kết nạp ba đảng viên trẻ, cần người kèm cặp trong năm đầu.",
    "Kỳ sinh hoạt trước chỉ đọc văn bản, chưa ai phát biểu liên hệ việc của xóm.",
    "Trong địa bàn có nhà trọ công nhân, nhiều người chưa đăng ký tạm trú.",
    "Vườn cây của nhiều hộ bị mặn năm ngoái, bà con đang lo vốn làm lại.",
    "Chi ủy mới kiện toàn, bí thư chi bộ lần đầu chủ trì việc học tập.",
]

#: Tasks of a cell's short programme, led by the cell or one of its members.
CELL_TASKS = [
    ("Chi ủy phân công mỗi chi ủy viên phụ trách một tổ đảng viên, nhắc tự học tài liệu trước kỳ sinh hoạt.",
     "Bảng phân công chi ủy viên", "Tổ đảng viên có người phụ trách", "tổ", 3, "org"),
    ("Hướng dẫn đảng viên lớn tuổi cài ứng dụng và mở tài liệu trên điện thoại tại nhà văn hóa.",
     "Danh sách người được hướng dẫn", "Đảng viên lớn tuổi dùng được ứng dụng", "người", (4, 12), "person"),
    ("Học bù cho đảng viên đi làm xa vào chiều Chủ nhật tại nhà đồng chí bí thư.",
     "Sổ điểm danh học bù", "Đảng viên được học bù", "người", (3, 8), "person"),
    ("Mỗi đảng viên viết tay bài thu hoạch, nêu ít nhất hai việc cụ thể của gia đình mình sẽ làm.",
     "Bài thu hoạch viết tay", "Đảng viên nộp thu hoạch", "%", 100, "org"),
    ("Đảng viên nhận đỡ đầu các hộ cận nghèo trong xóm, thăm hỏi mỗi tháng một lần.",
     "Danh sách hộ được đỡ đầu", "Hộ cận nghèo được đỡ đầu", "hộ", (4, 12), "org"),
    ("Vận động bà con ở {v1} làm hàng rào xanh và thắp sáng đường quê trước Tết.",
     "Tuyến đường được thắp sáng", "Hộ tham gia", "hộ", (20, 60), "person"),
    ("Dành trọn kỳ sinh hoạt tháng này thảo luận việc áp dụng chỉ thị ở xóm, không đọc lại văn bản.",
     "Biên bản sinh hoạt chuyên đề", "Đảng viên phát biểu", "người", (6, 15), "person"),
    ("Đọc tóm tắt chỉ thị trong buổi họp tổ nhân dân tự quản, ghi lại câu hỏi của bà con gửi Đảng ủy.",
     "Phiếu tổng hợp câu hỏi", "Buổi họp tổ có phần giới thiệu", "buổi", (2, 4), "org"),
    ("Giúp người chưa có điện thoại làm bài kiểm tra trắc nghiệm bằng máy tính của nhà văn hóa.",
     "Danh sách đã làm bài", "Đảng viên hoàn thành bài kiểm tra", "%", 100, "person"),
    ("Góp ý vào dự thảo chương trình của Đảng ủy bằng văn bản, nêu ba việc riêng của {v1}.",
     "Văn bản góp ý của chi bộ", "Ý kiến góp ý", "ý kiến", 3, "org"),
    ("Đảng viên trẻ kèm cặp đảng viên mới kết nạp ghi sổ tay nghị quyết trong ba tháng đầu.",
     "Sổ tay của đảng viên mới", "Đảng viên mới được kèm cặp", "người", (1, 3), "person"),
    ("Kiểm điểm những đảng viên vắng sinh hoạt hai kỳ liền không có lý do.",
     "Biên bản kiểm điểm", "Trường hợp được kiểm điểm", "người", (1, 3), "org"),
    ("Vận động con em trong xóm đi học đầy đủ, không để em nào bỏ học giữa năm.",
     "Danh sách học sinh có nguy cơ bỏ học", "Học sinh được vận động trở lại lớp", "em", (2, 6), "org"),
    ("Đảng viên đi đầu dọn vệ sinh kênh nội đồng vào sáng Chủ nhật cuối tháng.",
     "Ảnh và biên bản ra quân", "Mét kênh được khơi thông", "m", (200, 800), "person"),
    ("Lập sổ theo dõi cam kết tu dưỡng của từng người, chi ủy nhận xét vào cuối quý.",
     "Sổ theo dõi cam kết", "Đảng viên có cam kết", "%", 100, "org"),
    ("Mời trưởng xóm và chi hội trưởng các đoàn thể dự phần liên hệ thực tế của buổi học.",
     "Danh sách khách mời", "Người ngoài Đảng dự phần liên hệ", "người", (4, 8), "org"),
    ("Phân công một đồng chí làm báo cáo viên của chi bộ, chuẩn bị bài nói mười lăm phút mỗi kỳ.",
     "Bài nói chuyện chuẩn bị sẵn", "Kỳ có báo cáo viên của chi bộ", "kỳ", 6, "person"),
    ("Góp quỹ mua sổ ghi chép và tài liệu cho đảng viên có hoàn cảnh khó khăn.",
     "Sổ quỹ học tập", "Đảng viên được hỗ trợ", "người", (2, 6), "org"),
    ("Hướng dẫn bà con tạo tài khoản dịch vụ công và nộp hồ sơ trên điện thoại ngay tại nhà.",
     "Danh sách hộ được hướng dẫn", "Hộ có tài khoản dịch vụ công", "hộ", (15, 40), "person"),
    ("Đảng viên là giáo viên dạy thêm miễn phí buổi tối cho học sinh yếu ở {v1}.",
     "Lớp học buổi tối", "Học sinh được phụ đạo", "em", (8, 20), "person"),
    ("Đăng ký đưa {v1} đạt chuẩn khu dân cư kiểu mẫu trước cuối năm.",
     "Bản đăng ký khu dân cư kiểu mẫu", "Tiêu chí đạt được", "tiêu chí", (8, 10), "org"),
    ("Đi thăm vườn dừa hữu cơ của hộ làm giỏi, ghi cách làm để cả chi bộ áp dụng.",
     "Ghi chép buổi tham quan", "Hộ đảng viên áp dụng", "hộ", (3, 8), "org"),
    ("Ghi âm phần quán triệt của bí thư, gửi vào nhóm Zalo cho người vắng nghe lại.",
     "Tệp ghi âm buổi học", "Người vắng đã nghe lại", "người", (3, 8), "person"),
    ("Nắm tâm tư của bà con về bồi thường đất làm đường, báo cáo chi ủy trước ngày mười lăm hằng tháng.",
     "Báo cáo tình hình tư tưởng", "Báo cáo gửi chi ủy", "báo cáo", 6, "org"),
    ("Gặp công nhân mới đến thuê trọ, giới thiệu nơi sinh hoạt đoàn thể gần nhà.",
     "Danh sách công nhân được gặp", "Công nhân được giới thiệu", "người", (10, 30), "org"),
    ("Tự chấm điểm việc học tập sau mỗi quý bằng phiếu của Đảng ủy, gửi kết quả đúng hạn.",
     "Phiếu tự chấm điểm", "Quý gửi đúng hạn", "quý", 4, "org"),
    ("Cùng Chi hội Phụ nữ nhân rộng tổ tiết kiệm xoay vòng ở {v1}.",
     "Tổ tiết kiệm mới", "Hội viên tham gia", "người", (10, 30), "org"),
    ("Đảng viên cao tuổi kể chuyện truyền thống cho đoàn viên trong buổi sinh hoạt chung.",
     "Lịch sinh hoạt chung", "Buổi kể chuyện truyền thống", "buổi", 2, "person"),
    ("Bí thư trả lời thắc mắc của đảng viên trong mười phút đầu mỗi kỳ sinh hoạt.",
     "Sổ ghi câu hỏi và trả lời", "Câu hỏi được trả lời", "câu", (6, 15), "person"),
    ("Đặt hộp thư góp ý tại nhà văn hóa, mở hộp mỗi tháng một lần trước chi ủy.",
     "Hộp thư góp ý", "Lần mở hộp thư", "lần", 6, "org"),
    ("Rà lại danh sách hộ chưa có nước sạch, đề nghị xã ưu tiên kéo đường ống trong năm.",
     "Danh sách hộ chưa có nước sạch", "Hộ được đề nghị kéo nước", "hộ", (5, 20), "org"),
    ("Phân công đảng viên trực nhà văn hóa tối thứ Sáu cho thanh niên đến đọc sách.",
     "Lịch trực nhà văn hóa", "Tối mở cửa", "buổi", (12, 24), "org"),
]  # fmt: skip

#: The provincial blocs' own programmes (agencies, armed forces), given disjoint tasks.
BLOC_SITUATIONS = [
    "Nhiều đảng viên là lãnh đạo phòng, thường xuyên đi công tác nên khó dự học tập trung.",
    "Các chi bộ sở, ngành sinh hoạt trong giờ hành chính, thời gian liên hệ thực tế thường bị cắt ngắn.",
    "Đảng viên trẻ chiếm đông, quen học trên máy tính nhưng ít trao đổi trong sinh hoạt.",
    "Lực lượng trực sẵn sàng chiến đấu thay ca liên tục, phải chia nhiều đợt học.",
]
BLOC_TASKS = [
    ("Mỗi đảng bộ cơ sở gắn chỉ thị với một nhiệm vụ chuyên môn đang chậm của cơ quan, báo cáo kết quả theo quý.",
     "Danh mục nhiệm vụ chuyên môn gắn với chỉ thị", "Đảng bộ cơ sở đăng ký", "đảng bộ", (4, 8), "org"),
    ("Tổ chức học trực tuyến qua hệ thống hội nghị truyền hình của tỉnh cho đảng viên đang công tác ở huyện.",
     "Đường truyền và lịch học", "Đảng viên học trực tuyến", "người", (40, 120), "org"),
    ("Người đứng đầu các sở, ngành viết kế hoạch cá nhân, công khai trên cổng thông tin nội bộ.",
     "Kế hoạch cá nhân được công khai", "Người đứng đầu có kế hoạch", "người", (8, 12), "person"),
    ("Kiểm tra ngẫu nhiên bài thu hoạch của cán bộ lãnh đạo phòng, trả lại bài chép nhau.",
     "Thông báo kết quả kiểm tra", "Bài được kiểm tra", "bài", (20, 40), "person"),
    ("Chia lực lượng thành ba đợt học để không ảnh hưởng trực sẵn sàng chiến đấu.",
     "Kế hoạch chia đợt học", "Đợt học hoàn thành", "đợt", 3, "org"),
    ("Đưa nội dung chỉ thị vào giao ban đầu tuần của các phòng nghiệp vụ trong một tháng.",
     "Biên bản giao ban", "Buổi giao ban có nội dung", "buổi", 4, "org"),
    ("Tổ chức tọa đàm giữa đảng viên trẻ và lãnh đạo cơ quan về cách làm việc nêu gương.",
     "Kỷ yếu tọa đàm", "Đảng viên trẻ tham dự", "người", (30, 80), "person"),
    ("Lập chuyên mục hỏi - đáp trên trang thông tin nội bộ, giải đáp trong hai ngày làm việc.",
     "Chuyên mục hỏi - đáp", "Câu hỏi được giải đáp", "câu", (20, 60), "org"),
    ("Chấm điểm việc học tập của từng chi bộ trực thuộc, công bố xếp hạng trong hội nghị sơ kết.",
     "Bảng xếp hạng chi bộ", "Chi bộ được chấm điểm", "chi bộ", (6, 12), "org"),
    ("Cử cán bộ trẻ về giúp xã kết nghĩa tổ chức học tập cho đảng viên lớn tuổi.",
     "Danh sách cán bộ được cử", "Lượt cán bộ về xã", "lượt", (6, 12), "person"),
    ("Đưa tiêu chí nêu gương vào đánh giá cán bộ, công chức cuối năm của cơ quan.",
     "Quy định tiêu chí đánh giá", "Cán bộ được đánh giá theo tiêu chí", "%", 100, "org"),
    ("Tổ chức thi tìm hiểu trực tuyến cho đoàn viên thanh niên trong khối.",
     "Thể lệ và kết quả cuộc thi", "Lượt dự thi", "lượt", (150, 400), "org"),
]  # fmt: skip

#: The cell restating the province's duties (reworded a little, led by the province).
RESTATING_PREAMBLE = (
    "Thực hiện Chỉ thị số 28-CT/TU của Ban Thường vụ Tỉnh ủy, chi bộ xây dựng chương trình hành động nhằm "
    "khắc phục tình trạng cấp trên làm kỹ, cấp dưới làm lướt. Mục tiêu: mọi cấp ủy có chương trình riêng sát "
    "tình hình, được thông qua đúng hạn, có người chủ trì, thời hạn và chỉ tiêu cho từng việc."
)

COMMENTS = [
    "Đề nghị bổ sung việc học bù cho đảng viên đi làm ăn xa, năm rồi nhiều đồng chí không học được.",
    "Phần tình hình nên nêu số bài thu hoạch bị trả lại năm trước để thấy rõ việc phải sửa.",
    "Chương trình còn thiếu việc của Hội Nông dân và Đoàn Thanh niên, đề nghị giao thêm.",
    "Tôi đồng ý với dự thảo; đề nghị công khai kết quả từng quý cho đảng viên cùng theo dõi.",
]
TASK_COMMENTS = [
    "Thời hạn này trùng mùa thu hoạch lúa, đề nghị lùi sang cuối tháng sau.",
    "Chỉ tiêu hơi cao so với số đảng viên lớn tuổi của chúng tôi, đề nghị xem lại.",
    "Nên giao rõ cho một đồng chí chủ trì thay vì giao chung cho cả Đảng ủy.",
    "Đề nghị ghi rõ kinh phí lấy từ đâu, chi bộ không có quỹ cho việc này.",
]
REPORT_NOTES = {
    "hoan_thanh": [
        "Đã hoàn thành; biên bản và danh sách lưu tại văn phòng Đảng ủy.",
        "Hoàn thành đúng hạn, kết quả đã báo cáo tại giao ban tháng.",
        "Xong; đã gửi sản phẩm lên cấp trên qua hệ thống.",
    ],
    "dang_thuc_hien": [
        "Đang triển khai, đã làm được một phần; phần còn lại làm trong tháng tới.",
        "Đã làm ở một số ấp, còn lại chờ kinh phí.",
        "Đang thực hiện; vướng mùa vụ nên chậm hơn dự kiến.",
    ],
}
