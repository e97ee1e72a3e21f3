"""延时服务, 上门服务 and 政务专递 in: how a case was taken when not across the counter in opening hours.

- 延时服务: a case accepted outside the hall's opening hours (setting ``hall.opening_hours``, e.g.
  ``08:30-12:00,14:30-17:30``) or on a day that is not a working day is flagged ``after_hours``. The lunch break
  counts: a hall keeping a window open at noon (午间不打烊) is giving 延时服务.
- 上门服务: the clerk went to the applicant (an elder, a disabled person); the case keeps place, time and staff.
- 政务专递 in: the materials came by post; the case keeps the tracking number, the sender and the date received,
  and its deadlines run from that date (DOMAIN.md: for papers supplied by post "date = received").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from app.errors import ValidationError

DEFAULT_OPENING_HOURS = "08:30-12:00,14:30-17:30"
TRACKING_RE = re.compile(r"^[A-Z0-9]{8,30}$")
HOME_REASONS: dict[str, str] = {"elder": "高龄老人", "disabled": "残疾人", "ill": "重病", "other": "其他行动不便"}
POST_IN_MAX_AGE_DAYS = 60  # a receipt date older than this is a typing error more often than a late entry


@dataclass(frozen=True)
class OpeningHours:
    """The hall's opening periods on a working day, in hall-local time."""

    periods: tuple[tuple[dt.time, dt.time], ...]

    def is_open(self, local: dt.datetime) -> bool:
        t = local.time()
        return any(start <= t < end for start, end in self.periods)


def parse_opening_hours(text: str) -> OpeningHours:
    """``08:30-12:00,14:30-17:30`` → OpeningHours; a clear Chinese error otherwise (the settings dialog shows it)."""
    periods: list[tuple[dt.time, dt.time]] = []
    for part in (p.strip() for p in text.replace("，", ",").split(",")):
        if not part:
            continue
        m = re.fullmatch(r"(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})", part)
        if m is None:
            raise ValidationError(f"开放时间“{part}”格式应为 08:30-12:00，多段用逗号分隔", field="opening_hours")
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            raise ValidationError(f"开放时间“{part}”中的时刻无效", field="opening_hours")
        start, end = dt.time(h1, m1), dt.time(23, 59, 59, 999999) if h2 == 24 else dt.time(h2, m2)
        if end <= start:
            raise ValidationError(f"开放时间“{part}”的结束早于开始", field="opening_hours")
        periods.append((start, end))
    if not periods:
        raise ValidationError("请填写开放时间，如 08:30-12:00,14:30-17:30", field="opening_hours")
    return OpeningHours(tuple(sorted(periods)))


def is_after_hours(local: dt.datetime, hours: OpeningHours, *, workday: bool) -> bool:
    """延时服务: outside every opening period, or on a day that is not a working day."""
    return not workday or not hours.is_open(local)


@dataclass(frozen=True)
class HomeVisitInput:
    """上门服务: where and when the clerk served the applicant, who went, and why."""

    place: str
    at: dt.datetime  # when the visit happened (aware)
    staff: tuple[str, ...]
    reason: Literal["elder", "disabled", "ill", "other"] = "elder"


@dataclass(frozen=True)
class PostInInput:
    """政务专递 in: the envelope's tracking number, its sender, the day the hall received it."""

    tracking_no: str
    sender: str
    received_on: dt.date


def normal_tracking(text: str) -> str:
    return text.strip().upper().replace(" ", "")


def home_visit_record(visit: HomeVisitInput, *, today: dt.date, day_of: Any) -> dict[str, Any]:
    """The case's ``home_visit`` (validated); ``day_of`` gives an instant's hall day."""
    place = visit.place.strip()
    staff = [s.strip() for s in visit.staff if s.strip()]
    if len(place) < 4:
        raise ValidationError("上门服务须填写服务地点（如 某嘎查某户）", field="home_place")
    if len(place) > 200:
        raise ValidationError("服务地点不能超过 200 个字", field="home_place")
    if not staff:
        raise ValidationError("上门服务须填写上门人员", field="home_staff")
    if any(len(s) > 40 for s in staff) or len(staff) > 10:
        raise ValidationError("上门人员最多 10 人，每人姓名不超过 40 个字", field="home_staff")
    if visit.at.tzinfo is None:
        raise ValidationError("上门时间须带时区", field="home_at")
    if day_of(visit.at) > today:
        raise ValidationError("上门时间不能晚于今天：请在上门办理后登记", field="home_at")
    if visit.reason not in HOME_REASONS:
        raise ValidationError("上门原因应为：高龄老人、残疾人、重病或其他行动不便", field="home_reason")
    return {"place": place, "at": visit.at.astimezone(dt.UTC).isoformat(), "staff": staff, "reason": visit.reason}


def post_in_record(post: PostInInput, *, today: dt.date) -> dict[str, Any]:
    """The case's ``post_in`` (validated)."""
    tracking = normal_tracking(post.tracking_no)
    if not TRACKING_RE.match(tracking):
        raise ValidationError("邮件号应为 8–30 位字母或数字（见邮件详情单）", field="post_tracking_no")
    sender = post.sender.strip()
    if not sender:
        raise ValidationError("请填写寄件人", field="post_sender")
    if len(sender) > 100:
        raise ValidationError("寄件人不能超过 100 个字", field="post_sender")
    if post.received_on > today:
        raise ValidationError("收到日期不能晚于今天", field="post_received_on")
    if (today - post.received_on).days > POST_IN_MAX_AGE_DAYS:
        raise ValidationError(f"收到日期早于 {POST_IN_MAX_AGE_DAYS} 天前：请核对邮件签收日期", field="post_received_on")
    return {"tracking_no": tracking, "sender": sender, "received_on": post.received_on.isoformat()}


__all__ = ["DEFAULT_OPENING_HOURS", "HOME_REASONS", "HomeVisitInput", "OpeningHours", "PostInInput",
           "home_visit_record", "is_after_hours", "parse_opening_hours", "post_in_record"]
