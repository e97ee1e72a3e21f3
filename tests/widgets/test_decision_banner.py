"""The decision banner shows each outcome with its reasons and deadlines and colours itself by outcome."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from app.checklist import Decision, NoticeItem
from widgets.decision_banner import MAX_LINES, DecisionBanner, format_date

TODAY = dt.date(2026, 3, 2)


def make(qtbot: QtBot) -> DecisionBanner:
    banner = DecisionBanner()
    qtbot.addWidget(banner)
    return banner


def test_prompt_then_deferred_decision(qtbot: QtBot) -> None:
    banner = make(qtbot)
    assert banner.outcome == "none" and banner.title.text() == "待核对"
    decision = Decision(outcome="deferred", reasons=("\"收入证明\"容缺后补",), notice=(), materials=(),
                        promised_due=dt.date(2026, 3, 13), legal_due=dt.date(2026, 3, 27),
                        supplement_due=dt.date(2026, 3, 9))
    with qtbot.waitSignal(banner.outcome_changed) as blocker:
        banner.set_decision(decision, today=TODAY)
    assert blocker.args == ["deferred"]
    assert banner.title.text() == "容缺受理"
    assert banner.property("outcome") == "deferred"
    text = banner.deadlines.text()
    assert "承诺办结：" in text and "3月13日（周五）" in text and "容缺材料补齐：" in text and "3月9日（周一） 前" in text
    assert "收入证明" in banner.reasons.text()


def test_supplement_lists_the_one_time_notice_and_the_notice_period(qtbot: QtBot) -> None:
    banner = make(qtbot)
    notice = tuple(NoticeItem(key=f"m{i}", name=f"材料{i}", form="原件", copies=1, reason="未提交")
                   for i in range(3))
    banner.set_decision(Decision(outcome="supplement", reasons=("未提交\"购房合同\"",), notice=notice,
                                 materials=(), correction_due=dt.date(2026, 3, 13)), today=TODAY)
    assert banner.title.text() == "补正告知" and banner.property("outcome") == "supplement"
    assert "承诺办结" not in banner.deadlines.text() and "3月13日（周五）" in banner.deadlines.text()
    assert "一次性告知须补正：材料0、材料1、材料2" in banner.reasons.text()


def test_refusal_shows_its_ground_and_no_due_dates(qtbot: QtBot) -> None:
    banner = make(qtbot)
    banner.set_decision(Decision(outcome="refused", reasons=("不予受理：申请事项依法不需要取得行政许可",),
                                 notice=(), materials=()), today=TODAY)
    assert banner.title.text() == "不予受理" and banner.deadlines.text() == ""
    assert "不需要取得行政许可" in banner.reasons.text()


def test_long_reason_lists_are_cut_with_the_rest_in_the_tooltip(qtbot: QtBot) -> None:
    banner = make(qtbot)
    reasons = tuple(f"原因{i}" for i in range(MAX_LINES + 3))
    banner.set_decision(Decision(outcome="refused", reasons=reasons, notice=(), materials=()), today=TODAY)
    assert banner.reasons.text().count("·") == MAX_LINES + 1
    assert "另有 3 条" in banner.reasons.text()
    assert "原因8" in banner.toolTip()


def test_error_and_signal_only_on_change(qtbot: QtBot) -> None:
    banner = make(qtbot)
    seen: list[str] = []
    banner.outcome_changed.connect(seen.append)
    banner.show_error("日期超出工作日历已知年份：2031")
    banner.show_error("日期超出工作日历已知年份：2031")
    assert seen == ["error"] and banner.title.text() == "无法判定"
    assert "2031" in banner.reasons.text()
    assert format_date(None, today=TODAY) == "—"
    assert format_date(dt.date(2026, 12, 4), today=dt.date(2026, 11, 22)) == "12月4日（周五）"
    assert format_date(dt.date(2027, 1, 6), today=dt.date(2026, 12, 30)) == "2027年1月6日（周三）"


def test_a_deadline_shows_its_year_only_when_it_is_not_the_day_s_year(qtbot: QtBot) -> None:
    banner = make(qtbot)
    decision = Decision(outcome="normal", reasons=(), notice=(), materials=(),
                        promised_due=dt.date(2027, 1, 6), legal_due=dt.date(2027, 1, 20))
    banner.set_decision(decision, today=dt.date(2026, 12, 31))
    assert "2027年1月6日（周三）" in banner.deadlines.text()
    banner.set_decision(decision, today=dt.date(2027, 1, 1))
    assert "承诺办结：1月6日（周三）" in banner.deadlines.text() and "2027年" not in banner.deadlines.text()
