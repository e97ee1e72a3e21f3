"""Type sizes of the hall display, derived from the screen and the distance they must be read from.

The rule (docs/queue.md, "Type sizes read from 5 m"): a character is read reliably when its height subtends at least
16 minutes of arc at the eye — ISO 9241-303's minimum character height for reading tasks (20–22′ preferred). At a
distance ``d`` that is ``d · tan(16′)``: 23 mm at 5 m, 14 mm at 3 m. What a waiting applicant must read from across
the hall — the called ticket and the window number, on the call banner and on every window card — is held to 5 m;
the call banner, the one thing looked for at a glance, to twice that. Window names, the recent calls, the waiting
counts and the notice repeat what the call says and are read from the seats nearer the windows: 3 m.

Millimetres become pixels through the screen's pixel density: the display's diagonal in pixels over its diagonal
in millimetres (``[queue] display_inches``, 43″ by default — the smallest hall TV commonly fitted, so on a bigger
set everything is physically larger, never smaller). Screens report no trustworthy size of their own (a TV's EDID
often gives 0 or its aspect ratio in cm), so the setting, not the EDID, is the source.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

READING_ARCMIN = 16.0  # ISO 9241-303: minimum character height for reading, in minutes of arc
CALL_DISTANCE_M = 5.0  # from the far side of the waiting area: the ticket and the window must be read from here
NEAR_DISTANCE_M = 3.0  # names, lists and the notice: read from the nearer seats
GLANCE_FACTOR = 2.0  # the call banner: the thing looked for first, twice the reading size
# A Chinese character's ink is about 0.9 of the font's pixel size (the em); Latin capitals are about 0.7.
HAN_INK = 0.9
DEFAULT_INCHES = 43.0


def char_height_mm(distance_m: float, arcmin: float = READING_ARCMIN) -> float:
    """The character height that subtends ``arcmin`` minutes of arc at ``distance_m`` metres."""
    return distance_m * 1000.0 * math.tan(math.radians(arcmin / 60.0))


def pixels_per_mm(width_px: int, height_px: int, diagonal_inches: float) -> float:
    """The screen's pixel density from its pixel size and its diagonal (a full-screen display: the window's size)."""
    inches = diagonal_inches if diagonal_inches > 0 else DEFAULT_INCHES
    return math.hypot(width_px, height_px) / (inches * 25.4)


@dataclass(frozen=True)
class DisplayType:
    """Font pixel sizes (the em) for each kind of text on the display."""

    px_per_mm: float
    call: int  # the call banner: "请 A012 号到 3 号窗口办理"
    code: int  # a card's window number and ticket; the banner's window name
    near: int  # window names, recent calls, waiting counts, notice, the header

    def mm(self, pixel_size: int) -> float:
        """The height of a Chinese character set at ``pixel_size``, in millimetres on this screen."""
        return pixel_size * HAN_INK / self.px_per_mm


def _font_px(distance_m: float, px_per_mm: float, factor: float = 1.0) -> int:
    return math.ceil(char_height_mm(distance_m) * factor * px_per_mm / HAN_INK)


def display_type(width_px: int, height_px: int, diagonal_inches: float = DEFAULT_INCHES) -> DisplayType:
    """The display's type sizes on a ``width_px`` × ``height_px`` screen of ``diagonal_inches``."""
    density = pixels_per_mm(width_px, height_px, diagonal_inches)
    return DisplayType(px_per_mm=density, call=_font_px(CALL_DISTANCE_M, density, GLANCE_FACTOR),
                       code=_font_px(CALL_DISTANCE_M, density), near=_font_px(NEAR_DISTANCE_M, density))
