"""A realistic county 政务服务事项实施清单 as a region exports it: 1,200 matters of 27 departments in an ``.xlsx``
(one row per material, the matter's columns merged down over its rows), or as rows for a CSV.

Test data for the import tests and the catalog benchmarks (``bench_catalog_import.py``, ``bench_catalog_search.py``);
nothing here ships. Run ``.venv/bin/python benchmarks/catalog_gen.py OUT.xlsx [--matters N] [--bad]`` to write one.

Where the vocabulary comes from (see ``docs/catalog-import.md``): the department names follow the 旗县 organisation
of 苏尼特左旗 (锡林郭勒盟, region code 152523) as its government site lists it; the matter names, 办理项 and
materials are the common items of the 内蒙古政务服务网 旗县级 implementation lists and the national 政务服务事项
基本目录 (设立/变更/延续/注销/补证 of each licence, the usual certificates and forms), and the everyday names
(办低保, 开饭店, 上户口) are how applicants ask at the counter. Codes, credit codes and phone numbers are made up:
they have the real shape (18-character 统一社会信用代码 + type + sequence) but name no real office.

The counts are fixed by construction: 27 departments, ≥ 71 matters with a 容缺 material, ≥ 102 with a
告知承诺 material, 3–25 materials each, about one in five 即办件. ``bad=True`` breaks a known set of cells (listed
in :data:`BAD_CELLS`) so a test can check each is reported at its sheet, row and column.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REGION = "苏尼特左旗"
HEADERS = ["事项名称", "事项名称（蒙古文）", "基本编码", "实施编码", "办理项", "办理项编码", "事项类型", "实施主体",
           "承办机构", "法定办结时限", "承诺办结时限", "时限单位", "办件类型", "到办事现场次数", "是否收费",
           "服务对象", "常用名称", "材料名称", "材料类型", "份数", "是否必要", "来源渠道", "容缺", "告知承诺", "核心材料"]
MATTER_COLUMNS = HEADERS.index("材料名称")  # columns before this one are the matter's (merged down)
TITLE = f"{REGION}政务服务事项实施清单（2026年版）"

# (department, credit code stem, queue letter, [(base matter, kind, audience, everyday names)], own materials)
Base = tuple[str, str, str, str]
DEPARTMENTS: list[tuple[str, str, list[Base], list[str]]] = [
    ("人力资源和社会保障局", "A", [
        ("城乡居民基本养老保险参保登记", "公共服务", "自然人", "交养老保险、养老参保"),
        ("城乡居民基本养老保险待遇申领", "行政给付", "自然人", "领养老金、办退休"),
        ("失业保险金申领", "行政给付", "自然人", "领失业金、失业补助"),
        ("职业资格证书核发", "行政许可", "自然人", "考证"),
        ("就业创业证申领", "公共服务", "自然人", "失业登记、办就业证"),
        ("企业职工基本养老保险关系转移接续", "公共服务", "自然人", "社保转移、养老转移"),
        ("工伤认定申请", "行政确认", "自然人,法人", "工伤"),
        ("劳务派遣经营许可", "行政许可", "法人", ""),
        ("人力资源服务许可", "行政许可", "法人", "开职业介绍所"),
        ("社会保障卡申领", "公共服务", "自然人", "办社保卡、补社保卡"),
    ], ["劳动合同", "解除或终止劳动合同证明", "社会保障卡", "学历证书", "工资发放记录", "参保缴费证明"]),
    ("医疗保障局", "A", [
        ("城乡居民基本医疗保险参保登记", "公共服务", "自然人", "交医保、医保参保"),
        ("门诊慢特病病种待遇认定", "行政确认", "自然人", "办慢病卡、慢病"),
        ("医疗费用手工报销", "行政给付", "自然人", "报销医药费、医保报销"),
        ("异地就医备案", "公共服务", "自然人", "异地就医、外地看病报销"),
        ("生育医疗费用报销", "行政给付", "自然人", "生育报销"),
        ("定点医药机构申请", "公共服务", "法人", "药店医保定点"),
    ], ["医保电子凭证", "出院记录", "费用明细清单", "医疗费用票据", "诊断证明书", "病历资料"]),
    ("市场监督管理局", "C", [
        ("个体工商户登记", "行政许可", "自然人", "办营业执照、开店、个体户"),
        ("食品经营许可", "行政许可", "自然人,法人", "开饭店、开餐馆、开超市、食品许可证"),
        ("食品生产许可", "行政许可", "法人", "开食品厂"),
        ("企业登记", "行政许可", "法人", "开公司、注册公司"),
        ("农民专业合作社登记", "行政许可", "法人", "办合作社"),
        ("特种设备使用登记", "行政许可", "法人", "锅炉登记、电梯登记"),
        ("药品零售企业许可", "行政许可", "法人", "开药店"),
        ("计量器具强制检定", "其他行政权力", "法人", "秤检定"),
        ("小餐饮经营登记", "行政许可", "自然人", "开小饭馆"),
        ("广告发布登记", "行政许可", "法人", ""),
    ], ["营业执照", "名称自主申报告知书", "经营场所平面图", "设备设施布局图", "从业人员健康证明", "食品安全管理制度",
        "公司章程", "股东会决议", "法定代表人任职文件"]),
    ("公安局", "B", [
        ("居民身份证换领", "行政许可", "自然人", "换身份证、身份证到期"),
        ("居民身份证补领", "行政许可", "自然人", "身份证丢了、补身份证"),
        ("出生登记", "行政确认", "自然人", "上户口、新生儿落户"),
        ("户口迁移", "行政确认", "自然人", "迁户口、户口迁入"),
        ("临时居民身份证申领", "行政许可", "自然人", "临时身份证"),
        ("无犯罪记录证明开具", "公共服务", "自然人", "开无犯罪证明"),
        ("机动车登记", "行政许可", "自然人,法人", "上牌、车辆过户"),
        ("机动车驾驶证换证", "行政许可", "自然人", "换驾照"),
        ("居住证申领", "行政许可", "自然人", "办居住证"),
    ], ["居民户口簿", "出生医学证明", "近期一寸白底免冠照片", "准迁证明", "机动车行驶证", "机动车驾驶证"]),
    ("自然资源局", "D", [
        ("国有建设用地使用权及房屋所有权转移登记", "行政确认", "自然人,法人", "过户、二手房过户"),
        ("不动产首次登记", "行政确认", "自然人,法人", "办房产证"),
        ("不动产抵押登记", "行政确认", "自然人,法人", "房屋抵押"),
        ("不动产更正登记", "行政确认", "自然人,法人", "房产证信息有误"),
        ("建设用地规划许可", "行政许可", "法人", ""),
        ("农村宅基地和农房不动产登记", "行政确认", "自然人", "宅基地确权"),
        ("乡村建设规划许可", "行政许可", "自然人", "盖房子、农村建房"),
        ("采矿权登记", "行政许可", "法人", ""),
    ], ["不动产权证书", "不动产登记申请书", "房屋买卖合同", "完税凭证", "宗地图", "房屋测绘报告", "抵押合同"]),
    ("民政局", "E", [
        ("最低生活保障审核确认", "行政给付", "自然人", "办低保、低保申请、吃低保"),
        ("特困人员认定", "行政给付", "自然人", "五保户"),
        ("临时救助", "行政给付", "自然人", "困难救助"),
        ("内地居民婚姻登记", "行政确认", "自然人", "领结婚证、结婚登记、离婚登记"),
        ("社会团体成立登记", "行政许可", "法人", "成立协会"),
        ("民办非企业单位登记", "行政许可", "法人", ""),
        ("经济困难的高龄失能老年人补贴", "行政给付", "自然人", "老年补贴、高龄津贴"),
        ("殡葬补贴申领", "行政给付", "自然人", "丧葬补贴"),
    ], ["家庭收入情况说明", "家庭财产状况说明", "婚姻状况证明", "亲属关系证明", "居住证明", "结婚证", "离婚证"]),
    ("农牧和科技局", "F", [
        ("动物防疫条件合格证核发", "行政许可", "法人,自然人", "养殖场防疫证"),
        ("兽药经营许可", "行政许可", "法人", "开兽药店"),
        ("农药经营许可", "行政许可", "法人", "卖农药"),
        ("草原禁牧和草畜平衡奖励资金发放", "行政给付", "自然人", "草补、禁牧补贴"),
        ("种畜禽生产经营许可", "行政许可", "法人,自然人", ""),
        ("拖拉机和联合收割机登记", "行政许可", "自然人", "农机上牌"),
        ("农机购置补贴", "行政给付", "自然人,法人", "农机补贴"),
    ], ["草原承包经营权证", "养殖场所平面图", "动物防疫制度", "农机购置发票", "兽医人员资格证明"]),
    ("交通运输局", "G", [
        ("道路货物运输经营许可", "行政许可", "法人,自然人", "跑运输、货运许可"),
        ("道路旅客运输经营许可", "行政许可", "法人", "客运许可"),
        ("出租汽车经营许可", "行政许可", "法人,自然人", "开出租车"),
        ("道路运输从业人员从业资格证核发", "行政许可", "自然人", "货运资格证"),
        ("机动车维修经营备案", "其他行政权力", "法人,自然人", "开修车厂"),
    ], ["道路运输证", "车辆技术等级评定证明", "驾驶员从业资格证", "安全生产管理制度", "停车场地证明"]),
    ("税务局", "H", [
        ("税务登记", "行政确认", "法人,自然人", "办税务登记"),
        ("增值税发票领用", "公共服务", "法人,自然人", "领发票"),
        ("个人所得税汇算清缴", "公共服务", "自然人", "个税退税"),
        ("代开增值税发票", "公共服务", "自然人", "代开发票"),
        ("城乡居民社会保险费缴纳", "行政征收", "自然人", "交社保费"),
    ], ["税务事项通知书", "发票领用簿", "收入证明", "合同协议"]),
    ("住房公积金管理部", "I", [
        ("住房公积金提取", "公共服务", "自然人", "取公积金、提公积金"),
        ("住房公积金个人住房贷款", "公共服务", "自然人", "公积金贷款"),
        ("住房公积金单位缴存登记", "公共服务", "法人", "单位开户"),
        ("住房公积金个人账户转移", "公共服务", "自然人", "公积金转移"),
    ], ["购房合同", "银行卡", "缴存证明", "贷款合同"]),
    ("卫生健康委员会", "J", [
        ("出生医学证明办理", "公共服务", "自然人", "出生证、补办出生证"),
        ("医疗机构执业登记", "行政许可", "法人", "开诊所"),
        ("公共场所卫生许可", "行政许可", "法人,自然人", "卫生许可证、开旅馆"),
        ("计划生育家庭奖励扶助", "行政奖励", "自然人", "独生子女奖励"),
        ("医师执业注册", "行政许可", "自然人", "医生注册"),
        ("放射诊疗许可", "行政许可", "法人", ""),
    ], ["医师资格证书", "卫生技术人员名单", "从业人员健康合格证明", "卫生管理制度", "独生子女父母光荣证"]),
    ("教育局", "K", [
        ("民办学校设立审批", "行政许可", "法人", "办学校"),
        ("教师资格认定", "行政许可", "自然人", "教师证"),
        ("校外培训机构设立", "行政许可", "法人", "办培训班"),
        ("学前教育资助", "行政给付", "自然人", "幼儿园补助"),
        ("学籍转移", "公共服务", "自然人", "转学"),
    ], ["学历证书", "普通话水平测试等级证书", "体检合格证明", "办学场所证明", "师资情况说明"]),
    ("住房和城乡建设局", "D", [
        ("建筑工程施工许可", "行政许可", "法人", "施工许可"),
        ("商品房预售许可", "行政许可", "法人", "预售证"),
        ("建筑业企业资质", "行政许可", "法人", ""),
        ("房屋建筑工程竣工验收备案", "其他行政权力", "法人", "竣工备案"),
        ("公共租赁住房资格审核", "行政给付", "自然人", "申请公租房、廉租房"),
        ("城镇污水排入排水管网许可", "行政许可", "法人", "排水许可"),
    ], ["施工图设计文件审查合格书", "工程竣工验收报告", "建设工程规划许可证", "施工合同", "监理合同"]),
    ("生态环境分局", "F", [
        ("建设项目环境影响报告表审批", "行政许可", "法人", "环评"),
        ("排污许可", "行政许可", "法人", "排污证"),
        ("危险废物经营许可", "行政许可", "法人", ""),
        ("辐射安全许可", "行政许可", "法人", ""),
    ], ["环境影响报告表", "排污口规范化设置说明", "污染防治设施清单", "监测报告"]),
    ("水利局", "F", [
        ("取水许可", "行政许可", "法人,自然人", "打井、取水证"),
        ("生产建设项目水土保持方案审批", "行政许可", "法人", "水保方案"),
        ("河道管理范围内建设项目审批", "行政许可", "法人", ""),
        ("农村牧区饮水安全工程维修补助", "行政给付", "自然人", ""),
    ], ["水资源论证报告", "取水工程设计文件", "水土保持方案报告书", "用水计划"]),
    ("林业和草原局", "F", [
        ("林木采伐许可", "行政许可", "自然人,法人", "砍树、采伐证"),
        ("草原征占用审核", "行政许可", "法人", "占用草原"),
        ("野生动物驯养繁殖许可", "行政许可", "自然人,法人", ""),
        ("林草种子生产经营许可", "行政许可", "法人", ""),
        ("森林草原防火期内野外用火审批", "行政许可", "自然人,法人", "野外用火"),
    ], ["林权证", "草原使用权证", "采伐作业设计", "用火安全措施"]),
    ("文化旅游体育局", "L", [
        ("娱乐场所经营许可", "行政许可", "法人,自然人", "开歌厅、开KTV"),
        ("营业性演出许可", "行政许可", "法人", "演出审批"),
        ("旅行社设立许可", "行政许可", "法人", "开旅行社"),
        ("互联网上网服务营业场所经营许可", "行政许可", "法人,自然人", "开网吧"),
        ("高危险性体育项目经营许可", "行政许可", "法人", "开游泳馆"),
    ], ["场所消防安全检查合格证明", "经营场所产权证明", "安全保障制度", "从业人员名单"]),
    ("应急管理局", "M", [
        ("危险化学品经营许可", "行政许可", "法人", "卖危化品"),
        ("烟花爆竹经营（零售）许可", "行政许可", "法人,自然人", "卖鞭炮"),
        ("非煤矿矿山安全生产许可", "行政许可", "法人", ""),
        ("生产安全事故应急预案备案", "其他行政权力", "法人", "应急预案"),
    ], ["安全评价报告", "安全生产管理人员资格证", "储存场所证明", "应急预案"]),
    ("退役军人事务局", "N", [
        ("退役士兵自主就业一次性经济补助金发放", "行政给付", "自然人", "退伍补助"),
        ("优抚对象抚恤补助", "行政给付", "自然人", "优抚金"),
        ("退役军人优待证申领", "公共服务", "自然人", "优待证"),
        ("烈士褒扬金发放", "行政给付", "自然人", ""),
    ], ["退役证件", "残疾军人证", "烈士证明书", "优待证"]),
    ("残疾人联合会", "E", [
        ("残疾人证核发", "行政确认", "自然人", "办残疾证、补残疾证"),
        ("困难残疾人生活补贴", "行政给付", "自然人", "残疾补贴"),
        ("重度残疾人护理补贴", "行政给付", "自然人", "护理补贴"),
        ("残疾人辅助器具适配补贴", "行政给付", "自然人", "轮椅补贴"),
    ], ["残疾人证", "残疾评定表", "医学诊断证明", "辅助器具评估表"]),
    ("司法局", "O", [
        ("法律援助申请", "公共服务", "自然人", "请律师、法律援助"),
        ("人民调解员聘任", "公共服务", "自然人", ""),
        ("基层法律服务工作者执业核准", "行政许可", "自然人", ""),
        ("公证机构设立审核", "行政许可", "法人", ""),
    ], ["经济困难状况说明", "案件材料", "法律职业资格证书"]),
    ("工业和信息化局", "C", [
        ("食盐定点批发企业审批", "行政许可", "法人", ""),
        ("新型墙体材料专项基金返退", "行政给付", "法人", ""),
        ("无线电台（站）设置审批", "行政许可", "法人", ""),
    ], ["项目备案文件", "技术方案", "设备清单"]),
    ("发展和改革委员会", "C", [
        ("企业投资项目备案", "其他行政权力", "法人", "项目备案"),
        ("政府投资项目可行性研究报告审批", "行政许可", "法人", "可研批复"),
        ("粮食收购资格", "行政许可", "法人,自然人", "收粮食"),
    ], ["项目可行性研究报告", "节能审查意见", "仓储设施证明"]),
    ("财政局", "H", [
        ("会计代理记账机构审批", "行政许可", "法人", "代理记账"),
        ("政府采购供应商投诉处理", "行政裁决", "法人", ""),
        ("农业保险保费补贴", "行政给付", "自然人,法人", "农险补贴"),
    ], ["会计从业人员名单", "投诉书", "保险单"]),
    ("消防救援大队", "M", [
        ("公众聚集场所投入使用、营业前消防安全检查", "行政许可", "法人,自然人", "消防检查"),
        ("建设工程消防验收备案", "其他行政权力", "法人", "消防备案"),
    ], ["消防设计文件", "消防设施检测报告", "场所平面图"]),
    ("气象局", "M", [
        ("雷电防护装置设计审核", "行政许可", "法人", "防雷审核"),
        ("升放无人驾驶自由气球或系留气球活动审批", "行政许可", "法人,自然人", "放气球"),
    ], ["防雷装置设计图", "升放活动方案"]),
    ("烟草专卖局", "C", [
        ("烟草专卖零售许可", "行政许可", "自然人,法人", "卖烟、烟草证"),
        ("烟草专卖零售许可证延续", "行政许可", "自然人,法人", "烟草证到期"),
    ], ["经营场所租赁合同", "场所位置示意图"]),
]
OFFICES = ["行政审批股", "政务服务股", "业务股", "综合股", "审批服务办公室"]
OPERATIONS = [("新办", 0), ("变更", 1), ("延续", 2), ("注销", 3), ("补办", 4), ("信息变更", 5), ("迁入", 6),
              ("迁出", 7), ("首次申请", 8), ("复审", 9), ("暂停", 10), ("恢复", 11)]
COMMON = ["申请表", "居民身份证", "营业执照", "法定代表人身份证明", "授权委托书", "受托人居民身份证",
          "近期一寸白底免冠照片", "场所使用证明", "承诺书", "情况说明", "银行账户信息", "联系人信息表",
          "申请报告", "相关资质证明", "原证件", "现场核查记录", "其他需要提交的材料"]
# Materials the 告知承诺制 lists name as provable by promise (国办发〔2020〕42号 and the region's list).
PLEDGEABLE = ["婚姻状况证明", "亲属关系证明", "居住证明", "无犯罪记录证明", "住所使用证明", "经营场所证明",
              "收入证明", "未参加其他养老保险的证明"]
CHANNELS = ["申请人自备", "政府部门核发", "其他", "中介机构或法定机构产生"]
FORMS = ["原件", "复印件", "原件及复印件", "电子证照"]


@dataclass
class GenMatter:
    values: dict[str, str]  # matter columns
    materials: list[dict[str, str]] = field(default_factory=list)


def _credit_code(rng: random.Random, i: int) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "11152523" + "".join(rng.choice(chars) for _ in range(9)) + chars[i % len(chars)]


def matters(n: int = 1200, *, seed: int = 20261207) -> list[GenMatter]:
    """The list, deterministic for a seed: each base matter gets 办理项 until ``n`` matters exist."""
    rng = random.Random(seed)
    depts = [(f"{REGION}{name}" if not name.startswith(("税务局", "住房公积金", "生态环境", "消防", "气象", "烟草"))
              else _full(name), letter, bases, own, _credit_code(rng, i))
             for i, (name, letter, bases, own) in enumerate(DEPARTMENTS)]
    # (department number, department, its materials, its credit code, base number, base matter)
    slots = [(d_no, d[0], d[3], d[4], seq, b) for d_no, d in enumerate(depts, 1) for seq, b in enumerate(d[2], 1)]
    out: list[GenMatter] = []
    round_ = 0
    while len(out) < n:
        for d_no, dept, own, credit, seq, (base, kind, audience, names) in slots:
            if len(out) >= n:
                break
            op, op_no = OPERATIONS[round_ % len(OPERATIONS)]
            i = len(out)
            # 基本编码: type, department, matter; 实施编码: the implementing body's credit code + type + sequence.
            basic = f"{'0001' if kind == '行政许可' else '0008'}{d_no:03d}{seq:03d}000"
            code = f"{credit}{basic[:4]}{d_no:02d}{seq:02d}{round_:02d}"
            instant = kind in ("公共服务", "行政确认") and i % 3 != 1
            legal = rng.choice([20, 30, 60]) if not instant else rng.choice([0, 5, 20])
            promised = 0 if instant else rng.choice([1, 3, 5, 7, 10, 15])
            promised = min(promised, legal) if legal else promised
            visits = 0 if instant and i % 6 == 0 else rng.choice([0, 1, 1, 1, 2])
            values = {
                "事项名称": base, "事项名称（蒙古文）": "", "基本编码": basic, "实施编码": code,
                "办理项": op, "办理项编码": f"{code}{op_no:02d}", "事项类型": kind, "实施主体": dept,
                "承办机构": f"{dept}{OFFICES[i % len(OFFICES)]}",
                "法定办结时限": "即办" if legal == 0 else str(legal), "承诺办结时限": "即办" if promised == 0 else str(promised),
                "时限单位": "工作日", "办件类型": "即办件" if instant else "承诺件", "到办事现场次数": str(visits),
                "是否收费": "是" if i % 17 == 0 else "否", "服务对象": audience, "常用名称": names,
            }
            out.append(GenMatter(values, _materials(rng, i, own, audience, instant, promised)))
        round_ += 1
    return out


def _full(name: str) -> str:
    return {"税务局": f"国家税务总局{REGION}税务局", "住房公积金管理部": f"锡林郭勒盟住房公积金管理中心{REGION}管理部",
            "生态环境分局": f"锡林郭勒盟生态环境局{REGION}分局", "消防救援大队": f"{REGION}消防救援大队",
            "气象局": f"{REGION}气象局", "烟草专卖局": f"{REGION}烟草专卖局"}[name]


def _materials(rng: random.Random, i: int, own: list[str], audience: str, instant: bool,
               promised: int) -> list[dict[str, str]]:
    count = 3 + (i * 7919) % 23 if i % 5 == 0 else rng.randint(3, 12)  # 3–25, most 3–12
    identity = "营业执照" if audience.startswith("法人") else "居民身份证"
    names = ["申请表", identity]
    deferrable = not instant and promised >= 3 and i % 12 == 3  # ≥ 71 of 1,200
    pledge = i % 11 == 5  # ≥ 102 of 1,200
    extra = PLEDGEABLE[i % len(PLEDGEABLE)] if pledge else None
    pool = [c for c in own + COMMON if c not in names and c != extra and c not in ("授权委托书", "受托人居民身份证")]
    rng.shuffle(pool)
    body = count - len(names) - 1 - (1 if extra else 0)
    names += pool[:max(body, 0)]
    if extra:
        names.append(extra)
    while len(names) < count - 1:
        names.append(f"{own[len(names) % len(own)]}（第{len(names)}项）")
    names.append("授权委托书")
    rows = []
    for j, name in enumerate(names):
        core = j < 2
        rows.append({
            "材料名称": name, "材料类型": FORMS[0] if core else FORMS[(i + j) % len(FORMS)], "份数": str(1 + (j % 3 == 2)),
            "是否必要": "否" if name == "授权委托书" or (j > 2 and (i + j) % 9 == 0) else "是",
            "来源渠道": CHANNELS[(i + j) % len(CHANNELS)],
            "容缺": "是" if deferrable and j == 2 else "否", "告知承诺": "是" if name == extra else "否",
            "核心材料": "是" if core else "否",
        })
    return rows


# Cells broken with bad=True: (matter index, material index or None for the matter, column, bad value).
BAD_CELLS: list[tuple[int, int | None, str, str]] = [
    (40, 2, "材料类型", "扫描件"),
    (141, None, "承诺办结时限", "五个工作日"),
    (250, 3, "份数", "两份"),
    (377, None, "事项类型", "行政处罚"),
    (512, None, "承诺办结时限", "90"),  # above the legal limit
    (640, 0, "容缺", "是"),  # a core material cannot be deferred
    (777, None, "办件类型", "上报件"),
    (901, 1, "是否必要", "看情况"),
]


def apply_bad(items: list[GenMatter]) -> list[GenMatter]:
    for index, material, column, value in BAD_CELLS:
        target = items[index].values if material is None else items[index].materials[material]
        target[column] = value
    return items


def rows(items: list[GenMatter]) -> Iterator[list[str]]:
    """Data rows: one per material, the matter's columns repeated (as a CSV export writes them)."""
    for m in items:
        for mat in m.materials:
            yield [m.values.get(h, "") for h in HEADERS[:MATTER_COLUMNS]] + [mat.get(h, "") for h in
                                                                            HEADERS[MATTER_COLUMNS:]]


def sheet_of(m: GenMatter) -> str:
    return "行政许可" if m.values["事项类型"] == "行政许可" else "公共服务及其他"


def write_xlsx(path: Path, items: list[GenMatter]) -> dict[tuple[int, int | None], tuple[str, int]]:
    """The export as a region sends it: a merged title row, the header, then per matter one row per material
    with the matter's columns merged down. Returns (matter, material) → (sheet, row) for the tests."""
    import openpyxl
    from openpyxl.worksheet.merge import MergedCellRange

    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {}
    where: dict[tuple[int, int | None], tuple[str, int]] = {}
    for name in ("行政许可", "公共服务及其他"):
        ws = book.create_sheet(name)
        ws.append([TITLE])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
        ws.append(HEADERS)
        sheets[name] = ws
    for index, m in enumerate(items):
        ws = sheets[sheet_of(m)]
        start = ws.max_row + 1
        where[(index, None)] = (ws.title, start)
        for j, mat in enumerate(m.materials):
            matter_cells = [m.values.get(h, "") for h in HEADERS[:MATTER_COLUMNS]] if j == 0 else [None] * MATTER_COLUMNS
            ws.append(matter_cells + [mat.get(h, "") for h in HEADERS[MATTER_COLUMNS:]])
            where[(index, j)] = (ws.title, start + j)
        end = start + len(m.materials) - 1
        if end > start:
            for col in range(1, MATTER_COLUMNS + 1):
                # ws.merge_cells checks each new range against all earlier ones (quadratic for 20,000 ranges);
                # the ranges here never overlap and the cells below the first are empty, so add them directly.
                letter = openpyxl.utils.get_column_letter(col)
                ws.merged_cells.ranges.add(MergedCellRange(ws, f"{letter}{start}:{letter}{end}"))
    book.save(path)
    return where


def write_csv(path: Path, items: list[GenMatter], *, encoding: str = "gb18030") -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(HEADERS)
    writer.writerows(rows(items))
    path.write_bytes(buf.getvalue().encode(encoding))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="OUT.xlsx or OUT.csv (GB18030)")
    parser.add_argument("--matters", type=int, default=1200)
    parser.add_argument("--bad", action="store_true", help="break the cells listed in BAD_CELLS")
    args = parser.parse_args()
    items = matters(args.matters)
    if args.bad:
        apply_bad(items)
    if args.out.suffix == ".csv":
        write_csv(args.out, items)
    else:
        write_xlsx(args.out, items)
    print(f"{args.out}: {len(items)} matters, {sum(len(m.materials) for m in items)} material rows")


if __name__ == "__main__":
    main()
