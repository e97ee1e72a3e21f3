"""GA/T 467 frames and card text: exact bytes, every field of the three card types, and no crash on bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.devices import gat467
from app.devices.simulator import SAMPLE_CARDS, sample_card_bytes
from app.errors import DeviceError

TODAY = date(2026, 11, 22)  # the hall day the cards are checked on


def test_command_frames_match_the_published_bytes() -> None:
    assert gat467.encode_command(*gat467.CMD_FIND).hex(" ") == "aa aa aa 96 69 00 03 20 01 22"
    assert gat467.encode_command(*gat467.CMD_SELECT).hex(" ") == "aa aa aa 96 69 00 03 20 02 21"
    assert gat467.encode_command(*gat467.CMD_READ_BASE).hex(" ") == "aa aa aa 96 69 00 03 30 01 32"


def test_read_answer_is_1295_bytes_and_round_trips() -> None:
    text, photo = sample_card_bytes("resident")
    frame = gat467.encode_response(gat467.SW_OK, gat467.encode_read_data(text, photo))
    assert len(frame) == 1295
    resp = gat467.decode_response(frame)
    assert (resp.sw1, resp.sw2, resp.sw3) == (0, 0, 0x90)
    assert gat467.split_read_data(resp.data) == (text, photo)


def test_resident_card_fields() -> None:
    card = gat467.decode_card(*sample_card_bytes("resident"), today=TODAY)
    assert card.card_type == "resident"
    assert card.name == "乌云其其格"
    assert card.gender == "女"
    assert (card.nation, card.nation_code) == ("蒙古族", "02")
    assert card.birth_date == date(1990, 3, 7)
    assert card.address.startswith("内蒙古自治区乌兰察布市四子王旗")
    assert card.id_number == SAMPLE_CARDS["resident"]["id_number"]
    assert card.authority == "四子王旗公安局"
    assert (card.valid_from, card.valid_to) == (date(2015, 6, 1), date(2035, 6, 1))
    assert len(card.photo_wlt) == 1024
    assert card.id_check is not None and card.id_check.valid
    assert card.to_json()["id_valid"] is True


def test_hmt_residence_permit_fields() -> None:
    card = gat467.decode_card(*sample_card_bytes("hmt"), today=TODAY)
    data = card.to_json()
    assert card.card_type == "hmt_residence" and data["card_type_label"] == "港澳台居民居住证"
    assert (data["permit_number"], data["issue_count"]) == ("H12345678", "01")
    assert card.id_number.startswith("81") and card.id_check.kind == "hmt_permit" and card.id_check.valid


def test_foreign_permanent_residence_fields() -> None:
    card = gat467.decode_card(*sample_card_bytes("foreign"), today=TODAY)
    assert card.card_type == "foreign_pr"
    assert (card.english_name, card.name) == ("SMITH, JOHN", "约翰史密斯")
    assert (card.id_number, card.nationality_code) == ("USA157506120012", "USA")
    assert card.birth_date == date(1975, 6, 12) and card.gender == "男"
    assert card.id_check.kind == "foreign_pr_old"


def test_long_term_card_and_bad_check_digit_are_reported() -> None:
    fields = dict(SAMPLE_CARDS["resident"], valid_to="长期")
    fields["id_number"] = fields["id_number"][:-1] + ("1" if fields["id_number"][-1] != "1" else "2")
    card = gat467.decode_card(gat467.encode_card_text(fields), today=TODAY)
    assert card.valid_to is None and card.to_json()["valid_to"] == "长期"
    assert card.to_json()["id_valid"] is False
    assert any("校验位" in e for e in card.to_json()["id_errors"])


def test_all_56_nations_are_known() -> None:
    codes = [f"{i:02d}" for i in range(1, 57)]
    assert all(code in gat467.NATIONS for code in codes)
    assert (
        gat467.NATIONS["01"] == "汉族"
        and gat467.NATIONS["31"] == "达斡尔族"
        and gat467.NATIONS["56"] == "基诺族"
    )
    assert len(set(gat467.NATIONS[c] for c in codes)) == 56


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nation": "77"}, "民族代码无效：77"),
        ({"birth_date": "19900231"}, "出生日期无效：19900231"),
        ({"gender": "5"}, "性别代码无效：5"),
        ({"card_type": "Z"}, "不支持的证件类型"),
        ({"name": ""}, "姓名为空"),
    ],
)
def test_bad_card_text_is_a_chinese_device_error(change: dict[str, str], message: str) -> None:
    fields = dict(SAMPLE_CARDS["resident"], **change)
    with pytest.raises(DeviceError, match=message):
        gat467.decode_card(gat467.encode_card_text(fields), today=TODAY)


def _valid_frame() -> bytes:
    return gat467.encode_response(gat467.SW_FIND_OK, b"\x00" * 8)


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (b"", "读卡器数据不完整"),
        (b"\xaa\xaa\xaa\x96\x69\x00", "读卡器数据不完整"),
        (b"\xaa\xaa\xab\x96\x69\x00\x04\x00\x00\x90\x94", "读卡器数据帧头错误"),
        (_valid_frame()[:-3], "读卡器数据不完整"),
        (_valid_frame() + b"\x00", "读卡器数据长度错误"),
        (_valid_frame()[:-1] + bytes([_valid_frame()[-1] ^ 1]), "读卡器数据校验错误"),
        (b"\xaa\xaa\xaa\x96\x69\xff\xff\x00", "读卡器数据长度错误"),
        (b"\xaa\xaa\xaa\x96\x69\x00\x00\x00", "读卡器数据长度错误"),
        (gat467.PREAMBLE + b"\x00\x02\x90\x92", "读卡器数据长度错误"),  # valid checksum, no SW3
    ],
)
def test_malformed_frames_are_rejected(frame: bytes, message: str) -> None:
    with pytest.raises(DeviceError, match=message):
        gat467.decode_response(frame)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=1400))
def test_arbitrary_bytes_never_crash_the_decoder(data: bytes) -> None:
    try:
        resp = gat467.decode_response(data)
    except DeviceError as exc:
        assert exc.message.startswith("读卡器")
    else:
        assert gat467.encode_response(resp.sw3, resp.data, sw1=resp.sw1, sw2=resp.sw2) == data


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_single_byte_change_to_a_valid_frame_is_caught(data: st.DataObject) -> None:
    frame = bytearray(
        gat467.encode_response(gat467.SW_OK, gat467.encode_read_data(*sample_card_bytes("hmt")))
    )
    pos = data.draw(st.integers(0, len(frame) - 1))
    frame[pos] ^= data.draw(st.integers(1, 255))
    with pytest.raises(DeviceError):
        gat467.decode_response(bytes(frame))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=1400))
def test_truncated_or_extended_valid_frames_are_caught(tail: bytes) -> None:
    frame = gat467.encode_response(gat467.SW_OK, gat467.encode_read_data(*sample_card_bytes("resident")))
    cut = len(tail) % len(frame)
    with pytest.raises(DeviceError):
        gat467.decode_response(frame[:cut] if cut else frame + (tail or b"\x00"))


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=256, max_size=256), st.binary(max_size=1024))
def test_arbitrary_card_text_gives_a_card_or_a_device_error(text: bytes, photo: bytes) -> None:
    try:
        card = gat467.decode_card(text, photo, today=TODAY)
    except DeviceError as exc:
        assert exc.message
    else:
        assert card.name and card.id_number


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["resident", "hmt", "foreign"]), st.integers(0, 255), st.binary(min_size=1, max_size=40)
)
def test_damaged_card_text_gives_a_card_or_a_device_error(kind: str, at: int, junk: bytes) -> None:
    text = bytearray(sample_card_bytes(kind)[0])
    text[at : at + len(junk)] = junk[: 256 - at]
    try:
        card = gat467.decode_card(bytes(text[:256]).ljust(256, b" "), today=TODAY)
    except DeviceError as exc:
        assert exc.message
    else:
        json.dumps(card.to_json(), ensure_ascii=False)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=1400))
def test_arbitrary_read_data_is_split_or_rejected(data: bytes) -> None:
    try:
        text, photo = gat467.split_read_data(data)
    except DeviceError as exc:
        assert "长度错误" in exc.message
    else:
        assert len(text) == 256 and len(data) == 4 + 256 + len(photo)


def test_device_core_does_not_import_qt() -> None:
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "import app.devices.gat467, app.devices.reader, app.devices.simulator, app.devices.reader_cli\n"
        "import app.devices.scanner, app.devices.codes, app.devices.photo, console.scan\n"
        "assert 'PySide6' not in sys.modules, 'Qt imported by the device core'\n"
    )
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
