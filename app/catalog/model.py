"""The matter catalog's value types: what a matter needs and how long it may take.

These are plain frozen dataclasses shared by the catalog loader, the checklist engine, the case service and the
printed documents. The file format that produces them is described in ``docs/catalog.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from app.vocabulary import TIME_UNIT_LABELS

TimeUnit = Literal["workday", "day", "hour"]  # 工作日 / 自然日 / 小时
MaterialForm = Literal["original", "copy", "original_and_copy", "electronic"]  # 原件 / 复印件 / 原件及复印件 / 电子
Condition = Literal["always", "proxy", "person", "organisation"]  # when the material is required
Scope = Literal["local", "region_wide", "cross_province"]  # 本地 / 全区通办 / 跨省通办
Delivery = Literal["pickup", "mail", "online"]  # 窗口领取 / 政务专递 / 网上送达
CheckMethod = Literal["data", "site", "document"]
Level = Literal["county", "township", "village"]  # 旗县政务服务中心 / 苏木乡镇便民服务中心 / 嘎查村便民服务站
LevelMode = Literal["accept", "collect"]  # 受理 here / 代收: take in and forward to the level that decides
LOWER_LEVELS: tuple[Level, ...] = ("township", "village")  # 数据核验 / 现场核查 / 材料核查 (app.vocabulary labels them)
DEFAULT_CHECK_DAYS = 20  # a pledge's 核查 deadline when the catalog names none (working days)


@dataclass(frozen=True)
class TimeLimit:
    amount: int
    unit: TimeUnit = "workday"

    def label(self) -> str:
        if self.amount == 0:
            return "即办"
        return f"{self.amount}{TIME_UNIT_LABELS[self.unit]}"


@dataclass(frozen=True)
class PledgeTerms:
    """What a 告知承诺书 for one material states (国办发〔2020〕42号)."""

    basis: str  # 设定依据
    content: str  # 证明内容: the condition the applicant promises to meet
    text: str  # the applicant's promise
    verification: str  # 核查方式: 书面核查 / 网络核验 / 实地核查 / 公示
    personal: bool = False  # must be signed by the applicant in person (no 代为承诺)
    effect: str = "申请人作出承诺后，行政机关不再索要该证明材料，依据承诺办理相关事项。"  # 承诺效力
    liability: str = (
        "申请人作出不实承诺的，行政机关将依法撤销已作出的决定，将不实承诺记入信用记录，并依法追究法律责任。"
    )  # 不实承诺的法律责任
    check_method: CheckMethod = "document"  # 事中事后核查: data 数据核验 / site 现场核查 / document 材料核查
    check_days: int = DEFAULT_CHECK_DAYS  # 核查 deadline, working days from acceptance


@dataclass(frozen=True)
class RefusalGround:
    """A lawful ground for 不予受理 (行政许可法 §32(1)(2), or one the catalog lists for the matter)."""

    code: str  # stable within the matter, e.g. ``not_competent``
    text: str  # the ground as the 不予受理决定书 states it
    basis: str  # 法律依据
    names_authority: bool = False  # the clerk must name the competent authority (不属于本机关职权范围)


# Every matter may be refused on these two grounds of §32; the catalog adds the matter's own.
DEFAULT_REFUSAL_GROUNDS: tuple[RefusalGround, ...] = (
    RefusalGround(
        code="no_permit_needed",
        text="申请事项依法不需要取得行政许可",
        basis="《中华人民共和国行政许可法》第三十二条第一款第（一）项",
    ),
    RefusalGround(
        code="not_competent",
        text="申请事项依法不属于本行政机关职权范围",
        basis="《中华人民共和国行政许可法》第三十二条第一款第（二）项",
        names_authority=True,
    ),
)


@dataclass(frozen=True)
class Material:
    key: str  # stable within the matter, e.g. ``id_card``
    name: str
    core: bool = False  # 核心材料: never deferrable
    copies: int = 1
    form: MaterialForm = "original"
    required: bool = True
    condition: Condition = "always"
    deferrable: bool = False  # 容缺
    supply_days: int | None = None  # 容缺 supply deadline, working days
    pledgeable: bool = False  # 告知承诺
    pledge: PledgeTerms | None = None
    e_license: str | None = None  # 电子证照 type that may replace it, e.g. ``居民身份证``
    note: str = ""
    channel: str = ""  # 来源渠道 as the region's list states it (申请人自备 / 政府部门核发 …); "" when not given

    def applies(self, *, organisation: bool, proxy: bool) -> bool:
        if self.condition == "proxy":
            return proxy
        if self.condition == "organisation":
            return organisation
        if self.condition == "person":
            return not organisation
        return True


@dataclass(frozen=True)
class Matter:
    code: str  # 事项编码 within the catalog
    name: str
    department: str  # 实施机构 / department name
    department_code: str
    kind: str  # 事项类型: 行政许可 / 公共服务 / 行政确认 / 行政给付 / 其他行政权力
    promised: TimeLimit  # 承诺办结时限
    legal: TimeLimit  # 法定办结时限
    materials: tuple[Material, ...]
    queue_category: str  # ticket category letter, e.g. ``A``
    fee: str = "不收费"
    result_type: str = "证照"  # 结果类型
    result_name: str = ""
    delivery: tuple[Delivery, ...] = ("pickup",)
    scope: Scope = "local"
    conditions: str = ""  # 受理条件
    consult_phone: str = ""
    supervise_phone: str = ""
    keywords: tuple[str, ...] = ()
    basis: str = ""  # 设定依据 of the matter itself
    instant: bool = False  # 即办件
    # 容缺: may the result be handed out (出件/邮寄) while a deferred material is still owed? Default: no.
    hand_over_before_supply: bool = False
    in_person: bool = False  # 须本人到场: no 帮办代办 (e.g. 婚姻登记)
    refusal_grounds: tuple[RefusalGround, ...] = ()  # the matter's own grounds, beyond DEFAULT_REFUSAL_GROUNDS
    name_mn: str = ""  # the matter's name in Mongolian script, shown before the Chinese where it reaches the applicant
    # From the region's 实施清单 (app.catalog.importer); empty when the catalog does not say.
    basic_code: str = ""  # 基本编码 (the national code of the matter; ``code`` is the local 实施编码)
    office: str = ""  # 承办机构: the office inside the department that handles it
    visits: int | None = None  # 到办事现场次数 the list promises (0 = 全程网办)
    audience: tuple[str, ...] = ()  # 服务对象: "person" 自然人 and/or "organisation" 法人; () = not stated
    # What the 苏木乡镇 centre and the 嘎查村 point may do: (level, accept|collect) pairs; a level not named does
    # not offer the matter. The county hall accepts every matter.
    levels: tuple[tuple[Level, LevelMode], ...] = ()

    def mode_at(self, level: str) -> LevelMode | None:
        """受理 (``accept``), 代收 (``collect``) or None (not offered) at a hall of ``level``."""
        if level == "county":
            return "accept"
        return next((mode for at, mode in self.levels if at == level), None)

    @property
    def all_refusal_grounds(self) -> tuple[RefusalGround, ...]:
        """The grounds a clerk may pick for 不予受理: §32(1)(2) first, then the matter's own."""
        own = tuple(g for g in self.refusal_grounds if g.code not in {d.code for d in DEFAULT_REFUSAL_GROUNDS})
        return DEFAULT_REFUSAL_GROUNDS + own

    def refusal_ground(self, code: str) -> RefusalGround | None:
        for ground in self.all_refusal_grounds:
            if ground.code == code:
                return ground
        return None

    def material(self, key: str) -> Material | None:
        for item in self.materials:
            if item.key == key:
                return item
        return None

    @property
    def has_deferrable(self) -> bool:
        return any(m.deferrable for m in self.materials)

    @property
    def has_pledgeable(self) -> bool:
        return any(m.pledgeable for m in self.materials)


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    phone: str = ""
    name_mn: str = ""  # the office's name in Mongolian script


@dataclass(frozen=True)
class Bundle:
    """一件事一次办: several matters taken in at one intake (shared materials and applicant data once), each its own
    case routed to its own department; the bundle is done when every case is."""

    code: str
    name: str
    matters: tuple[str, ...]  # matter codes, in the order the receipt lists them
    category: str = ""  # the queue letter its tickets are issued under; "" = the first matter's
    name_mn: str = ""
    keywords: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Catalog:
    version: str
    issued: str  # YYYY-MM-DD
    source: str  # where the matters come from
    departments: tuple[Department, ...] = ()
    matters: tuple[Matter, ...] = ()
    categories: dict[str, str] = field(default_factory=dict)  # queue category letter → name
    categories_mn: dict[str, str] = field(default_factory=dict)  # queue category letter → name in Mongolian script
    bundles: tuple[Bundle, ...] = ()  # 一件事一次办

    def matter(self, code: str) -> Matter | None:
        for item in self.matters:
            if item.code == code:
                return item
        return None

    def bundle(self, code: str) -> Bundle | None:
        return next((b for b in self.bundles if b.code == code), None)
