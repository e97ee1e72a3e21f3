"""The counter screen with its devices: a real CardPoller on a simulated GA/T 467 reader (pty), keyboard-wedge
scanner bursts in the ID and lookup fields, and a camera capture attached to a material."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from app import queue as q
from app.case_no import normalize_case_no
from app.cases import AcceptRequest, ApplicantInput, accept
from app.cases.service import material_states
from app.catalog.store import current_catalog
from app.clock import HallClock
from app.demo import DEMO_HALL_CODE
from app.devices import gat467
from app.devices.photo import clean_document
from app.devices.reader import SerialCardReader, open_reader
from app.devices.scanner import ticket_qr_payload
from app.devices.simulator import SAMPLE_CARDS, ReaderSimulator, with_check_digit
from app.store import Store
from app.store.models import Attachment, Case
from printing.documents import render
from printing.from_store import case_doc
from tests.hall_clock import CLOCK
from tests.printing.pdf_tools import decode, render_page
from tests.ui._counter_kit import APPLICANT_ID, LOAN, OTHER_ID, demo_ctx, type_text
from ui.context import AppContext
from ui.counter import CounterWindow
from ui.device_service import CameraDialog, CardReaderService, qimage_to_bgr

CARD = SAMPLE_CARDS["resident"]  # 乌云其其格, 女, 蒙古族, 1990-03-07, 四子王旗


@pytest.fixture
def sim() -> Iterator[ReaderSimulator]:
    reader = ReaderSimulator()
    yield reader
    reader.close()


def open_counter(qtbot: QtBot, ctx: AppContext) -> CounterWindow:
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def child(window: QWidget, kind: type, name: str) -> Any:
    found = window.findChild(kind, name)
    assert found is not None, f"no {kind.__name__} named {name}"
    return found


def text_of(window: CounterWindow, name: str) -> str:
    widget = window.findChild(QLineEdit, name) or window.findChild(QLabel, name)
    assert widget is not None, name
    return widget.text()


def scan(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """A wedge scanner: the whole code at machine pace, then Enter."""
    edit.setFocus()
    type_text(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def reader_window(qtbot: QtBot, tmp_path: Path, store: Store, port: str) -> CounterWindow:
    ctx = demo_ctx(tmp_path, store)
    ctx.settings.counter.reader_port = port
    window = open_counter(qtbot, ctx)
    assert window.card_reader is not None and window.card_reader.running
    return window


def make_case(ctx: AppContext) -> str:
    with ctx.store.read() as session:
        found = current_catalog(session)
    assert found is not None
    matter = found[1].matter(LOAN)
    assert matter is not None
    states = {m.key: "original" for m in matter.materials if m.condition == "always"}
    request = AcceptRequest(request_id=str(uuid.uuid4()), hall_code=ctx.hall_code, window_number=2,
                            matter_code=LOAN, applicant=ApplicantInput(name="巴特尔", id_no=OTHER_ID),
                            materials=material_states(states), actor="clerk02")
    return accept(ctx.store, request, files_dir=ctx.settings.files_dir, clock=CLOCK).summary.case_no


# --- the card reader ---------------------------------------------------------------------------------------


def test_card_on_the_reader_fills_the_applicant(qtbot: QtBot, tmp_path: Path, store: Store,
                                                sim: ReaderSimulator) -> None:
    window = reader_window(qtbot, tmp_path, store, sim.port)
    assert "读卡器已就绪" in text_of(window, "statusMessage")
    sim.place("resident")
    qtbot.waitUntil(lambda: text_of(window, "applicantNameEdit") == CARD["name"], timeout=5000)
    assert text_of(window, "idNumberEdit") == CARD["id_number"]
    assert text_of(window, "addressEdit") == CARD["address"]
    address = window.intake.applicant.address_edit
    assert address.cursorPosition() == 0 and address.toolTip() == CARD["address"], "the start shows, all on hover"
    assert window.intake.applicant.id_edit.state == "valid"
    assert "1990年3月7日" in text_of(window, "idNumberMessage")  # birth date and gender from the number
    info = text_of(window, "cardInfoLabel")
    assert "居民身份证" in info and "蒙古族" in info and "2035-06-01" in info
    assert CARD["name"] in text_of(window, "statusMessage")
    assert window.focusWidget() is child(window, QLineEdit, "phoneEdit")  # the card carries no phone
    window.close()
    assert not window.card_reader.running  # type: ignore[union-attr]


def test_card_failing_the_check_is_shown_not_filled(qtbot: QtBot, tmp_path: Path, store: Store,
                                                    sim: ReaderSimulator) -> None:
    window = reader_window(qtbot, tmp_path, store, sim.port)
    bad = dict(CARD, id_number=CARD["id_number"][:17] + ("0" if CARD["id_number"][17] != "0" else "1"))
    sim.place(text=gat467.encode_card_text(bad))
    bar = child(window, QFrame, "cardConfirmBar")
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "校验" in text_of(window, "cardConfirmText") and "未填入" in text_of(window, "cardConfirmText")
    assert text_of(window, "idNumberEdit") == "" and text_of(window, "applicantNameEdit") == ""
    assert not child(window, QPushButton, "cardReplaceButton").isVisible()
    assert "校验" in text_of(window, "statusMessage")


def test_new_card_over_another_applicant_asks_first(qtbot: QtBot, tmp_path: Path, store: Store,
                                                    sim: ReaderSimulator) -> None:
    window = reader_window(qtbot, tmp_path, store, sim.port)
    type_text(child(window, QLineEdit, "idNumberEdit"), APPLICANT_ID)
    type_text(child(window, QLineEdit, "applicantNameEdit"), "其其格")
    type_text(child(window, QLineEdit, "phoneEdit"), "13904740000")
    bar = child(window, QFrame, "cardConfirmBar")
    sim.place("resident")
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "读到新证件" in text_of(window, "cardConfirmText") and CARD["name"] in text_of(window, "cardConfirmText")
    assert text_of(window, "idNumberEdit") == APPLICANT_ID and text_of(window, "applicantNameEdit") == "其其格"
    qtbot.mouseClick(child(window, QPushButton, "cardIgnoreButton"), Qt.MouseButton.LeftButton)
    assert not bar.isVisible() and text_of(window, "applicantNameEdit") == "其其格"

    reader = window.card_reader
    assert reader is not None
    with qtbot.waitSignal(reader.card_removed, timeout=5000):
        sim.remove()
    sim.place("resident")
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    qtbot.mouseClick(child(window, QPushButton, "cardReplaceButton"), Qt.MouseButton.LeftButton)
    assert text_of(window, "idNumberEdit") == CARD["id_number"]
    assert text_of(window, "applicantNameEdit") == CARD["name"]
    assert text_of(window, "phoneEdit") == ""  # the previous applicant's phone went with them
    assert not bar.isVisible()


def test_unplugged_reader_is_reported_once_and_the_screen_keeps_working(
        qtbot: QtBot, tmp_path: Path, store: Store, sim: ReaderSimulator) -> None:
    opens: list[str] = []
    errors: list[str] = []

    def opener() -> SerialCardReader:
        opens.append(sim.port)
        return open_reader(sim.port, today=HallClock().today, timeout=0.5)

    service = CardReaderService(sim.port, today=HallClock().today, interval=0.05, reconnect_interval=0.05, open_source=opener)
    service.reader_error.connect(errors.append)
    service.start()
    try:
        qtbot.waitUntil(lambda: len(opens) == 1, timeout=3000)
        sim.unplug()
        qtbot.waitUntil(lambda: len(opens) >= 4, timeout=5000)  # several reconnect attempts have failed
        qtbot.waitUntil(lambda: bool(errors), timeout=3000)
        assert errors == ["读卡器未连接"]
        assert service.failing == "读卡器未连接"
    finally:
        service.stop()
    assert not service.running


def test_reader_on_a_missing_port_says_so_and_typing_still_works(qtbot: QtBot, tmp_path: Path,
                                                                store: Store) -> None:
    window = reader_window(qtbot, tmp_path, store, str(tmp_path / "no-such-tty"))
    qtbot.waitUntil(lambda: "无法打开端口" in text_of(window, "statusMessage"), timeout=5000)
    assert "读卡器未连接" in text_of(window, "statusMessage")
    assert text_of(window, "readerStatusLabel") == "读卡器：故障"
    type_text(child(window, QLineEdit, "idNumberEdit"), APPLICANT_ID)
    assert window.intake.applicant.id_edit.state == "valid"


# --- the scanner -----------------------------------------------------------------------------------------


@pytest.fixture
def ctx(tmp_path: Path, store: Store) -> AppContext:
    return demo_ctx(tmp_path, store)


def test_scanned_id_number_goes_to_the_id_field(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    scan(qtbot, child(window, QLineEdit, "idNumberEdit"), APPLICANT_ID)
    assert text_of(window, "idNumberEdit") == APPLICANT_ID
    assert window.intake.applicant.id_edit.state == "valid"
    assert window.focusWidget() is child(window, QLineEdit, "applicantNameEdit")


def test_scanned_bad_check_digit_fills_nothing(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    bad = APPLICANT_ID[:17] + "5"
    scan(qtbot, child(window, QLineEdit, "idNumberEdit"), bad)
    assert text_of(window, "idNumberEdit") == ""
    assert "校验位" in text_of(window, "applicantError")
    # A child's number (born 2010) with a bad digit is also shaped like a 受理编号 (2020-10-03): no such case, so
    # it is still the ID number's check that the clerk hears about.
    child_id = with_check_digit("15092920100305123")
    typo = child_id[:17] + ("0" if child_id[17] != "0" else "1")
    scan(qtbot, child(window, QLineEdit, "idNumberEdit"), typo)
    assert text_of(window, "idNumberEdit") == "" and window.tabs.currentIndex() == 0
    assert "校验位" in text_of(window, "applicantError")
    # In the lookup field too: the number is not searched, the reason is shown.
    window.tabs.setCurrentIndex(1)
    scan(qtbot, child(window, QLineEdit, "lookupEdit"), bad)
    assert text_of(window, "lookupEdit") == ""
    assert "校验位" in text_of(window, "lookupError")


def test_e_license_qr_puts_the_holders_number_in_the_id_field(qtbot: QtBot, ctx: AppContext) -> None:
    window = open_counter(qtbot, ctx)
    payload = json.dumps({"zzlx": "营业执照", "czrxm": "乌云", "sfzh": APPLICANT_ID})
    scan(qtbot, child(window, QLineEdit, "idNumberEdit"), payload)
    assert text_of(window, "idNumberEdit") == APPLICANT_ID
    assert "电子证照" in text_of(window, "statusMessage")


def test_scanned_case_number_opens_the_case_from_either_field(qtbot: QtBot, ctx: AppContext) -> None:
    case_no = make_case(ctx)
    window = open_counter(qtbot, ctx)
    with qtbot.waitSignal(window.lookup.case_shown, timeout=3000) as blocker:
        scan(qtbot, child(window, QLineEdit, "idNumberEdit"), case_no)
    assert blocker.args[0].case_no == case_no
    assert window.tabs.currentIndex() == 1
    assert case_no in text_of(window, "caseDetail")
    assert text_of(window, "idNumberEdit") == ""  # nothing was left in the ID field

    window.lookup._show_case(None)
    with qtbot.waitSignal(window.lookup.case_shown, timeout=3000) as blocker:
        scan(qtbot, child(window, QLineEdit, "lookupEdit"), case_no)
    assert blocker.args[0].case_no == case_no


def receipt_barcode(ctx: AppContext, case_no: str) -> str:
    """The Code128 of the case's printed 受理通知书, rendered at 200 dpi and read back with zxing-cpp."""
    with ctx.store.read() as session:
        pdf = render("receipt", case_doc(session, case_no, clock=CLOCK))
    codes = decode(render_page(pdf, 1, dpi=200)).get("Code128")
    assert codes is not None and len(codes) == 1
    return codes[0]


def renumber_as_legacy(ctx: AppContext, case_no: str) -> str:
    """The case as if accepted before the check digit: its number is the 18 digits without it."""
    legacy = case_no[:18]
    with ctx.store.write() as session:
        session.execute(update(Case).where(Case.case_no == case_no).values(case_no=legacy))
    return legacy


@pytest.mark.parametrize("form", ["current", "legacy"])
def test_scanning_a_receipts_barcode_opens_the_case_and_says_which_form(qtbot: QtBot, ctx: AppContext,
                                                                       form: str) -> None:
    case_no = make_case(ctx)
    if form == "legacy":
        case_no = renumber_as_legacy(ctx, case_no)
    scanned = receipt_barcode(ctx, case_no)
    assert scanned == case_no and len(scanned) == (19 if form == "current" else 18)
    window = open_counter(qtbot, ctx)
    # Into the ID field, where 18 digits could also be an ID number: the store knows the case, so it opens.
    with qtbot.waitSignal(window.lookup.case_shown, timeout=3000) as blocker:
        scan(qtbot, child(window, QLineEdit, "idNumberEdit"), scanned)
    assert blocker.args[0].case_no == case_no and window.tabs.currentIndex() == 1
    status = text_of(window, "statusMessage")
    assert normalize_case_no(case_no).spoken in status
    assert ("旧式 18 位受理编号" in status) == (form == "legacy")
    assert text_of(window, "idNumberEdit") == "" and text_of(window, "applicantError") == ""
    expected = "按旧式 18 位受理编号找到" if form == "legacy" else "按受理编号找到"
    assert text_of(window, "lookupMessage").startswith(expected)


def test_a_mistyped_case_number_in_the_lookup_names_the_likely_typo(qtbot: QtBot, ctx: AppContext) -> None:
    case_no = make_case(ctx)
    window = open_counter(qtbot, ctx)
    window.tabs.setCurrentIndex(1)
    assert case_no[14:18] == "0001"
    typo = case_no[:16] + "10" + case_no[18:]  # read back as …0010: two adjacent digits swapped
    child(window, QLineEdit, "lookupEdit").setText(f"{typo[:6]} {typo[6:12]} {typo[12:14]} {typo[14:18]} {typo[18]}")
    qtbot.mouseClick(child(window, QPushButton, "lookupButton"), Qt.MouseButton.LeftButton)
    assert text_of(window, "lookupError") == "受理编号校验位不符：请核对是否输错一位或两位相邻数字颠倒"
    assert window.lookup.case is None
    # Scanned (or typed at scanner pace), the same number is refused with the reason too.
    scan(qtbot, child(window, QLineEdit, "lookupEdit"), typo)
    assert "校验位不符" in text_of(window, "lookupError") and window.lookup.case is None


def test_scanned_id_in_lookup_lists_that_persons_cases(qtbot: QtBot, ctx: AppContext) -> None:
    case_no = make_case(ctx)
    window = open_counter(qtbot, ctx)
    window.tabs.setCurrentIndex(1)
    with qtbot.waitSignal(window.lookup.case_shown, timeout=3000) as blocker:
        scan(qtbot, child(window, QLineEdit, "lookupEdit"), OTHER_ID)
    assert blocker.args[0].case_no == case_no


def test_scanned_ticket_is_called_at_this_window(qtbot: QtBot, ctx: AppContext) -> None:
    ticket = q.issue_ticket(ctx.store, hall_code=DEMO_HALL_CODE, category="A", clock=ctx.clock)
    ticket = q.confirm_printed(ctx.store, ticket.id, clock=ctx.clock)
    window = open_counter(qtbot, ctx)
    assert window.queue_controller is not None
    qr = ticket_qr_payload(hall_code=DEMO_HALL_CODE, service_date=ticket.service_date, code=ticket.code,
                           ticket_id=ticket.id)
    scan(qtbot, child(window, QLineEdit, "idNumberEdit"), qr)
    assert text_of(window, "currentTicketLabel") == ticket.code
    assert "已叫号" in text_of(window, "queueMessageLabel")
    assert text_of(window, "idNumberEdit") == ""
    with ctx.store.read() as session:
        assert q.find_ticket(session, hall_code=DEMO_HALL_CODE, code=ticket.code,
                             service_date=ticket.service_date).window_number == 1
    # The same ticket again: it is already here, nothing else is called.
    scan(qtbot, child(window, QLineEdit, "idNumberEdit"), qr)
    assert "正在本窗口办理" in text_of(window, "queueMessageLabel")
    # Yesterday's ticket is refused with the reason.
    old = ticket_qr_payload(hall_code=DEMO_HALL_CODE, service_date=ticket.service_date - dt.timedelta(days=1),
                            code="A001", ticket_id=ticket.id)
    scan(qtbot, child(window, QLineEdit, "idNumberEdit"), old)
    assert "已失效" in text_of(window, "queueMessageLabel")


# --- the camera ------------------------------------------------------------------------------------------


def photographed_page() -> np.ndarray:
    """A white A4 page with some 'text', photographed at an angle on a dark desk (BGR, 1600×1200)."""
    page = np.full((1170, 827, 3), 245, np.uint8)
    for i in range(14):
        y = 90 + i * 70
        cv2.rectangle(page, (80, y), (80 + 600 - (i % 4) * 90, y + 22), (30, 30, 30), -1)
    cv2.circle(page, (650, 1000), 70, (40, 40, 200), 6)  # a red seal
    desk = np.full((1200, 1600, 3), (45, 50, 55), np.uint8)
    src = np.array([[0, 0], [826, 0], [826, 1169], [0, 1169]], np.float32)
    dst = np.array([[520, 90], [1180, 140], [1230, 1110], [430, 1060]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    cv2.warpPerspective(page, matrix, (1600, 1200), dst=desk, borderMode=cv2.BORDER_TRANSPARENT)
    return desk


def test_camera_photo_is_cleaned_and_attached_to_the_material(qtbot: QtBot, ctx: AppContext) -> None:
    from tests.ui.test_counter_flow import choose_matter, fill_applicant

    window = open_counter(qtbot, ctx)
    qtbot.mouseClick(child(window, QPushButton, "cameraButton"), Qt.MouseButton.LeftButton)
    assert "先选择事项" in text_of(window, "intakeError")  # nothing to attach to yet
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    window.intake.checklist.mark_all_received()
    qtbot.mouseClick(child(window, QPushButton, "cameraButton"), Qt.MouseButton.LeftButton)
    dialog = window.intake.camera_dialog
    assert isinstance(dialog, CameraDialog) and dialog.isVisible()
    # This machine has no camera: the dialog says so, and the counter behind it keeps working.
    assert "未检测到摄像头" in child(dialog, QLabel, "cameraPreview").text()
    assert "没有可用的摄像头" in child(dialog, QLabel, "cameraDialogMessage").text()
    combo = dialog.material_combo
    combo.setCurrentIndex(combo.findData("contract"))

    photo = photographed_page()
    image = QImage(photo.data, photo.shape[1], photo.shape[0], photo.strides[0], QImage.Format.Format_BGR888)
    assert np.array_equal(qimage_to_bgr(image), photo)
    expected = clean_document(photo).jpeg
    dialog.view.captured.emit(image.copy())  # what CameraView emits when 拍照 is pressed
    label = child(window, QLabel, "attachments_contract")
    assert label.text().startswith("拍照_contract_") and label.text().endswith(".jpg")
    assert "已附上" in child(dialog, QLabel, "cameraDialogMessage").text()
    dialog.close()

    with qtbot.waitSignal(window.intake.case_accepted, timeout=5000) as blocker:
        qtbot.mouseClick(child(window, QPushButton, "acceptButton"), Qt.MouseButton.LeftButton)
    case_no = blocker.args[0].summary.case_no
    with ctx.store.read() as session:
        case_id = session.scalars(select(Case.id).where(Case.case_no == case_no)).one()
        att = session.scalars(select(Attachment).where(Attachment.case_id == case_id)).one()
        att_path, att_sha, att_key, att_mime = att.path, att.sha256, att.material_key, att.mime
    assert att_key == "contract" and att_mime == "image/jpeg"
    assert att_sha == hashlib.sha256(expected).hexdigest()
    stored = (ctx.settings.files_dir / att_path).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == att_sha
    page = cv2.imdecode(np.frombuffer(stored, np.uint8), cv2.IMREAD_COLOR)
    assert page is not None and page.shape[:2] == (1754, 1240)  # straightened to A4 portrait


def test_photo_without_a_page_is_refused_with_the_reason(qtbot: QtBot, ctx: AppContext) -> None:
    from tests.ui.test_counter_flow import choose_matter, fill_applicant

    window = open_counter(qtbot, ctx)
    fill_applicant(qtbot, window)
    choose_matter(qtbot, window)
    dialog = window.intake.open_camera("contract")
    assert dialog is not None and dialog.material_key == "contract"
    desk = np.full((900, 1200, 3), (45, 50, 55), np.uint8)  # an empty desk
    dialog.view.captured.emit(QImage(desk.data, 1200, 900, desk.strides[0], QImage.Format.Format_BGR888).copy())
    assert text_of(window, "attachments_contract") == ""
    message = child(dialog, QLabel, "cameraDialogMessage").text()
    assert message and message == text_of(window, "intakeError")
    dialog.close()
