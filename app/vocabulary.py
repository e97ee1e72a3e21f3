"""The words people read for the counter's codes: one table per concept, for screens, paper, reports and the CLI."""

from __future__ import annotations

# 受理结论 (the checklist's outcome).
DECISION_LABELS: dict[str, str] = {
    "normal": "正常受理",
    "deferred": "容缺受理",
    "pledge": "告知承诺",
    "supplement": "补正告知",
    "refused": "不予受理",
}

# 办件状态.
CASE_STATE_LABELS: dict[str, str] = {
    "accepted": "已受理",
    # 补正告知: the papers are registered (收件) and the applicant told once what to 补正; not yet 受理.
    "awaiting_correction": "收件-待补正",
    "awaiting_supplement": "待补齐容缺材料",
    "forwarded": "审批中",
    "approved": "已办结（准予）",
    "refused": "已办结（不予许可）",
    "ready": "待领取",
    "handed_over": "已出件",
    "mailed": "已邮寄",
    "terminated": "已终止",
    "revoked": "已撤销（不实承诺）",
    # 不予受理 at the counter is recorded too, so its notice prints by case_no and reports count it.
    "refused_at_counter": "不予受理",
    # 代收 at a 苏木乡镇/嘎查村 point: registered here, to be 受理 by the deciding office (app.cases.levels).
    "collected": "已代收-待受理",
}

# What happened to a case (its history).
CASE_EVENT_LABELS: dict[str, str] = {
    "accept": "受理",
    "forward": "转办至后台",
    "approve": "准予许可",
    "refuse": "不予许可",
    "supplement": "补交容缺材料",
    "flag": "补正逾期标记",
    "terminate": "终止办理",
    "ready": "结果到窗口",
    "hand_over": "窗口出件",
    "mail": "政务专递寄出",
    "late_result": "终止后收到审批结果",
    "extend": "延长办理期限（第四十二条）",
    "clock_stop": "暂停计时",
    "clock_resume": "恢复计时",
    "return": "后台退回补正",
    "check_result": "告知承诺核查",
    "revoke": "撤销决定（不实承诺）",
    "credit": "记入信用记录",
    "correct_on_spot": "当场更正",
    "correction": "补正材料",
    "deemed_accept": "逾期未告知补正，视为受理",
    "collect": "代收（收件转办）",
    "office_accept": "受理机关受理",
}

# What a clerk can do with a case now.
CASE_ACTION_LABELS: dict[str, str] = {
    "supplement": "补齐容缺材料",
    "complete_correction": "补正材料后继续受理",
    "complete_review": "审查材料：受理或一次性告知补正",
    "terminate": "终止办理",
    "confirm_termination": "确认终止（补正逾期）",
    "mark_ready": "结果已到窗口",
    "hand_over": "窗口出件",
    "mail": "政务专递邮寄",
    "print_receipt": "打印受理回执",
    "print_deferral_notice": "打印容缺受理通知书",
    "print_deferral_pledge": "打印容缺受理承诺书",
    "print_supplement_notice": "打印补正材料通知书",
    "print_mailing": "打印邮寄单",
    "print_pledge": "打印告知承诺书",
    "print_refusal": "打印不予受理决定书",
    "print_one_time_notice": "打印一次性告知书",
    "print_pickup": "打印领取凭证",
    "print_termination_notice": "打印终止办理通知书",
    "print_supply_receipt": "打印补交材料回执",
    "print_extension_notice": "打印延期告知书",
    "print_revocation": "打印撤销决定书",
    "extend": "延长办理期限",
    "stop_clock": "暂停计时（第四十五条）",
    "resume_clock": "恢复计时",
}

# 告知承诺 事中事后核查: how a pledge is checked, and what was found.
CHECK_METHOD_LABELS: dict[str, str] = {"data": "数据核验", "site": "现场核查", "document": "材料核查"}
CHECK_STATE_LABELS: dict[str, str] = {"open": "待核查", "true": "属实", "false": "不实"}

# The counter's worklist (待办), in the order it lists them.
WORK_KIND_LABELS: dict[str, str] = {
    "deemed_accepted": "逾期未告知补正，已视为受理",
    "review_due": "收件审查，待告知是否补正",
    "supplement_lapsed": "容缺逾期，待终止",
    "supplement_due": "容缺补交临近",
    "returned": "后台退回补正",
    "check_overdue": "核查已逾期",
    "check_open": "待核查",
}

# Periods that do not count towards a case's deadline (行政许可法 §45), and the back office's return for 补正.
CLOCK_STOP_LABELS: dict[str, str] = {
    "hearing": "听证",
    "tender": "招标",
    "auction": "拍卖",
    "inspection": "检验",
    "testing": "检测",
    "quarantine": "检疫",
    "appraisal": "鉴定",
    "expert_review": "专家评审",
    "supplement": "后台退回补正",
}

# Credit records the counter makes, and the kinds of entry on the excluded list.
CREDIT_KIND_LABELS: dict[str, str] = {"supplement_lapse": "容缺材料逾期未补交", "false_pledge": "告知承诺不实"}

# How a material was received at the counter (the checklist's states).
MATERIAL_STATE_LABELS: dict[str, str] = {
    "original": "原件",
    "copy": "复印件",
    "e_license": "电子证照",
    "deferred": "容缺后补",
    "pledge": "告知承诺",
    "defective": "不符合法定形式",
    "missing": "未提交",
}

# The form the catalog asks a material in.
MATERIAL_FORM_LABELS: dict[str, str] = {
    "original": "原件",
    "copy": "复印件",
    "original_and_copy": "原件及复印件",
    "electronic": "电子材料",
}

TIME_UNIT_LABELS: dict[str, str] = {"workday": "个工作日", "day": "个自然日", "hour": "小时"}
SCOPE_LABELS: dict[str, str] = {"local": "本地办理", "region_wide": "全区通办", "cross_province": "跨省通办"}

# Identity documents, by the kind ``app.identity.check_id`` recognises.
ID_KIND_LABELS: dict[str, str] = {
    "resident": "居民身份证",
    "resident15": "居民身份证（15 位旧号码）",
    "hmt_permit": "港澳台居民居住证",
    "foreign_pr": "外国人永久居留身份证",
    "foreign_pr_old": "外国人永久居留身份证（旧版 15 位）",
    "credit_code": "统一社会信用代码",
    "unknown": "未能识别的证件号码",
}

# 号票.
TICKET_STATE_LABELS: dict[str, str] = {
    "issuing": "出票中",
    "waiting": "等候",
    "called": "已叫号",
    "serving": "办理中",
    "done": "已办结",
    "skipped": "过号",
    "void": "作废",
}
# 绿色通道 kinds. ``military`` is 军人 and 消防救援人员 alike (军人、消防救援人员 依法优先: the 军人地位和权益保障法 and
# the rules that extend its 优先 to the 国家综合性消防救援队伍). The kiosk cannot check any kind: the clerk confirms
# at the window (ui/kiosk.py says so on screen).
PRIORITY_LABELS: dict[str, str] = {"elder": "老年人", "disabled": "残疾人", "military": "军人/消防", "pregnant": "孕妇"}

# 好差评.
RATING_INDICATOR_LABELS: dict[str, str] = {
    "overall": "整体满意度",
    "efficiency": "服务效率",
    "service": "服务水平",
    "attitude": "服务态度",
}
RATING_LEVEL_LABELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
# What a 差评 is about, offered as large choices on the rating screen (the 好差评 rules ask a 差评 for its reason);
# 其他 asks for the applicant's own words.
RATING_BAD_REASONS: tuple[str, ...] = ("等候时间长", "办理时间长", "服务态度不好", "材料要求不清楚", "多次跑腿", "其他")
RATING_OTHER_REASON = "其他"
FOLLOW_UP_LABELS: dict[str, str] = {"open": "待回访", "done": "已回访"}



# 蒙古文 (traditional script) for the fixed wording of applicant-facing papers, tickets and screens, keyed by the
# Chinese it stands beside. The one home of this wording: printing, the kiosk and the display look it up here.
# Source: composed for this product from standard Inner Mongolian administrative vocabulary (the Latin
# transliteration follows each entry); not yet checked by the 旗 语委 — docs/mongolian.md lists the terms to confirm.
# Suffixes are joined with U+202F (NNBSP) and a detached final a/e with U+180E (MVS), as the Unicode model asks.
MONGOLIAN: dict[str, str] = {
    # Screens (display, kiosk, rating) and the papers' field labels and section headings.
    "受理方式": "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠠᠷᠭ᠎ᠠ",  # küliyen abqu arγ~a
    "事项编码": "ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠦᠨ ᠺᠣᠳ",  # ajil kereg-ün Kod
    "办理结果": "ᠪᠦᠲᠦᠭᠡᠭᠰᠡᠨ ᠦᠷ᠎ᠡ ᠳᠦᠨ",  # bütügegsen ür~e dün
    "收费标准": "ᠲᠥᠯᠪᠦᠷᠢ ᠶᠢᠨ ᠬᠡᠮᠵᠢᠶ᠎ᠡ",  # tölbüri-yin kemjiy~e
    "姓名": "ᠣᠪᠤᠭ ᠨᠡᠷ᠎ᠡ",  # obuγ ner~e
    "联系电话": "ᠬᠣᠯᠪᠤᠭ᠎ᠠ ᠪᠠᠷᠢᠬᠤ ᠤᠲᠠᠰᠤ",  # qolbuγ~a bariqu utasu
    "住址": "ᠰᠠᠭᠤᠭ᠎ᠠ ᠭᠠᠵᠠᠷ",  # saγuγ~a γajar
    "联系人": "ᠬᠣᠯᠪᠤᠭ᠎ᠠ ᠪᠠᠷᠢᠬᠤ ᠬᠦᠮᠦᠨ",  # qolbuγ~a bariqu kümün
    "代办人": "ᠣᠷᠣᠯᠠᠨ ᠪᠦᠲᠦᠭᠡᠭᠴᠢ",  # orolan bütügegči
    "单位名称": "ᠠᠯᠪᠠᠨ ᠪᠠᠢᠭᠤᠯᠯᠠᠭ᠎ᠠ ᠶᠢᠨ ᠨᠡᠷ᠎ᠡ",  # alban baiγullaγ~a-yin ner~e
    "统一社会信用代码": "ᠨᠡᠶᠢᠭᠡᠮ ᠦᠨ ᠢᠲᠡᠭᠡᠯ ᠦᠨ ᠨᠡᠭᠡᠳᠦᠭᠰᠡᠨ ᠺᠣᠳ",  # neyigem-ün itegel-ün negedügsen Kod
    "法定代表人": "ᠬᠠᠤᠯᠢ ᠶᠢᠨ ᠲᠥᠯᠥᠥᠭᠡᠯᠡᠭᠴᠢ",  # qauli-yin tölöögelegči
    "单位地址": "ᠠᠯᠪᠠᠨ ᠪᠠᠢᠭᠤᠯᠯᠠᠭ᠎ᠠ ᠶᠢᠨ ᠬᠠᠶᠢᠭ",  # alban baiγullaγ~a-yin qayiγ
    "受理机构": "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠪᠠᠢᠭᠤᠯᠯᠠᠭ᠎ᠠ",  # küliyen abuγsan baiγullaγ~a
    "实施机构": "ᠬᠡᠷᠡᠭᠯᠡᠭᠦᠯᠬᠦ ᠪᠠᠢᠭᠤᠯᠯᠠᠭ᠎ᠠ",  # kereglegülkü baiγullaγ~a
    "受理人": "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠬᠦᠮᠦᠨ",  # küliyen abuγsan kümün
    "咨询电话": "ᠯᠠᠪᠠᠯᠠᠬᠤ ᠤᠲᠠᠰᠤ",  # labalaqu utasu
    "监督电话": "ᠬᠢᠨᠠᠨ ᠬᠢᠨᠠᠬᠤ ᠤᠲᠠᠰᠤ",  # qinan kinaqu utasu
    "进度查询": "ᠶᠠᠪᠤᠴᠠ ᠶᠢ ᠯᠠᠪᠠᠯᠠᠬᠤ",  # yabuča-yi labalaqu
    "结果领取": "ᠦᠷ᠎ᠡ ᠳᠦᠨ ᠢ ᠠᠪᠬᠤ",  # ür~e dün-i abqu
    "事项类型": "ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠦᠨ ᠲᠥᠷᠦᠯ",  # ajil kereg-ün törül
    "编号": "ᠳᠤᠭᠠᠷ",  # dugar
    "收件编号": "ᠪᠠᠷᠢᠮᠲᠠ ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠳᠤᠭᠠᠷ",  # barimta küliyen abuγsan dugar
    "受理时间": "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠴᠠᠭ",  # küliyen abuγsan čaγ
    "接收时间": "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠴᠠᠭ",  # küliyen abuγsan čaγ
    "承诺办结时限": "ᠠᠮᠠᠯᠠᠭᠰᠠᠨ ᠪᠦᠲᠦᠭᠡᠬᠦ ᠬᠤᠭᠤᠴᠠᠭ᠎ᠠ",  # amalaγsan bütügekü qugučaγ~a
    "法定办结时限": "ᠬᠠᠤᠯᠢ ᠶᠢᠨ ᠪᠦᠲᠦᠭᠡᠬᠦ ᠬᠤᠭᠤᠴᠠᠭ᠎ᠠ",  # qauli-yin bütügekü qugučaγ~a
    "证件号码": "ᠭᠡᠷᠡᠴᠢᠯᠡᠭᠡ ᠶᠢᠨ ᠳᠤᠭᠠᠷ",  # gerečilege-yin dugar
    "办件信息": "ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠦᠨ ᠮᠡᠳᠡᠭᠡ ᠰᠡᠳᠬᠦᠯ",  # ajil kereg-ün medege sedkül
    "收件材料清单": "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠪᠠᠷᠢᠮᠲᠠ ᠶᠢᠨ ᠵᠢᠭᠰᠠᠭᠠᠯᠲ",  # küliyen abuγsan barimta-yin jigsaγalt
    "办理时限": "ᠪᠦᠲᠦᠭᠡᠬᠦ ᠬᠤᠭᠤᠴᠠᠭ᠎ᠠ",  # bütügekü qugučaγ~a
    "进度查询与结果领取": "ᠶᠠᠪᠤᠴᠠ ᠶᠢ ᠯᠠᠪᠠᠯᠠᠬᠤ ᠪᠠ ᠦᠷ᠎ᠡ ᠳᠦᠨ ᠢ ᠠᠪᠬᠤ",  # yabuča-yi labalaqu ba ür~e dün-i abqu
    "不予受理的理由和依据": "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠦᠭᠡᠢ ᠰᠢᠯᠲᠠᠭᠠᠨ ᠪᠠ ᠦᠨᠳᠦᠰᠯᠡᠯ",  # küliyen abqu ügei siltaγan ba ündüslel
    "申请人的权利": "ᠭᠤᠶᠤᠴᠢ ᠶᠢᠨ ᠡᠷᠬᠡ",  # γuyuči-yin erke
    "尚需提交的材料": "ᠪᠡᠷ᠎ᠡ ᠲᠤᠱᠢᠶᠠᠬᠤ ᠪᠠᠷᠢᠮᠲᠠ",  # ber~e tušiyaqu barimta
    "其他需要说明的事项": "ᠪᠤᠰᠤ ᠲᠠᠶᠢᠯᠪᠤᠷᠢᠯᠠᠬᠤ ᠬᠡᠷᠡᠭ",  # busu tayilburilaqu kereg
    "办理的事项": "ᠪᠦᠲᠦᠭᠡᠬᠦ ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ",  # bütügekü ajil kereg
    "收取的材料": "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠪᠠᠷᠢᠮᠲᠠ",  # küliyen abuγsan barimta
    "说明": "ᠲᠠᠶᠢᠯᠪᠤᠷᠢ",  # tayilburi
    "事项基本信息": "ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠦᠨ ᠦᠨᠳᠦᠰᠦᠨ ᠮᠡᠳᠡᠭᠡ ᠰᠡᠳᠬᠦᠯ",  # ajil kereg-ün ündüsün medege sedkül
    "需要补正的材料": "ᠨᠥᠬᠦᠵᠦ ᠵᠠᠰᠠᠬᠤ ᠪᠠᠷᠢᠮᠲᠠ",  # nöküjü jasaqu barimta
    "补正方式与受理": "ᠨᠥᠬᠦᠵᠦ ᠵᠠᠰᠠᠬᠤ ᠠᠷᠭ᠎ᠠ ᠪᠠ ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ",  # nöküjü jasaqu arγ~a ba küliyen abqu
    "承诺人": "ᠠᠮᠠᠯᠠᠭᠴᠢ",  # amalaγči
    "行政机关告知": "ᠵᠠᠰᠠᠭ ᠤᠨ ᠪᠠᠢᠭᠤᠯᠯᠠᠭ᠎ᠠ ᠶᠢᠨ ᠮᠡᠳᠡᠭᠳᠡᠯ",  # jasaγ-un baiγullaγ~a-yin medegdel
    "申请人承诺": "ᠭᠤᠶᠤᠴᠢ ᠶᠢᠨ ᠠᠮᠠᠯᠠᠯᠲᠠ",  # γuyuči-yin amalalta
    "最近叫号": "ᠰᠠᠶᠠ ᠳᠤᠭᠤᠳᠠᠭᠰᠠᠨ ᠳᠤᠭᠠᠷ",  # saya duγudaγsan dugar
    "空闲": "ᠰᠤᠯ",  # sul
    "暂停服务": "ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠲᠦᠷ ᠵᠣᠭᠰᠣᠪᠠ",  # üilečilge tür jogsoba
    "{n} 号窗口": "{n} ᠳᠤᠭᠠᠷ ᠴᠣᠩᠬᠤ",  # {n} dugar čongqu
    "请 {code} 号到 {window} 号窗口办理": "{code} ᠳᠤᠭᠠᠷ {window} ᠳᠤᠭᠠᠷ ᠴᠣᠩᠬᠤ ᠳᠤ ᠢᠷᠡᠭᠡᠷᠡᠢ",  # {code} dugar {window} dugar čongqu-du ireγerei
    "等候 {n} 人": "{n} ᠬᠦᠮᠦᠨ ᠬᠦᠯᠢᠶᠡᠵᠦ ᠪᠤᠢ",  # {n} kümün küliyejü bui
    "重呼": "ᠳᠠᠬᠢᠨ ᠳᠤᠭᠤᠳᠠᠪᠠ",  # daqin duγudaba
    "请按号码顺序办理业务，过号请到服务台重新取号。": "ᠳᠤᠭᠠᠷ ᠤᠨ ᠳᠠᠷᠠᠭᠠᠯᠠᠯ ᠢᠶᠠᠷ ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠢᠶᠡᠨ ᠪᠦᠲᠦᠭᠡᠨ᠎ᠡ ᠦᠦ᠂ ᠳᠤᠭᠠᠷ ᠥᠩᠭᠡᠷᠡᠭᠰᠡᠨ ᠪᠣᠯ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠱᠢᠷᠡᠭᠡ ᠳᠦ ᠳᠠᠬᠢᠨ ᠳᠤᠭᠠᠷ ᠠᠪᠤᠨ᠎ᠠ ᠤᠤ᠃",  # dugar-un daraγalal-iyar ajil kereg-iyen bütügen~e üü, dugar önggeregsen bol üilečilgen-ü širege-dü daqin dugar abun~a uu.
    "自助取号": "ᠥᠪᠡᠷ ᠢᠶᠡᠨ ᠳᠤᠭᠠᠷ ᠠᠪᠬᠤ",  # öber-iyen dugar abqu
    "请点击要办理的业务类别": "ᠪᠦᠲᠦᠭᠡᠬᠦ ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠦᠨ ᠠᠨᠭᠢᠯᠠᠯ ᠢ ᠳᠠᠷᠠᠨ᠎ᠠ ᠤᠤ",  # bütügekü ajil kereg-ün angilal-i daran~a uu
    "绿色通道": "ᠨᠣᠭᠣᠭᠠᠨ ᠵᠠᠮ",  # noγoγan jam
    "老年人优先": "ᠥᠲᠡᠭᠦᠰ ᠤᠷᠢᠳᠠ",  # ötegüs urida
    "残疾人优先": "ᠬᠠᠭᠠᠰ ᠪᠡᠶ᠎ᠡᠲᠦ ᠬᠦᠮᠦᠨ ᠤᠷᠢᠳᠠ",  # qaγas bey~etü kümün urida
    "军人优先": "ᠴᠡᠷᠢᠭ ᠤᠷᠢᠳᠠ",  # čerig urida
    "预约签到": "ᠤᠷᠢᠳ ᠵᠠᠬᠢᠶᠠᠭᠰᠠᠨ ᠢᠶᠠᠨ ᠪᠠᠲᠤᠯᠠᠬᠤ",  # urid jaqiyaγsan-iyan batulaqu
    "正在出票，请稍候…": "ᠳᠤᠭᠠᠷ ᠤᠨ ᠪᠢᠴᠢᠭ ᠭᠠᠷᠭᠠᠵᠤ ᠪᠠᠢᠨ᠎ᠠ᠂ ᠲᠦᠷ ᠬᠦᠯᠢᠶᠡᠨ᠎ᠡ ᠦᠦ",  # dugar-un bičig γarγaju bain~a, tür küliyen~e üü
    "请取走号票": "ᠳᠤᠭᠠᠷ ᠤᠨ ᠪᠢᠴᠢᠭ ᠢᠶᠡᠨ ᠠᠪᠤᠨ᠎ᠠ ᠤᠤ",  # dugar-un bičig-iyen abun~a uu
    "前面没有人等候": "ᠡᠮᠦᠨ᠎ᠡ ᠬᠦᠯᠢᠶᠡᠭᠴᠢ ᠦᠭᠡᠢ",  # emün~e küliyegči ügei
    "号票打印失败，请联系工作人员": "ᠳᠤᠭᠠᠷ ᠤᠨ ᠪᠢᠴᠢᠭ ᠳᠠᠷᠤᠭᠳᠠᠭᠰᠠᠨ ᠦᠭᠡᠢ᠂ ᠠᠵᠢᠯᠴᠢᠨ ᠳᠤ ᠬᠠᠨᠳᠤᠨ᠎ᠠ ᠤᠤ",  # dugar-un bičig daruγdaγsan ügei, ajilčin-du qandun~a uu
    "取号失败，请联系工作人员": "ᠳᠤᠭᠠᠷ ᠠᠪᠴᠤ ᠴᠢᠳᠠᠭᠰᠠᠨ ᠦᠭᠡᠢ᠂ ᠠᠵᠢᠯᠴᠢᠨ ᠳᠤ ᠬᠠᠨᠳᠤᠨ᠎ᠠ ᠤᠤ",  # dugar abču čidaγsan ügei, ajilčin-du qandun~a uu
    "本大厅暂未开放取号，请到服务台咨询": "ᠡᠨᠡ ᠲᠠᠨᠬᠢᠮ ᠳᠤᠭᠠᠷ ᠠᠪᠬᠤ ᠶᠢ ᠡᠪᠡ ᠨᠡᠭᠡᠭᠡᠭᠰᠡᠨ ᠦᠭᠡᠢ᠂ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠱᠢᠷᠡᠭᠡ ᠳᠦ ᠯᠠᠪᠠᠯᠠᠨ᠎ᠠ ᠤᠤ",  # ene tanqim dugar abqu-yi ebe negegegsen ügei, üilečilgen-ü širege-dü labalan~a uu
    "请对本次服务进行评价": "ᠡᠨᠡ ᠤᠳᠠᠭ᠎ᠠ ᠶᠢᠨ ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠳᠦ ᠦᠨᠡᠯᠡᠯᠲ ᠥᠭᠦᠨ᠎ᠡ ᠦᠦ",  # ene udaγ~a-yin üilečilge-dü ünelelt ögün~e üü
    "业务办理完成后，请在这里为我们的服务评价。": "ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠪᠦᠲᠦᠭᠡᠭᠰᠡᠨ ᠦ ᠳᠠᠷᠠᠭ᠎ᠠ ᠡᠨᠳᠡ ᠮᠠᠨᠤ ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠳᠦ ᠦᠨᠡᠯᠡᠯᠲ ᠥᠭᠦᠨ᠎ᠡ ᠦᠦ᠃",  # ajil kereg bütügegsen-ü daraγ~a ende manu üilečilge-dü ünelelt ögün~e üü.
    "感谢您的评价！": "ᠲᠠᠨ ᠤ ᠦᠨᠡᠯᠡᠯᠲ ᠳᠦ ᠪᠠᠶᠠᠷᠯᠠᠯᠠᠠ",  # tan-u ünelelt-dü bayarlalaa
    "我们会继续改进服务。": "ᠪᠢᠳᠡ ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠪᠡᠨ ᠤᠯᠠᠮ ᠰᠠᠶᠢᠵᠢᠷᠠᠭᠤᠯᠤᠨ᠎ᠠ᠃",  # bide üilečilge-ben ulam sayijiraγulun~a.
    "非常满意": "ᠮᠠᠰᠢ ᠰᠡᠳᠬᠢᠯ ᠬᠠᠨᠤᠮᠵᠢᠲᠠᠢ",  # masi sedkil qanumjitai
    "满意": "ᠰᠡᠳᠬᠢᠯ ᠬᠠᠨᠤᠮᠵᠢᠲᠠᠢ",  # sedkil qanumjitai
    "基本满意": "ᠦᠨᠳᠦᠰᠦᠨᠳᠡᠭᠡᠨ ᠰᠡᠳᠬᠢᠯ ᠬᠠᠨᠤᠮᠵᠢᠲᠠᠢ",  # ündüsündegen sedkil qanumjitai
    "不满意": "ᠰᠡᠳᠬᠢᠯ ᠬᠠᠨᠤᠮᠵᠢ ᠦᠭᠡᠢ",  # sedkil qanumji ügei
    "非常不满意": "ᠮᠠᠰᠢ ᠰᠡᠳᠬᠢᠯ ᠬᠠᠨᠤᠮᠵᠢ ᠦᠭᠡᠢ",  # masi sedkil qanumji ügei
    "整体满意度": "ᠪᠦᠬᠦ ᠶᠢᠨ ᠰᠡᠳᠬᠢᠯ ᠬᠠᠨᠤᠮᠵᠢ",  # bükü-yin sedkil qanumji
    "服务效率": "ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠶᠢᠨ ᠦᠷ᠎ᠡ ᠠᠱᠢᠭ",  # üilečilge-yin ür~e ašiγ
    "服务水平": "ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠶᠢᠨ ᠲᠦᠪᠰᠢᠨ",  # üilečilge-yin tübsin
    "服务态度": "ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠶᠢᠨ ᠬᠠᠨᠳᠤᠯᠭ᠎ᠠ",  # üilečilge-yin qandulγ~a
    "提交评价": "ᠦᠨᠡᠯᠡᠯᠲ ᠢ ᠲᠤᠱᠢᠶᠠᠬᠤ",  # ünelelt-i tušiyaqu
    "暂不评价": "ᠣᠳᠣ ᠦᠨᠡᠯᠡᠬᠦ ᠦᠭᠡᠢ",  # odo ünelekü ügei
    "分": "ᠣᠨᠣᠭ᠎ᠠ",  # onoγ~a
    "请选择不满意的原因（可多选）": "ᠰᠡᠳᠬᠢᠯ ᠬᠠᠨᠤᠮᠵᠢ ᠦᠭᠡᠢ ᠰᠢᠯᠲᠠᠭᠠᠨ ᠢ ᠰᠣᠩᠭᠣᠨ᠎ᠠ ᠤᠤ",  # sedkil qanumji ügei siltaγan-i songγon~a uu
    "等候时间长": "ᠬᠦᠯᠢᠶᠡᠬᠦ ᠬᠤᠭᠤᠴᠠᠭ᠎ᠠ ᠤᠷᠲᠤ",  # küliyekü quγučaγ~a urtu
    "办理时间长": "ᠱᠢᠢᠳᠬᠡᠬᠦ ᠬᠤᠭᠤᠴᠠᠭ᠎ᠠ ᠤᠷᠲᠤ",  # šiidkekü quγučaγ~a urtu
    "服务态度不好": "ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠶᠢᠨ ᠬᠠᠨᠳᠤᠯᠭ᠎ᠠ ᠮᠠᠭᠤ",  # üilečilge-yin qandulγ~a maγu
    "材料要求不清楚": "ᠮᠠᠲᠡᠷᠢᠶᠠᠯ ᠤᠨ ᠱᠠᠭᠠᠷᠳᠯᠠᠭ᠎ᠠ ᠲᠣᠳᠣ ᠪᠤᠰᠤ",  # materiyal-un šaγardlaγ~a todo busu
    "多次跑腿": "ᠣᠯᠠᠨ ᠤᠳᠠᠭ᠎ᠠ ᠶᠠᠪᠤᠭᠰᠠᠨ",  # olan udaγ~a yabuγsan
    "其他": "ᠪᠤᠰᠤ",  # busu
    "长辈模式": "ᠬᠥᠭᠰᠢᠳ ᠦᠨ ᠬᠡᠪ",  # kögsid-ün keb
    "再听一遍": "ᠳᠠᠬᠢᠨ ᠰᠣᠨᠣᠰᠬᠤ",  # daqin sonosqu
    "办件": "ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ",  # ajil kereg
    "号票": "ᠳᠤᠭᠠᠷ ᠤᠨ ᠪᠢᠴᠢᠭ",  # dugar-un bičig
    "工作人员": "ᠠᠵᠢᠯᠴᠢᠨ",  # ajilčin
    # The kiosk's help call and keypad (issue 19/15), composed only from the words of the entries above (ajilčin,
    # duγuda-, tür küliyen~e üü, čidaγsan ügei, üilečilgen-ü širege-dü labalan~a uu, 预约签到's wording); unverified.
    "呼叫工作人员": "ᠠᠵᠢᠯᠴᠢᠨ ᠢ ᠳᠤᠭᠤᠳᠠᠬᠤ",  # ajilčin-i duγudaqu
    "已呼叫工作人员，请稍候": "ᠠᠵᠢᠯᠴᠢᠨ ᠢ ᠳᠤᠭᠤᠳᠠᠪᠠ᠂ ᠲᠦᠷ ᠬᠦᠯᠢᠶᠡᠨ᠎ᠡ ᠦᠦ",  # ajilčin-i duγudaba, tür küliyen~e üü
    "呼叫失败，请到服务台咨询": "ᠠᠵᠢᠯᠴᠢᠨ ᠢ ᠳᠤᠭᠤᠳᠠᠵᠤ ᠴᠢᠳᠠᠭᠰᠠᠨ ᠦᠭᠡᠢ᠂ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠱᠢᠷᠡᠭᠡ ᠳᠦ ᠯᠠᠪᠠᠯᠠᠨ᠎ᠠ ᠤᠤ",  # ajilčin-i duγudaju čidaγsan ügei, üilečilgen-ü širege-dü labalan~a uu
    "确认签到": "ᠤᠷᠢᠳ ᠵᠠᠬᠢᠶᠠᠭᠰᠠᠨ ᠢᠶᠠᠨ ᠪᠠᠲᠤᠯᠠᠬᠤ",  # urid jaqiyaγsan-iyan batulaqu
    # Papers' titles.
    "受理通知书": "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠮᠡᠳᠡᠭᠳᠡᠯ",  # küliyen abqu medegdel
    "受理回执": "ᠬᠠᠷᠢᠭᠤ ᠪᠢᠴᠢᠭ",  # qariγu bičig
    "一件事一次办受理回执": "ᠨᠢᠭᠡ ᠬᠡᠷᠡᠭ ᠢ ᠨᠢᠭᠡ ᠤᠳᠠᠭ᠎ᠠ ᠪᠦᠲᠦᠭᠡᠬᠦ ᠬᠠᠷᠢᠭᠤ ᠪᠢᠴᠢᠭ",  # nige kereg-i nige udaγ~a bütügekü qariγu bičig
    "一次性告知书": "ᠨᠢᠭᠡ ᠤᠳᠠᠭ᠎ᠠ ᠮᠡᠳᠡᠭᠳᠡᠬᠦ ᠪᠢᠴᠢᠭ",  # nige udaγ-a medegdekü bičig
    "补正材料通知书": "ᠪᠠᠷᠢᠮᠲᠠ ᠨᠥᠬᠦᠵᠦ ᠵᠠᠰᠠᠬᠤ ᠮᠡᠳᠡᠭᠳᠡᠯ",  # barimta nöküjü jasaqu medegdel
    "容缺受理通知书": "ᠳᠤᠲᠠᠭᠤ ᠶᠢ ᠲᠡᠪᠴᠢᠵᠦ ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠮᠡᠳᠡᠭᠳᠡᠯ",  # dutaγu-yi tebčijü küliyen abqu medegdel
    "容缺受理承诺书": "ᠳᠤᠲᠠᠭᠤ ᠶᠢ ᠲᠡᠪᠴᠢᠵᠦ ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠠᠮᠠᠯᠠᠯᠲᠠ ᠶᠢᠨ ᠪᠢᠴᠢᠭ",  # dutaγu-yi tebčijü küliyen abqu amalalta-yin bičig
    "告知承诺书": "ᠮᠡᠳᠡᠭᠳᠡᠵᠦ ᠠᠮᠠᠯᠠᠬᠤ ᠪᠢᠴᠢᠭ",  # medegdejü amalaqu bičig
    "不予受理决定书": "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠦᠭᠡᠢ ᠰᠢᠢᠳᠪᠦᠷᠢ",  # küliyen abqu ügei siidbüri
    "补交材料回执": "ᠨᠥᠬᠦᠵᠦ ᠲᠤᠰᠢᠶᠠᠭᠰᠠᠨ ᠪᠠᠷᠢᠮᠲᠠ ᠶᠢᠨ ᠬᠠᠷᠢᠭᠤ ᠪᠢᠴᠢᠭ",  # nöküjü tušiyaγsan barimta-yin qariγu bičig (issue 14, unverified)
    "终止办理通知书": "ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠢ ᠵᠣᠭᠰᠣᠭᠠᠬᠤ ᠮᠡᠳᠡᠭᠳᠡᠯ",  # ajil kereg-i joγsoγaqu medegdel (issue 14, unverified)
    "延期告知书": "ᠬᠤᠭᠤᠴᠠᠭ᠎ᠠ ᠰᠤᠩᠭᠠᠬᠤ ᠮᠡᠳᠡᠭᠳᠡᠯ",  # quγučaγ-a sungγaqu medegdel (issue 14, unverified)
    "撤销决定书": "ᠬᠦᠴᠦᠨ ᠦᠭᠡᠢ ᠪᠣᠯᠭᠠᠬᠤ ᠰᠢᠢᠳᠪᠦᠷᠢ",  # küčün ügei bolγaqu siidbüri (issue 14, unverified)
    "申请人留存联": "ᠭᠤᠶᠤᠴᠢ ᠶᠢᠨ ᠬᠠᠳᠠᠭᠠᠯᠠᠬᠤ ᠬᠤᠪᠢ",  # γuyuči-yin qadaγalaqu qubi
    "存档联": "ᠪᠠᠷᠢᠮᠲᠠ ᠶᠢᠨ ᠰᠠᠩ ᠳᠤ ᠬᠠᠳᠠᠭᠠᠯᠠᠬᠤ ᠬᠤᠪᠢ",  # barimta-yin sang-du qadaγalaqu qubi
    "申请人": "ᠭᠤᠶᠤᠴᠢ",  # γuyuči
    "事项名称": "ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠦᠨ ᠨᠡᠷ᠎ᠡ",  # ajil kereg-ün ner-e
    "受理编号": "ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠳᠤᠭᠠᠷ",  # küliyen abuγsan dugar
    "申请人（签收）": "ᠭᠤᠶᠤᠴᠢ (ᠭᠠᠷ ᠦᠰᠦᠭ)",  # γuyuči (γar üsüg)
    "日期": "ᠡᠳᠦᠷ",  # edür
    "排队号": "ᠳᠠᠷᠠᠭᠠᠯᠠᠯ ᠤᠨ ᠳᠤᠭᠠᠷ",  # daraγalal-un dugar
    "您前面还有": "ᠲᠠᠨ ᠤ ᠡᠮᠦᠨ᠎ᠡ",  # tan-u emün-e
    "人等候": "ᠬᠦᠮᠦᠨ ᠬᠦᠯᠢᠶᠡᠵᠦ ᠪᠠᠢᠨ᠎ᠠ",  # kümün küliyejü bain-a
    "请留意叫号": "ᠳᠤᠭᠠᠷ ᠳᠤᠭᠤᠳᠠᠬᠤ ᠶᠢ ᠠᠨᠬᠠᠷᠠᠨ ᠰᠣᠨᠣᠰᠤᠨ᠎ᠠ ᠤᠤ",  # dugar duγudaqu-yi anqaran sonosun-a uu
    "取号时间": "ᠳᠤᠭᠠᠷ ᠠᠪᠤᠭᠰᠠᠨ ᠴᠠᠭ",  # dugar abuγsan čaγ
}


def mongolian(chinese: str) -> str:
    """The Mongolian wording for a fixed Chinese text, or "" when none is known (then only Chinese prints)."""
    return MONGOLIAN.get(chinese, "")
