"""Traditional Mongolian on screen: one widget for the display, the kiosk and the rating screen.

The script runs top to bottom, lines left to right. Its fonts are designed for a horizontal run turned 90°
clockwise, so :class:`MongolianText` lets Qt (HarfBuzz) shape each line horizontally and, in the vertical form,
paints it rotated: columns top to bottom, the first column at the left. The horizontal form (the run as
shaped, letters on their side) is for narrow places — a button, a status line.

The bundled Noto Sans Mongolian is loaded through QFontDatabase, so a PC without a Mongolian font still shows the
letters and never tofu; digits and Chinese inside a Mongolian line fall back to the CJK font.

:class:`BilingualPair` places a Mongolian text and its Chinese widget in the configured order (Mongolian first:
above, or to the left — 内蒙古自治区蒙古语言文字工作条例) and hides the Mongolian when the output is Chinese only.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QFontMetricsF,
    QImage,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)

from app.language import Languages
from app.paths import resource

MONGOLIAN_FONT_FILE = resource("fonts", "NotoSansMongolian-Regular.ttf")


@cache
def mongolian_family() -> str:
    """The bundled Mongolian font's family name, registered with Qt once per process."""
    font_id = QFontDatabase.addApplicationFont(str(MONGOLIAN_FONT_FILE))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        raise RuntimeError(f"缺少蒙古文字体文件 {MONGOLIAN_FONT_FILE}，请重新安装本程序")
    return families[0]


def mongolian_font(pixel_size: int, *, bold: bool = False) -> QFont:
    """The Mongolian font at ``pixel_size``, with the application's (CJK) family behind it for digits and 汉字."""
    font = QFont()
    fallback = QApplication.font().family()
    font.setFamilies([mongolian_family(), *([fallback] if fallback else [])])
    font.setPixelSize(max(1, pixel_size))
    font.setBold(bold)
    return font


def break_lines(text: str, metrics: QFontMetricsF, length: float) -> list[str]:
    """``text`` broken at spaces into lines no longer than ``length`` pixels (a longer word stands alone)."""
    out: list[str] = []
    current = ""
    for word in text.split(" "):
        if not word:
            continue
        trial = f"{current} {word}" if current else word
        if current and metrics.horizontalAdvance(trial) > length:
            out.append(current)
            current = word
        else:
            current = trial
    if current:
        out.append(current)
    return out


class MongolianText(QWidget):
    """Mongolian text, vertical (columns, the default) or horizontal, broken only at spaces (U+0020; U+202F
    keeps a suffix with its word).

    Vertical: the column length is the widget's height; the width it asks for follows the number of columns.
    Horizontal: lines as long as the widget is wide; the height it asks for follows the number of lines.
    The colour is the palette's WindowText (a style sheet's ``color`` on the widget sets it), or :meth:`set_color`.
    """

    def __init__(self, text: str = "", *, vertical: bool = True, pixel_size: int = 24, column_length: int = 0,
                 alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignHCenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        self._vertical = vertical
        self._alignment = alignment  # horizontal lines: left, centred or right, like the Chinese they stand by
        self._color: QColor | None = None
        self._column_length = column_length  # the length a vertical column asks for before it is laid out
        # Shaping is the cost of painting: the broken lines and each line's shaped QStaticText are kept until
        # the text or the font changes (the hall display repaints them every second).
        self._lines_cache: dict[int, list[str]] = {}
        self._static: dict[str, QStaticText] = {}
        # Turned text misses Qt's glyph cache (each glyph is filled as a path): each column is drawn once,
        # upright, into a pixmap turned 90° and kept; painting is then a blit.
        self._columns: dict[tuple[str, int, float], QPixmap] = {}
        self.setFont(mongolian_font(pixel_size))
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)  # a tap goes to the button under it
        if vertical:
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        else:
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    # --- contents -----------------------------------------------------------------------------------------

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self._lines_cache.clear()
            self._fit_columns()
            self.updateGeometry()
            self.update()

    def is_vertical(self) -> bool:
        return self._vertical

    def set_pixel_size(self, pixel_size: int, *, bold: bool = False) -> None:
        font = mongolian_font(pixel_size, bold=bold)
        if font != self.font():
            self.setFont(font)
            self._lines_cache.clear()
            self._static.clear()
            self._columns.clear()
            self._fit_columns()
            self.updateGeometry()
            self.update()

    def set_color(self, color: QColor | str) -> None:
        self._color = QColor(color)
        self.update()

    def _column(self, line: str, color: QColor) -> QPixmap:
        """One vertical column: ``line`` drawn upright, then the image turned 90° clockwise; cached."""
        ratio = self.devicePixelRatioF()
        key = (line, color.rgba(), ratio)
        found = self._columns.get(key)
        if found is None:
            if len(self._columns) > 64:
                self._columns.clear()
            fm = self._metrics()
            image = QImage(max(1, int((fm.horizontalAdvance(line) + 2) * ratio)), max(1, int(fm.height() * ratio)),
                           QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(ratio)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            painter.setFont(self.font())
            painter.setPen(color)
            painter.drawStaticText(QPointF(0, 0), self._static_text(line))
            painter.end()
            found = QPixmap.fromImage(image.transformed(QTransform().rotate(90)))
            found.setDevicePixelRatio(ratio)
            self._columns[key] = found
        return found

    # --- layout -------------------------------------------------------------------------------------------

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.font())

    def lines(self, length: float | None = None) -> list[str]:
        """The text broken at spaces into lines (vertical: columns) no longer than ``length`` pixels (default:
        the widget's height when vertical, its width when horizontal); a longer word stands alone."""
        if length is None:
            length = self.height() if self._vertical else self.width()
        key = int(length)
        found = self._lines_cache.get(key)
        if found is None:
            if len(self._lines_cache) > 16:
                self._lines_cache.clear()
            found = self._lines_cache[key] = break_lines(self._text, self._metrics(), key)
        return found

    def _static_text(self, line: str) -> QStaticText:
        found = self._static.get(line)
        if found is None:
            if len(self._static) > 64:
                self._static.clear()
            found = QStaticText(line)
            found.setTextFormat(Qt.TextFormat.PlainText)
            found.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            found.prepare(font=self.font())
            self._static[line] = found
        return found

    def _line_step(self) -> float:
        return self._metrics().height()

    def _extent(self, length: float) -> int:
        """The room across the lines: the width of the columns (vertical) or the height of the lines."""
        return int(len(self.lines(length)) * self._line_step()) + 2 if self._text else 0

    def sizeHint(self) -> QSize:
        fm = self._metrics()
        natural = int(fm.horizontalAdvance(self._text)) + 4
        if self._vertical:
            length = self.height() if self.height() > 30 else (self._column_length or natural)
            return QSize(self._extent(length), min(natural, self._column_length or natural))
        length = self.width() if self.width() > 30 else natural
        return QSize(natural, self._extent(length))

    def minimumSizeHint(self) -> QSize:
        # One line's room: the layout asks heightForWidth (horizontal) for the rest, and a vertical text sets
        # its minimum width from its height once it has one (resizeEvent). Asking for the extent at a tiny
        # length here would claim one line per word and push the window off the screen.
        step = int(self._line_step()) + 2
        return QSize(step, step)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize() != event.size():
            self._fit_columns()

    def _fit_columns(self) -> None:
        """The number of columns (vertical) follows the height, the number of lines (horizontal) the width; the
        layout hears of it through the minimum width or height, so the other side follows. (Not Qt's
        heightForWidth: in a top-level window that makes Qt grow the whole window to fit.)"""
        if self._vertical:
            if self.height() > 30 and (needed := self._extent(self.height())) != self.minimumWidth():
                self.setMinimumWidth(needed)
        elif self.width() > 30 and (needed := self._extent(self.width())) != self.minimumHeight():
            self.setMinimumHeight(needed)

    # --- painting -----------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._text:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.setFont(self.font())
        color = self._color if self._color is not None else self.palette().color(self.foregroundRole())
        painter.setPen(color)
        fm = self._metrics()
        step = self._line_step()
        if self._vertical:
            # Turned 90° clockwise the run's top faces right: column i's "top" edge is at x = (i + 1) * step.
            lines = self.lines()
            total = len(lines) * step
            left = max(0.0, (self.width() - total) / 2)
            for i, line in enumerate(lines):
                # Turned clockwise, the run's top faces right: column i spans x = left + i·step … + step.
                painter.drawPixmap(QPointF(left + i * step, 0), self._column(line, color))
        else:
            lines = self.lines()
            top = max(0.0, (self.height() - len(lines) * step) / 2)
            for i, line in enumerate(lines):
                static = self._static_text(line)
                width = static.size().width()
                if self._alignment & Qt.AlignmentFlag.AlignHCenter:
                    x = (self.width() - width) / 2
                elif self._alignment & Qt.AlignmentFlag.AlignRight:
                    x = self.width() - width
                else:
                    x = 0.0
                painter.drawStaticText(QPointF(x, top + i * step + (step - fm.height()) / 2), static)
        painter.end()


class BilingualPair(QWidget):
    """A Mongolian text and its Chinese widget in the configured order: side by side (Mongolian to the left,
    for a vertical column) or stacked (Mongolian above, for a horizontal line). Chinese only: the Mongolian is
    hidden and takes no room."""

    def __init__(self, mongolian: MongolianText, chinese: QWidget, *, side_by_side: bool | None = None,
                 spacing: int = 8, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mongolian = mongolian
        self.chinese = chinese
        side = mongolian.is_vertical() if side_by_side is None else side_by_side
        direction = QBoxLayout.Direction.LeftToRight if side else QBoxLayout.Direction.TopToBottom
        # A horizontal line beside its Chinese: both at their natural width, centred together as one title.
        self._centred = side and not mongolian.is_vertical()
        if self._centred:
            mongolian.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
            chinese.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self._layout = QBoxLayout(direction, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(spacing)
        self._languages = Languages(bilingual=True)
        self._arrange()

    def set_languages(self, languages: Languages) -> None:
        if languages != self._languages:
            self._languages = languages
            self._arrange()

    def languages(self) -> Languages:
        return self._languages

    def _arrange(self) -> None:
        while self._layout.count():
            self._layout.takeAt(0)  # the widgets stay; only their places are rebuilt
        if self._centred:
            self._layout.addStretch(1)
        for lang in ("mn", "zh") if self._languages.mongolian_first else ("zh", "mn"):
            widget = self.mongolian if lang == "mn" else self.chinese
            self._layout.addWidget(widget, 0 if lang == "mn" or self._centred else 1)
        if self._centred:
            self._layout.addStretch(1)
        self.mongolian.setVisible("mn" in self._languages.order)

    def order(self) -> list[str]:
        """The languages shown, in layout order ("mn", "zh"): what a test or a screenshot check reads."""
        out = []
        for i in range(self._layout.count()):
            item = self._layout.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is self.mongolian and not self.mongolian.isHidden():
                out.append("mn")
            elif widget is self.chinese:
                out.append("zh")
        return out


class BilingualButton(QPushButton):
    """A touch button labelled in both scripts, in the configured order (Mongolian above when first), the
    Mongolian broken into lines to fit. Both labels are drawn by the style, so a style sheet's colours for
    :checked, :pressed and :disabled apply to both scripts alike."""

    def __init__(self, chinese: str, mongolian: str = "", *, mn_scale: float = 0.8,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chinese = chinese
        self._mongolian = mongolian
        self._languages = Languages(bilingual=True)
        self._mn_scale = mn_scale  # the Mongolian line a little smaller than the Chinese one
        self.setAccessibleName(chinese)

    def chinese_text(self) -> str:
        return self._chinese

    def mongolian_text(self) -> str:
        return self._mongolian

    def set_texts(self, chinese: str, mongolian: str) -> None:
        self._chinese, self._mongolian = chinese, mongolian
        self.setAccessibleName(chinese)
        self.updateGeometry()
        self.update()

    def set_languages(self, languages: Languages) -> None:
        if languages != self._languages:
            self._languages = languages
            self.updateGeometry()
            self.update()

    def order(self) -> list[str]:
        """The scripts shown, top to bottom."""
        return [lang for lang in self._languages.order if lang == "zh" or self._mongolian]

    def _mn_font(self) -> QFont:
        return mongolian_font(max(8, int(self.font().pixelSize() * self._mn_scale)) if self.font().pixelSize() > 0
                              else int(QFontMetricsF(self.font()).height() * self._mn_scale))

    def _parts(self, width: float) -> list[tuple[QFont, str, float]]:
        parts: list[tuple[QFont, str, float]] = []
        for lang in self.order():
            if lang == "zh":
                fm = QFontMetricsF(self.font())
                lines = self._chinese.split("\n")
                parts.append((self.font(), self._chinese, fm.height() * len(lines)))
            else:
                font = self._mn_font()
                fm = QFontMetricsF(font)
                lines = break_lines(self._mongolian, fm, max(40.0, width - 16))
                parts.append((font, "\n".join(lines), fm.height() * len(lines)))
        return parts

    def sizeHint(self) -> QSize:
        width = max(self.minimumWidth(), 160)
        parts = self._parts(width)
        widest = max((QFontMetricsF(f).horizontalAdvance(line) for f, t, _h in parts for line in t.split("\n")),
                     default=0.0)
        return QSize(int(min(max(widest + 24, width), 2 * width)), int(sum(h for *_x, h in parts) + 20))

    def minimumSizeHint(self) -> QSize:
        return QSize(80, int(sum(h for *_x, h in self._parts(max(self.width(), 80))) + 12))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)
        parts = self._parts(self.width())
        y = (self.height() - sum(h for *_x, h in parts)) / 2
        for font, text, height in parts:
            part = QStyleOptionButton(option)
            part.rect = QRect(0, int(y), self.width(), int(height + 0.5))
            part.text = text
            painter.setFont(font)
            part.fontMetrics = QFontMetrics(font)
            painter.drawControl(QStyle.ControlElement.CE_PushButtonLabel, part)
            y += height
        painter.end()
