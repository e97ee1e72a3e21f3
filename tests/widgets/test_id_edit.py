"""The ID-number edit: live validation as the clerk types, kinds allowed per mode, signals only on change."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from widgets.id_edit import ORGANISATION_KINDS, IdEdit

GOOD = "150929199001011234"
BAD_CHECK = "150929199001011239"
TODAY = date(2026, 11, 22)  # the hall day numbers are checked on


def make(qtbot: QtBot, **kwargs: object) -> IdEdit:
    kwargs.setdefault("today", lambda: TODAY)
    edit = IdEdit(**kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(edit)
    return edit


def test_valid_number_describes_the_person(qtbot: QtBot) -> None:
    edit = make(qtbot)
    assert edit.objectName() == "idNumberEdit"
    with qtbot.waitSignal(edit.check_changed) as blocker:
        qtbot.keyClicks(edit, GOOD)
    check = blocker.args[0]
    assert check is not None and check.valid and check.kind == "resident"
    assert edit.state == "valid" and edit.is_acceptable()
    assert "居民身份证" in edit.message and "男" in edit.message and "1990年1月1日生" in edit.message
    assert edit.property("state") == "valid"


def test_partial_then_wrong_check_digit(qtbot: QtBot) -> None:
    edit = make(qtbot)
    qtbot.keyClicks(edit, BAD_CHECK[:10])
    assert edit.state == "" and edit.message == "已输入 10 位" and edit.check is None
    qtbot.keyClicks(edit, BAD_CHECK[10:])
    assert edit.state == "invalid" and not edit.is_acceptable()
    assert "校验" in edit.message


def test_short_number_is_an_error_only_once_the_clerk_leaves(qtbot: QtBot) -> None:
    edit = make(qtbot)
    qtbot.keyClicks(edit, GOOD[:15])  # an 18-digit number on its way, not a bad 15-digit one
    assert edit.state == "" and edit.message == "已输入 15 位"
    edit.editingFinished.emit()
    assert edit.state == "invalid" and "还差 3 位" in edit.message
    edit.clear()
    qtbot.keyClicks(edit, "1509291990")
    edit.editingFinished.emit()
    assert edit.state == "invalid" and "应为 18 位" in edit.message


def test_lowercase_x_and_spaces_are_normalised_on_leaving(qtbot: QtBot) -> None:
    edit = make(qtbot)
    qtbot.keyClicks(edit, "150929 19850315 234x")
    assert edit.is_acceptable()
    edit.editingFinished.emit()
    assert edit.text() == "15092919850315234X"
    assert edit.normalized() == "15092919850315234X"


def test_organisation_mode_accepts_only_credit_codes(qtbot: QtBot) -> None:
    edit = make(qtbot, kinds=ORGANISATION_KINDS)
    qtbot.keyClicks(edit, GOOD)
    assert edit.state == "invalid" and "统一社会信用代码" in edit.message
    edit.clear()
    qtbot.keyClicks(edit, "91150929MA0N00000A")
    assert edit.is_acceptable() and "统一社会信用代码" in edit.message


def test_check_changed_fires_only_when_the_result_changes(qtbot: QtBot) -> None:
    edit = make(qtbot)
    seen: list[object] = []
    edit.check_changed.connect(seen.append)
    qtbot.keyClicks(edit, GOOD[:5])
    assert seen == []  # incomplete stays None: no change
    qtbot.keyClicks(edit, GOOD[5:])
    edit.setText(GOOD)  # same text again
    assert len(seen) == 1
    edit.clear()
    assert seen[-1] is None and len(seen) == 2 and edit.message == ""
