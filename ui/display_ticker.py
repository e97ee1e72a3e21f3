"""The hall display's notice line: the notice in both scripts on one line, in the configured order, scrolling
right to left when it is wider than the screen (a 1080-px portrait screen, a long notice) and standing still,
centred, when it fits.

One line for both scripts keeps the notice to one line's height, which the landscape display needs for its 5 m
type (ui.display_sizes). The Mongolian is the horizontal form (the run as shaped, as ``MongolianText`` draws it
when horizontal); each part is shaped once into a ``QStaticText`` and only moved while scrolling.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QResizeEvent, QStaticText
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.language import Language, Languages
from widgets.mongolian_text import mongolian_font

GAP_EM = 3.0  # the room between the parts, and between the end of the line and its next turn, in ems
SPEED_EM_PER_S = 2.5  # about two characters a second: read while it moves, at every screen size
STEP_MS = 40  # 25 steps a second


class NoticeTicker(QWidget):
    """The notice, Chinese and Mongolian on one line. ``offset()`` is how far the line has scrolled (0 when it
    fits and stands still); ``parts()`` gives the scripts in drawing order."""

    def __init__(self, chinese: str = "", mongolian: str = "", *, pixel_size: int = 30,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeTicker")
        self._chinese = chinese
        self._mongolian = mongolian
        self._languages = Languages(bilingual=True)
        self._pixel_size = pixel_size
        self._color = QColor("#ffe082")
        self._static: list[tuple[Language, QFont, QStaticText]] = []
        self._offset = 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(STEP_MS)
        self.timer.timeout.connect(self._step)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        self._prepare()

    # --- contents -----------------------------------------------------------------------------------------

    def set_texts(self, chinese: str, mongolian: str) -> None:
        if (chinese, mongolian) != (self._chinese, self._mongolian):
            self._chinese, self._mongolian = chinese, mongolian
            self._prepare()

    def set_languages(self, languages: Languages) -> None:
        if languages != self._languages:
            self._languages = languages
            self._prepare()

    def set_pixel_size(self, pixel_size: int) -> None:
        if pixel_size != self._pixel_size:
            self._pixel_size = pixel_size
            self._prepare()

    def set_color(self, color: QColor | str) -> None:
        self._color = QColor(color)
        self.update()

    def parts(self) -> list[tuple[Language, str]]:
        """(language, text) in the order drawn: Mongolian first when the order says so; Chinese only when not
        bilingual or when the notice has no Mongolian wording."""
        out: list[tuple[Language, str]] = []
        for lang in self._languages.order:
            text = self._chinese if lang == "zh" else self._mongolian
            if text:
                out.append((lang, text))
        return out

    def offset(self) -> float:
        return self._offset

    def scrolling(self) -> bool:
        return self.timer.isActive()

    def _fonts(self) -> dict[Language, QFont]:
        chinese = QFont(self.font())
        chinese.setPixelSize(max(8, self._pixel_size))
        return {"zh": chinese, "mn": mongolian_font(int(self._pixel_size * 0.9))}

    def _prepare(self) -> None:
        fonts = self._fonts()
        self._static = []
        for lang, text in self.parts():
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            static.prepare(font=fonts[lang])
            self._static.append((lang, fonts[lang], static))
        self.setFixedHeight(int(self._line_height()) + 4)
        self._offset = 0.0
        self._update_scrolling()
        self.update()

    # --- geometry -----------------------------------------------------------------------------------------

    def _gap(self) -> float:
        return GAP_EM * self._pixel_size

    def _line_height(self) -> float:
        return max((QFontMetricsF(font).height() for font in self._fonts().values()), default=0.0)

    def content_width(self) -> float:
        """One turn of the line: the parts with the gaps between them."""
        widths = [static.size().width() for _lang, _font, static in self._static]
        return sum(widths) + self._gap() * max(0, len(widths) - 1)

    def sizeHint(self) -> QSize:
        return QSize(int(self.content_width()), int(self._line_height()) + 4)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scrolling()

    def _update_scrolling(self) -> None:
        if self._static and self.content_width() > self.width():
            if not self.timer.isActive():
                self.timer.start()
        else:
            self.timer.stop()
            self._offset = 0.0

    def _step(self) -> None:
        turn = self.content_width() + self._gap()
        self._offset = (self._offset + SPEED_EM_PER_S * self._pixel_size * STEP_MS / 1000.0) % max(1.0, turn)
        self.update()

    # --- painting -----------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._static:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.setPen(self._color)
        content = self.content_width()
        if self.scrolling():
            starts = [-self._offset, -self._offset + content + self._gap()]  # the next turn follows the first
        else:
            starts = [(self.width() - content) / 2]
        for start in starts:
            x = start
            for _lang, font, static in self._static:
                size = static.size()
                if x < self.width() and x + size.width() > 0:
                    painter.setFont(font)
                    painter.drawStaticText(QPointF(x, (self.height() - size.height()) / 2), static)
                x += size.width() + self._gap()
        painter.end()
