"""The periodic BVCTNB work report, seeded with the figures issue 13 lists. The official forms
of Hướng dẫn 11-HD/BTCTW have not been read here: sections and rows are configuration, to be
aligned with the forms in use (docs/reports.md)."""

from django.db import migrations

CASE_TYPES = [
    ("UNG_CU_QH", "Ứng cử đại biểu Quốc hội"),
    ("UNG_CU_HDND", "Ứng cử đại biểu Hội đồng nhân dân"),
    ("NHAN_SU_DH", "Nhân sự đại hội đảng"),
    ("BO_NHIEM", "Đề bạt, bổ nhiệm"),
    ("QUY_HOACH", "Quy hoạch cán bộ"),
    ("LUAN_CHUYEN", "Luân chuyển cán bộ"),
    ("KET_NAP", "Kết nạp đảng viên"),
    ("TRONG_YEU", "Bố trí vào vị trí trọng yếu, cơ mật"),
    ("RA_NUOC_NGOAI", "Ra nước ngoài"),
    ("QUAN_HE_NN", "Quan hệ với tổ chức, cá nhân nước ngoài"),
    ("KET_HON_NN", "Kết hôn với người nước ngoài"),
    ("DON_THU", "Đơn thư về tiêu chuẩn chính trị"),
    ("KHAC", "Thẩm tra, xác minh khác"),
]

SECTIONS = [
    (
        "I. Công tác thẩm tra, xác minh, thẩm định, kết luận tiêu chuẩn chính trị",
        "Tình hình tiếp nhận, giải quyết hồ sơ; những vụ việc phức tạp; kết quả nổi bật.",
        [
            ("Số hồ sơ tiếp nhận", "cases.received", "", 0),
            *[
                (f"Trong đó: {name}" if i == 0 else name, "cases.received", code, 1)
                for i, (code, name) in enumerate(CASE_TYPES)
            ],
            ("Số hồ sơ đã kết luận", "cases.concluded", "", 0),
            ("Số hồ sơ đang giải quyết cuối kỳ", "cases.open", "", 0),
            ("Trong đó: quá hạn", "cases.overdue", "", 1),
            ("Số hồ sơ rút", "cases.withdrawn", "", 0),
            ("Số kết luận tiêu chuẩn chính trị đã ký", "conclusions.outcome", "", 0),
        ],
    ),
    (
        "II. Phiếu yêu cầu thẩm tra, xác minh",
        "Phối hợp với cơ quan công an, các tỉnh ủy, thành ủy; những phiếu quá hạn và lý do.",
        [
            ("Số phiếu đã gửi", "requests.issued", "", 0),
            ("Số người được xác minh", "requests.persons", "", 1),
            ("Số phiếu đã được trả lời", "requests.answered", "", 0),
            ("Số phiếu quá hạn chưa trả lời", "requests.overdue", "", 0),
        ],
    ),
    (
        "III. Xác minh, nghiên cứu giúp",
        "Kết quả xác minh, nghiên cứu hồ sơ giúp các tỉnh, thành ủy và cơ quan khác.",
        [
            ("Số đề nghị nhận được", "help.received", "", 0),
            ("Số đề nghị đã trả lời", "help.answered", "", 0),
            ("Số đề nghị quá hạn", "help.overdue", "", 0),
        ],
    ),
    (
        "IV. Tiếp nhận, giải quyết đơn thư",
        "Tình hình đơn thư liên quan đến tiêu chuẩn chính trị; kết quả giải quyết.",
        [
            ("Số đơn thư tiếp nhận", "petitions.received", "", 0),
            ("Số đơn không xem xét, giải quyết", "petitions.not_handled", "", 1),
            ("Số đơn chuyển cơ quan có thẩm quyền", "petitions.forwarded", "", 1),
            ("Số đơn thụ lý giải quyết", "petitions.accepted", "", 0),
            ("Số đơn đã có kết luận", "petitions.concluded", "", 0),
            ("Số đơn quá hạn", "petitions.overdue", "", 0),
        ],
    ),
    (
        "V. Quản lý đảng viên đi nước ngoài",
        "Việc xét duyệt, quản lý đảng viên ra nước ngoài; báo cáo sau chuyến đi, hộ chiếu.",
        [
            ("Số lượt đảng viên được đồng ý ra nước ngoài", "trips.approved", "", 0),
            ("Số báo cáo sau chuyến đi quá hạn", "trips.report_overdue", "", 0),
            ("Số hộ chiếu chưa nộp lại đúng hạn", "trips.passport_overdue", "", 0),
        ],
    ),
    (
        "VI. Biến động đảng viên",
        "",
        [
            ("Kết nạp đảng viên", "members.events", "admission", 0),
            ("Công nhận đảng viên chính thức", "members.events", "official", 0),
            ("Chuyển sinh hoạt đến", "members.events", "transfer_in", 0),
            ("Chuyển sinh hoạt đi", "members.events", "transfer_out", 0),
            ("Từ trần", "members.events", "death", 0),
            ("Ra khỏi Đảng", "members.events", "left", 0),
        ],
    ),
    ("VII. Đánh giá chung", "Ưu điểm, hạn chế, nguyên nhân; kiến nghị, đề xuất.", []),
    ("VIII. Phương hướng, nhiệm vụ kỳ tới", "", []),
]


def seed(apps, schema_editor):
    ReportForm = apps.get_model("reports", "ReportForm")
    FormSection = apps.get_model("reports", "FormSection")
    FormRow = apps.get_model("reports", "FormRow")
    form = ReportForm.objects.create(
        code="BVCTNB",
        title="Báo cáo kết quả công tác bảo vệ chính trị nội bộ",
        summary="Kết quả công tác bảo vệ chính trị nội bộ",
        cutoff_day=0,
        due_days=5,
        recipients="Ban Tổ chức cấp ủy cấp trên\nThường trực cấp ủy\nLưu văn phòng",
    )
    for order, (heading, guidance, rows) in enumerate(SECTIONS, start=1):
        section = FormSection.objects.create(
            form=form, order=order, heading=heading, guidance=guidance
        )
        FormRow.objects.bulk_create(
            FormRow(
                section=section, order=n, label=label, indicator=code, value=value, indent=indent
            )
            for n, (label, code, value, indent) in enumerate(rows, start=1)
        )


def unseed(apps, schema_editor):
    apps.get_model("reports", "ReportForm").objects.filter(code="BVCTNB").delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_forms_and_reports")]
    operations = [migrations.RunPython(seed, unseed)]
