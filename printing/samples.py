"""Sample cases for previews, benchmarks and tests (fictitious people; ID numbers with valid check digits)."""

from __future__ import annotations

import datetime as dt

from printing.data import ApplicantDoc, CaseDoc, HallDoc, MaterialLine, NoticeLine, PledgeDoc, TicketDoc

HALL = HallDoc(
    code="150929",
    name="四子王旗政务服务中心",
    address="内蒙古自治区乌兰察布市四子王旗乌兰花镇政务服务大楼一楼",
    phone="0474-5201234",
    consult_phone="0474-5201235",
    supervise_phone="0474-12345",
)

PERSON = ApplicantDoc(
    kind="person", name="巴特尔", id_kind="resident", id_no="150929198503150010", phone="13847412345",
    address="内蒙古自治区乌兰察布市四子王旗乌兰花镇团结路幸福小区3号楼2单元501室",
)

ORGANISATION = ApplicantDoc(
    kind="organisation", name="四子王旗草原人家农牧业专业合作社", id_kind="credit_code",
    id_no="93150929MA0N2XY13R", legal_rep="乌云其木格", contact="张丽", phone="0474-5209876",
    address="四子王旗吉生太镇忽鸡图嘎查", proxy_name="张丽", proxy_id_no="150929199002020028",
    proxy_phone="13904741234",
)

FIRE_PLEDGE = PledgeDoc(
    basis="《中华人民共和国消防法》第十五条",
    content="经营场所符合消防技术标准和管理规定，消防设施、器材配置齐全完好。",
    text="本经营场所已按消防技术标准配置消防设施和器材，疏散通道、安全出口畅通。",
    verification="实地核查",
    personal=True,
)

ACCEPTED = dt.datetime(2026, 3, 9, 10, 24)


def person_normal() -> CaseDoc:
    """正常受理: a herder's 最低生活保障 application, everything received."""
    return CaseDoc(
        case_no="1509292603090100129", hall=HALL, applicant=PERSON, matter_code="MZ-0031",
        matter_name="最低生活保障审核确认", department="四子王旗民政局", decision="normal",
        accepted_at=ACCEPTED, matter_kind="行政给付", promised_label="10个工作日", legal_label="30个工作日",
        promised_due=dt.date(2026, 3, 23), legal_due=dt.date(2026, 4, 21), fee="不收费",
        result_name="最低生活保障审核确认通知书", window_number=3, clerk_name="萨仁",
        clerk_phone="0474-5201203",
        materials=(
            MaterialLine("id_card", "申请人居民身份证", "e_license", core=True),
            MaterialLine("hukou", "户口簿", "original", copies=1, core=True),
            MaterialLine("income", "家庭收入情况说明", "original", copies=1),
            MaterialLine("bank", "银行账户（一卡通）复印件", "copy", copies=1, form="copy"),
        ),
    )


def organisation_mixed() -> CaseDoc:
    """容缺受理 with a pledged and a deferred material, for a cooperative (organisation applicant)."""
    return CaseDoc(
        case_no="1509292603090200074", hall=HALL, applicant=ORGANISATION, matter_code="SC-0102",
        matter_name="食品经营许可（仅销售预包装食品备案以外的情形）", department="四子王旗市场监督管理局",
        decision="deferred", accepted_at=ACCEPTED, matter_kind="行政许可",
        matter_basis="《中华人民共和国食品安全法》第三十五条",
        promised_label="5个工作日", legal_label="20个工作日", promised_due=dt.date(2026, 3, 16),
        legal_due=dt.date(2026, 4, 7), supplement_due=dt.date(2026, 3, 12), fee="不收费",
        result_name="食品经营许可证", delivery="mail",
        mail_address="内蒙古自治区乌兰察布市四子王旗吉生太镇忽鸡图嘎查委员会 转 张丽（邮编 011800）",
        window_number=5, clerk_name="王海燕", clerk_phone="0474-5201205",
        materials=(
            MaterialLine("application", "食品经营许可申请书", "original", core=True),
            MaterialLine("license", "营业执照", "e_license", core=True),
            MaterialLine("layout", "经营场所平面布局图及设备布局、工艺流程图", "deferred", copies=1,
                         due=dt.date(2026, 3, 12)),
            MaterialLine("rules", "食品安全管理制度文本", "deferred", copies=2, form="original",
                         due=dt.date(2026, 3, 12)),
            MaterialLine("fire", "消防安全检查合格证明", "pledge", pledge=FIRE_PLEDGE),
            MaterialLine("proxy_letter", "授权委托书", "original"),
        ),
        reasons=("核心材料齐全，2项次要材料容缺",),
    )


def person_supplement() -> CaseDoc:
    """补正告知: core materials missing or defective; the 补正材料通知书 lists everything still needed, once."""
    return CaseDoc(
        case_no="1509292603090300035", hall=HALL, applicant=PERSON, matter_code="GA-0201",
        matter_name="户口迁移（投靠类）", department="四子王旗公安局", decision="supplement",
        state="awaiting_correction", accepted_at=ACCEPTED, matter_kind="行政确认", promised_label="3个工作日",
        legal_label="20个工作日", window_number=2, clerk_name="萨仁", correction_due=dt.date(2026, 3, 16),
        materials=(
            MaterialLine("id_card", "申请人居民身份证", "original", core=True),
            MaterialLine("relation", "亲属关系证明（结婚证或出生医学证明）", "missing", core=True),
            MaterialLine("consent", "被投靠人同意投靠的书面意见", "defective", core=True),
            MaterialLine("housing", "合法稳定住所证明", "missing"),
        ),
        reasons=("申请材料不齐全或者不符合法定形式，一次性告知申请人补正（《中华人民共和国行政许可法》第三十二条第一款第（四）项）",
                 "未提交\"亲属关系证明（结婚证或出生医学证明）\"", "\"被投靠人同意投靠的书面意见\"不符合法定形式，须补正"),
        notice=(
            NoticeLine("亲属关系证明（结婚证或出生医学证明）", 1, "原件", "核心材料未提交，不能容缺",
                       "可调取电子证照（结婚证）"),
            NoticeLine("被投靠人同意投靠的书面意见", 1, "原件", "不符合法定形式（缺被投靠人签名），须补正"),
            NoticeLine("合法稳定住所证明", 1, "原件", "未提交", "可容缺后补（5个工作日内）；可告知承诺"),
        ),
        notice_items=("被投靠人须本人到场，或出具经公证的同意投靠书面意见。",),
    )


def person_refused() -> CaseDoc:
    """不予受理 on a ground the clerk picked (not this authority's), naming the competent authority."""
    return CaseDoc(
        case_no="1509292603090300043", hall=HALL, applicant=PERSON, matter_code="GA-0201",
        matter_name="户口迁移（投靠类）", department="四子王旗公安局", decision="refused", state="refused_at_counter",
        accepted_at=ACCEPTED, matter_kind="行政确认", promised_label="3个工作日", legal_label="20个工作日",
        window_number=2, clerk_name="萨仁",
        reasons=("不予受理：申请事项依法不属于本行政机关职权范围",
                 "依据：《中华人民共和国行政许可法》第三十二条第一款第（二）项",
                 "告知申请人向锡林郭勒盟阿巴嘎旗公安局户政管理大队申请"),
        refusal_ground="申请事项依法不属于本行政机关职权范围",
        refusal_basis="《中华人民共和国行政许可法》第三十二条第一款第（二）项",
        competent_office="锡林郭勒盟阿巴嘎旗公安局户政管理大队",
    )


def long_case(count: int = 40) -> CaseDoc:
    """A case with very long names and addresses and ``count`` materials: must wrap and paginate."""
    long_address = "内蒙古自治区锡林郭勒盟阿巴嘎旗别力古台镇" + "巴彦图嘎嘎查第三牧业小组" * 4 + "东侧第七户"
    applicant = ApplicantDoc(
        kind="organisation", name="内蒙古" + "草原生态畜牧业综合开发" * 3 + "有限责任公司",
        id_kind="credit_code", id_no="91150929MA0N2XY130", legal_rep="额尔敦巴雅尔", phone="0479-1234567",
        address=long_address,
    )
    materials = tuple(
        MaterialLine(f"m{i}", f"第{i}项材料：" + "项目可行性研究报告及环境影响评价批复文件" * (1 + i % 3),
                     ("original", "copy", "deferred", "pledge", "e_license")[i % 5], copies=1 + i % 3,
                     due=dt.date(2026, 3, 20) if i % 5 == 2 else None,
                     pledge=FIRE_PLEDGE if i % 5 == 3 else None)
        for i in range(1, count + 1)
    )
    base = organisation_mixed()
    return CaseDoc(**{**base.__dict__, "applicant": applicant, "materials": materials,
                      "matter_name": "草原征占用审核审批（" + "临时占用草原及在草原上修建直接为草原保护服务的工程设施" * 2 + "）",
                      "mail_address": long_address})


def ticket() -> TicketDoc:
    return TicketDoc(code="A012", category="A", category_name="社保医保", hall_code=HALL.code, hall_name=HALL.name,
                     issued_at=dt.datetime(2026, 3, 9, 9, 41), ahead=7,
                     category_name_mn="ᠨᠡᠶᠢᠭᠡᠮ ᠦᠨ ᠳᠠᠭᠠᠲᠬᠠᠯ ᠪᠠ ᠡᠮᠨᠡᠯᠭᠡ ᠶᠢᠨ ᠳᠠᠭᠠᠲᠬᠠᠯ",
                     notice="请按号码顺序办理业务，过号请到服务台重新取号。")
