"""Which languages the applicant-facing output uses, in which order: Mongolian and Chinese side by side in
Inner Mongolia (内蒙古自治区蒙古语言文字工作条例: both scripts, Mongolian first — above or to the left).

A hall decides whether its public output is bilingual; one PC may override it (``[language] bilingual``), and
the order is Mongolian first unless a setting says otherwise. Screens, papers and the voice call all ask
:func:`languages_for` rather than reading the settings themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.errors import SettingsError
from app.settings import Settings

Language = Literal["mn", "zh"]
BILINGUAL_CHOICES = ("hall", "on", "off")
FIRST_CHOICES = ("mn", "zh")


@dataclass(frozen=True)
class Languages:
    bilingual: bool
    mongolian_first: bool = True

    @property
    def order(self) -> tuple[Language, ...]:
        """The languages in the order they are shown and spoken: ("mn", "zh"), ("zh", "mn") or ("zh",)."""
        if not self.bilingual:
            return ("zh",)
        return ("mn", "zh") if self.mongolian_first else ("zh", "mn")


CHINESE_ONLY = Languages(bilingual=False)


def languages_for(settings: Settings, *, hall_bilingual: bool = True) -> Languages:
    """This PC's languages: its own ``[language] bilingual`` when on/off, else the hall's choice."""
    lang = settings.language
    if lang.bilingual not in BILINGUAL_CHOICES:
        raise SettingsError(f"设置 language.bilingual 应为 hall / on / off，得到 {lang.bilingual!r}")
    if lang.first not in FIRST_CHOICES:
        raise SettingsError(f"设置 language.first 应为 mn / zh，得到 {lang.first!r}")
    bilingual = hall_bilingual if lang.bilingual == "hall" else lang.bilingual == "on"
    return Languages(bilingual=bilingual, mongolian_first=lang.first == "mn")


def is_mongolian(text: str) -> bool:
    """True when ``text`` holds a letter of the Mongolian block (U+1800–U+18AF)."""
    return any("\u1800" <= ch <= "\u18af" for ch in text)


def has_foreign_letters(text: str) -> bool:
    """True when ``text`` holds a letter of another script (Han, Latin, Cyrillic …) — in a Mongolian-script field
    (a catalog's name, a window's name, the notice) that is the usual slip: the Chinese name pasted there."""
    return any(ch.isalpha() and not "\u1800" <= ch <= "\u18af" for ch in text)
