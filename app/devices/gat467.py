"""GA/T 467 ID-card reader frames (寻卡/选卡/读基本信息) and the decoding of the card's 256-byte text block.

Frame: ``AA AA AA 96 69 | LEN (2, big-endian) | CMD PARA or SW1 SW2 SW3 | DATA | CHK``. LEN counts everything
after itself, checksum included; CHK is the XOR of the bytes after the preamble (LEN through DATA).
Every malformed frame becomes a :class:`~app.errors.DeviceError` with a Chinese message, never another exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from app.errors import DeviceError

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_LEN = len(PREAMBLE) + 2
# The longest answer a GA/T 467 reader gives is 读基本信息+指纹 (text 256 + photo 1024 + fingerprint 1024);
# anything declaring more is garbage and must not make us wait for kilobytes that never come.
MAX_BODY_LEN = 4096

CMD_FIND = (0x20, 0x01)  # 寻卡
CMD_SELECT = (0x20, 0x02)  # 选卡
CMD_READ_BASE = (0x30, 0x01)  # 读基本信息 (文字 + 照片)

SW_OK = 0x90
SW_FIND_OK = 0x9F
SW_NO_CARD = 0x80  # 寻卡失败 / 无卡
SW_SELECT_FAILED = 0x81
SW_READ_FAILED = 0x41

TEXT_LEN = 256
PHOTO_LEN = 1024

CardType = Literal["resident", "hmt_residence", "foreign_pr"]
CARD_TYPE_LABELS: dict[str, str] = {
    "resident": "居民身份证",
    "hmt_residence": "港澳台居民居住证",
    "foreign_pr": "外国人永久居留身份证",
}

# GB/T 3304-1991 中国各民族名称的罗马字母拼写法和代码 (numeric codes), plus 97/98 as used by the card.
NATIONS: dict[str, str] = {
    "01": "汉族", "02": "蒙古族", "03": "回族", "04": "藏族", "05": "维吾尔族", "06": "苗族", "07": "彝族",
    "08": "壮族", "09": "布依族", "10": "朝鲜族", "11": "满族", "12": "侗族", "13": "瑶族", "14": "白族",
    "15": "土家族", "16": "哈尼族", "17": "哈萨克族", "18": "傣族", "19": "黎族", "20": "傈僳族", "21": "佤族",
    "22": "畲族", "23": "高山族", "24": "拉祜族", "25": "水族", "26": "东乡族", "27": "纳西族", "28": "景颇族",
    "29": "柯尔克孜族", "30": "土族", "31": "达斡尔族", "32": "仫佬族", "33": "羌族", "34": "布朗族",
    "35": "撒拉族", "36": "毛南族", "37": "仡佬族", "38": "锡伯族", "39": "阿昌族", "40": "普米族",
    "41": "塔吉克族", "42": "怒族", "43": "乌孜别克族", "44": "俄罗斯族", "45": "鄂温克族", "46": "德昂族",
    "47": "保安族", "48": "裕固族", "49": "京族", "50": "塔塔尔族", "51": "独龙族", "52": "鄂伦春族",
    "53": "赫哲族", "54": "门巴族", "55": "珞巴族", "56": "基诺族", "97": "其他", "98": "外国血统中国籍人士",
}  # fmt: skip

# GB/T 2261.1 性别代码.
GENDERS: dict[str, str] = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}


@dataclass(frozen=True)
class Command:
    cmd: int
    para: int
    data: bytes = b""


@dataclass(frozen=True)
class Response:
    sw1: int
    sw2: int
    sw3: int
    data: bytes = b""


def checksum(body: bytes) -> int:
    """XOR of ``body`` (the length bytes through the data)."""
    value = 0
    for b in body:
        value ^= b
    return value


def _wrap(payload: bytes) -> bytes:
    length = len(payload) + 1
    if length > MAX_BODY_LEN:
        raise DeviceError("读卡器数据过长")
    head = length.to_bytes(2, "big")
    return PREAMBLE + head + payload + bytes([checksum(head + payload)])


def encode_command(cmd: int, para: int, data: bytes = b"") -> bytes:
    return _wrap(bytes([cmd, para]) + data)


def encode_response(sw3: int, data: bytes = b"", *, sw1: int = 0, sw2: int = 0) -> bytes:
    return _wrap(bytes([sw1, sw2, sw3]) + data)


def _unwrap(frame: bytes) -> bytes:
    """Check preamble, length and checksum of one whole frame; return what lies between LEN and CHK."""
    if len(frame) < HEADER_LEN + 1:
        raise DeviceError("读卡器数据不完整")
    if frame[: len(PREAMBLE)] != PREAMBLE:
        raise DeviceError("读卡器数据帧头错误")
    length = int.from_bytes(frame[len(PREAMBLE) : HEADER_LEN], "big")
    if length < 1 or length > MAX_BODY_LEN:
        raise DeviceError("读卡器数据长度错误")
    actual = len(frame) - HEADER_LEN
    if actual < length:
        raise DeviceError("读卡器数据不完整")
    if actual > length:
        raise DeviceError("读卡器数据长度错误")
    if checksum(frame[len(PREAMBLE) : -1]) != frame[-1]:
        raise DeviceError("读卡器数据校验错误")
    return frame[HEADER_LEN:-1]


def decode_command(frame: bytes) -> Command:
    payload = _unwrap(frame)
    if len(payload) < 2:
        raise DeviceError("读卡器命令长度错误")
    return Command(payload[0], payload[1], payload[2:])


def decode_response(frame: bytes) -> Response:
    payload = _unwrap(frame)
    if len(payload) < 3:
        raise DeviceError("读卡器数据长度错误")
    return Response(payload[0], payload[1], payload[2], payload[3:])


def frame_length(header: bytes) -> int:
    """Total frame length announced by the first 7 bytes (preamble + LEN); DeviceError if they are not a header."""
    if len(header) < HEADER_LEN:
        raise DeviceError("读卡器数据不完整")
    if header[: len(PREAMBLE)] != PREAMBLE:
        raise DeviceError("读卡器数据帧头错误")
    length = int.from_bytes(header[len(PREAMBLE) : HEADER_LEN], "big")
    if length < 1 or length > MAX_BODY_LEN:
        raise DeviceError("读卡器数据长度错误")
    return HEADER_LEN + length


# --- the card ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdCard:
    """What a card reader read from one card. ``photo_wlt`` is the encrypted WLT photo, kept as bytes.

    ``valid_to`` is None for a card valid 长期; ``id_check`` is the identity engineer's validation of
    ``id_number`` (an ``app.identity.IdCheck``), or None when it could not be run.
    """

    card_type: CardType
    name: str
    gender: str
    nation: str  # 民族 (GB/T 3304 name) for resident cards; "" otherwise
    birth_date: date
    address: str
    id_number: str  # for foreign_pr: the permit number (永久居留证号码)
    authority: str  # 签发机关 (foreign_pr: the authority code)
    valid_from: date
    valid_to: date | None
    nation_code: str = ""
    permit_number: str = ""  # 港澳台: 通行证号码
    issue_count: str = ""  # 港澳台: 签发次数
    english_name: str = ""  # 外国人: 英文姓名
    nationality_code: str = ""  # 外国人: 国籍代码 (GB/T 2659 alpha-3)
    card_version: str = ""  # 外国人: 证件版本号
    photo_wlt: bytes = field(default=b"", repr=False)
    id_check: Any = field(default=None, compare=False)

    @property
    def card_type_label(self) -> str:
        return CARD_TYPE_LABELS[self.card_type]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "card_type": self.card_type,
            "card_type_label": self.card_type_label,
            "name": self.name,
            "gender": self.gender,
            "nation": self.nation,
            "nation_code": self.nation_code,
            "birth_date": self.birth_date.isoformat(),
            "address": self.address,
            "id_number": self.id_number,
            "authority": self.authority,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else "长期",
            "photo_bytes": len(self.photo_wlt),
        }
        if self.card_type == "hmt_residence":
            out["permit_number"] = self.permit_number
            out["issue_count"] = self.issue_count
        if self.card_type == "foreign_pr":
            out["english_name"] = self.english_name
            out["nationality_code"] = self.nationality_code
            out["card_version"] = self.card_version
        if self.id_check is not None:
            out["id_valid"] = bool(self.id_check.valid)
            out["id_errors"] = list(self.id_check.errors)
            out["id_warnings"] = list(self.id_check.warnings)
        return out


def _text(block: bytes, start: int, end: int) -> str:
    """A UCS-2LE field: padded with spaces (sometimes NULs) on the card."""
    raw = block[start:end]
    try:
        value = raw.decode("utf-16-le")
    except UnicodeDecodeError as exc:  # a lone surrogate: the block is corrupt
        raise DeviceError("读卡器返回的文字信息无法解码") from exc
    return value.replace("\x00", " ").strip()


def _date(value: str, label: str) -> date:
    if len(value) != 8 or not value.isdigit():
        raise DeviceError(f"读卡器返回的{label}无效：{value or '空'}")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError as exc:
        raise DeviceError(f"读卡器返回的{label}无效：{value}") from exc


def _valid_to(value: str) -> date | None:
    if value in ("长期", "长期有效"):
        return None
    return _date(value, "有效期限")


def _gender(code: str) -> str:
    if code not in GENDERS:
        raise DeviceError(f"读卡器返回的性别代码无效：{code or '空'}")
    return GENDERS[code]


def card_type_of(text: bytes) -> CardType:
    """Card type from byte 248 of the text block: 'J' 港澳台居民居住证, 'I' 外国人永久居留身份证, else 居民身份证."""
    if len(text) < TEXT_LEN:
        raise DeviceError("读卡器返回的文字信息长度错误")
    marker = text[248:250]
    if marker == b"J\x00":
        return "hmt_residence"
    if marker == b"I\x00":
        return "foreign_pr"
    if marker in (b" \x00", b"\x00\x00"):
        return "resident"
    raise DeviceError(f"不支持的证件类型（类型标识 {marker.hex(' ').upper()}）")


def decode_card(text: bytes, photo: bytes = b"", *, today: date | None) -> IdCard:
    """Decode the 256-byte UCS-2LE text block of a card; with ``today`` (the hall's day) the number is checked
    with app.identity.check_id, with None it is decoded as the chip holds it."""
    card_type = card_type_of(text)
    if card_type == "foreign_pr":
        card = _decode_foreign(text, photo)
    else:
        nation_code = _text(text, 32, 36)
        if card_type == "resident":
            if nation_code not in NATIONS:
                raise DeviceError(f"读卡器返回的民族代码无效：{nation_code or '空'}")
            nation = NATIONS[nation_code]
        else:
            nation = NATIONS.get(nation_code, "")
        card = IdCard(
            card_type=card_type,
            name=_text(text, 0, 30),
            gender=_gender(_text(text, 30, 32)),
            nation=nation,
            nation_code=nation_code,
            birth_date=_date(_text(text, 36, 52), "出生日期"),
            address=_text(text, 52, 122),
            id_number=_text(text, 122, 158).upper(),
            authority=_text(text, 158, 188),
            valid_from=_date(_text(text, 188, 204), "有效期起始日期"),
            valid_to=_valid_to(_text(text, 204, 220)),
            permit_number=_text(text, 220, 238) if card_type == "hmt_residence" else "",
            issue_count=_text(text, 238, 242) if card_type == "hmt_residence" else "",
            photo_wlt=bytes(photo),
        )
    if not card.name:
        raise DeviceError("读卡器返回的姓名为空")
    if not card.id_number:
        raise DeviceError("读卡器返回的证件号码为空")
    if today is not None:
        from app.identity import check_id  # the identity engineer's validator (GB 11643 and the permits)

        card = _replace_check(card, check_id(card.id_number, today=today))
    return card


def _decode_foreign(text: bytes, photo: bytes) -> IdCard:
    # Layout after the public descriptions of the 2017 外国人永久居留身份证 chip; not yet checked on a real card.
    return IdCard(
        card_type="foreign_pr",
        english_name=_text(text, 0, 120),
        gender=_gender(_text(text, 120, 122)),
        id_number=_text(text, 122, 152).upper(),
        nationality_code=_text(text, 152, 158),
        name=_text(text, 158, 188) or _text(text, 0, 120),
        valid_from=_date(_text(text, 188, 204), "有效期起始日期"),
        valid_to=_valid_to(_text(text, 204, 220)),
        birth_date=_date(_text(text, 220, 236), "出生日期"),
        card_version=_text(text, 236, 240),
        authority=_text(text, 240, 248),
        nation="",
        address="",
        photo_wlt=bytes(photo),
    )


def _replace_check(card: IdCard, check: Any) -> IdCard:
    from dataclasses import replace

    return replace(card, id_check=check)


def split_read_data(data: bytes) -> tuple[bytes, bytes]:
    """Split a 读基本信息 answer's data into (text, photo) after checking the two announced lengths."""
    if len(data) < 4:
        raise DeviceError("读卡器返回的身份信息长度错误")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if text_len != TEXT_LEN or photo_len > 2 * PHOTO_LEN or len(data) != 4 + text_len + photo_len:
        raise DeviceError("读卡器返回的身份信息长度错误")
    return data[4 : 4 + text_len], data[4 + text_len :]


# --- building cards (the simulator and tests use these) -----------------------------------------------------


def _field(value: str, size: int) -> bytes:
    raw = value.encode("utf-16-le")
    if len(raw) > size:
        raise ValueError(f"{value!r} does not fit in {size} bytes")
    return raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


def encode_card_text(fields: dict[str, str]) -> bytes:
    """The 256-byte text block for ``fields`` (keys as in the layouts above; ``card_type`` ' ', 'J' or 'I')."""
    kind = fields.get("card_type", " ")
    if kind == "I":
        layout = [("english_name", 120), ("gender", 2), ("id_number", 30), ("nationality_code", 6),
                  ("name", 30), ("valid_from", 16), ("valid_to", 16), ("birth_date", 16), ("card_version", 4),
                  ("authority", 8), ("card_type", 2), ("", 6)]  # fmt: skip
    else:
        layout = [("name", 30), ("gender", 2), ("nation", 4), ("birth_date", 16), ("address", 70),
                  ("id_number", 36), ("authority", 30), ("valid_from", 16), ("valid_to", 16),
                  ("permit_number", 18), ("issue_count", 4), ("", 6), ("card_type", 2), ("", 6)]  # fmt: skip
    block = b"".join(_field(fields.get(key, "") if key else "", size) for key, size in layout)
    assert len(block) == TEXT_LEN
    return block


def encode_read_data(text: bytes, photo: bytes) -> bytes:
    return len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo
