"""Seed the verification plans and the validity rules of the case types, and the recruitment
type (tuyển dụng). Defaults, editable on the case-type page (docs/vetting.md says where each
comes from).

A type gets a new version with its plan and validity copied onto the current one, never an
edit of a version: cases opened before keep the version they had, without a plan, and are not
held. A type an administrator already gave a plan or a validity rule is left as it is.
"""

from django.db import migrations
from django.db.models import Max

# HD 01-HD/TW (2021) §3.4 a): the person, their father and mother (or whoever raised them),
# the spouse's parents, the spouse, and the natural children of full civil capacity (18+).
FAMILY = [
    {"label": "Bản thân", "codes": ["self"], "adult": False},
    {
        "label": "Bố đẻ hoặc người trực tiếp nuôi dưỡng",
        "codes": ["own:bo-de", "own:bo-nuoi", "own:nguoi-nuoi-duong"],
        "adult": False,
    },
    {
        "label": "Mẹ đẻ hoặc người trực tiếp nuôi dưỡng",
        "codes": ["own:me-de", "own:me-nuoi", "own:nguoi-nuoi-duong"],
        "adult": False,
    },
    {
        "label": "Bố vợ / bố chồng",
        "codes": ["bo-vo-chong", "spouse:bo-de", "spouse:bo-nuoi"],
        "adult": False,
    },
    {
        "label": "Mẹ vợ / mẹ chồng",
        "codes": ["me-vo-chong", "spouse:me-de", "spouse:me-nuoi"],
        "adult": False,
    },
    {"label": "Vợ hoặc chồng", "codes": ["vo", "chong"], "adult": False},
    {"label": "Con đẻ từ đủ 18 tuổi", "codes": ["con-de"], "adult": True},
]
# The family circle of admission is the practice for the personnel decisions too; types
# without a known rule (foreign relations and marriage, petitions, other, travel) get none.
PLANS = {
    code: FAMILY
    for code in (
        "KET_NAP",
        "BO_NHIEM",
        "QUY_HOACH",
        "LUAN_CHUYEN",
        "UNG_CU_QH",
        "UNG_CU_HDND",
        "NHAN_SU_DH",
        "TRONG_YEU",
    )
}
# Months a conclusion serves, where a rule gives a length: the five-year term of an
# appointment (Quy định 80-QĐ/TW) and of a planning (Quy định 50-QĐ/TW). Elsewhere none: a
# conclusion serves until a new one, or until an officer records its end.
VALIDITY = {"BO_NHIEM": 60, "QUY_HOACH": 60}

STANDARD = [
    ["DU", "Đủ tiêu chuẩn chính trị"],
    ["CHUA_DU_CAN_CU", "Chưa đủ căn cứ kết luận, tiếp tục thẩm tra, xác minh"],
    ["KHONG_DU", "Không đủ tiêu chuẩn chính trị"],
]
ALL = ["review", "verification", "compiling", "proposal"]
RECRUITMENT = {
    "name": "Tuyển dụng",
    "period_days": 30,
    "period_unit": "working",
    "pausable": True,
    "default_classification": 1,
    "min_team_size": 3,
    "reply_days": 15,
    "outcomes": STANDARD,
    "steps": ALL,
    "plan_relations": FAMILY,
    "validity_months": None,
}
COPIED = (
    "name", "period_days", "period_unit", "pausable", "default_classification",
    "min_team_size", "reply_days", "outcomes", "steps",
)  # fmt: skip


def seed(apps, schema_editor):
    CaseType = apps.get_model("vetting", "CaseType")
    Version = apps.get_model("vetting", "CaseTypeVersion")
    for code in sorted(set(PLANS) | set(VALIDITY)):
        case_type = CaseType.objects.filter(code=code, current__isnull=False).first()
        if case_type is None:
            continue
        current = Version.objects.get(pk=case_type.current_id)
        if current.plan_relations or current.validity_months is not None:
            continue
        last = Version.objects.filter(case_type=case_type).aggregate(n=Max("number"))["n"]
        case_type.current = Version.objects.create(
            case_type=case_type,
            number=last + 1,
            plan_relations=PLANS.get(code, []),
            validity_months=VALIDITY.get(code),
            **{name: getattr(current, name) for name in COPIED},
        )
        case_type.save(update_fields=["current"])
    recruitment, _ = CaseType.objects.get_or_create(code="TUYEN_DUNG")
    if recruitment.current_id is None:
        recruitment.current = Version.objects.create(case_type=recruitment, number=1, **RECRUITMENT)
        recruitment.save(update_fields=["current"])


class Migration(migrations.Migration):
    dependencies = [("vetting", "0006_plan")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
