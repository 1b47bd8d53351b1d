"""Charts drawn on the server: the same picture as inline SVG (the page, and the PDF, which runs
no JavaScript) and as PNG (the Word file), each with its table beside it.

A chart is plain data (`Bars`, `Lines`). `layout()` computes it once into primitives — rects,
lines, polylines, markers, texts at baseline positions in user units — and `svg()` serializes
them while `png()` draws them with Pillow, so screen, PDF and Word agree. Text is measured with
the TrueType font found on the system (Liberation Sans, metric-compatible with Arial, so a
browser without it still lays the text out as measured; else DejaVu Sans).

The SVG keeps the site's strict CSP: no script, no style attribute or element, no event
handler, no external reference; presentation attributes only. Every text is escaped (names
come from users). Series differ in lightness and in dash and marker shape, so a grayscale
print still tells them apart; a legend names them.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import math
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

from django.utils.formats import get_format
from django.utils.translation import gettext as _
from markupsafe import Markup
from PIL import Image, ImageDraw, ImageFont

WIDTH = 720.0  # user units; about 17 cm in the PDF and the Word file, so 13 units ≈ 9 pt
MARGIN = 16.0
MAX_SERIES = 4
INK = "#1a1a1a"
MUTED = "#595959"
GRID = "#d9d9d9"
AXIS = "#737373"
ZEBRA = "#f3f3f3"
WHITE = "#ffffff"

# Title, category labels, legend, values and ticks: sizes in user units.
TITLE_SIZE, TITLE_LINE = 16.0, 20.0
LABEL_SIZE, LABEL_LINE = 13.0, 16.5
LEGEND_SIZE = 12.0
VALUE_SIZE = 11.0
TICK_SIZE = 11.0
DIGIT_MIDDLE = 0.36  # the middle of a digit above its baseline, in em (Liberation, DejaVu)


class BarStyle(NamedTuple):
    fill: str
    outline: str


class LineStyle(NamedTuple):
    stroke: str
    dash: tuple[float, ...]
    marker: Literal["circle", "square", "triangle", "diamond"]


# Grayscale lightness about 27 %, 74 %, 45 %, 89 %: apart in print; the light ones outlined.
BAR_STYLES = (
    BarStyle("#1f4e79", ""),
    BarStyle("#9dc3e6", "#1f4e79"),
    BarStyle("#c55a11", ""),
    BarStyle("#e2e2e2", "#404040"),
)
# Lines differ in colour, and in dash and marker for a grayscale print.
LINE_STYLES = (
    LineStyle("#1f4e79", (), "circle"),
    LineStyle("#c55a11", (7.0, 4.0), "square"),
    LineStyle("#548235", (2.0, 3.0), "triangle"),
    LineStyle("#595959", (9.0, 3.0, 2.0, 3.0), "diamond"),
)


# -- The data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]


@dataclass(frozen=True)
class Bars:
    """Horizontal bars, one row per category (an organization); grouped when there are several
    series (this period and the same period last year)."""

    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    category_header: str = ""  # the table's first column ("Tổ chức")
    desc: str = ""  # for screen readers; a summary is written when empty
    axis_at_least: int = 0  # the parts of one chart (`pages`) share one scale

    def __post_init__(self) -> None:
        _check(self.categories, self.series)


@dataclass(frozen=True)
class Lines:
    """One line per series over ordered points (quarters: "Q1/2025" … "Q3/2026")."""

    title: str
    x_labels: Sequence[str]
    series: Sequence[Series]
    category_header: str = ""
    desc: str = ""

    def __post_init__(self) -> None:
        _check(self.x_labels, self.series)


Chart = Bars | Lines


def _check(categories: Sequence[str], series: Sequence[Series]) -> None:
    """Counts only: a chart of other data is a programming error, refused before drawing."""
    if not 1 <= len(series) <= MAX_SERIES:
        raise ValueError(f"a chart has 1 to {MAX_SERIES} series, not {len(series)}")
    for one in series:
        if len(one.values) != len(categories):
            raise ValueError(
                f"series {one.name!r} has {len(one.values)} values for {len(categories)} labels"
            )
        for value in one.values:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"series {one.name!r}: {value!r} is not a count")


def _labels(chart: Chart) -> Sequence[str]:
    return chart.categories if isinstance(chart, Bars) else chart.x_labels


class Row(NamedTuple):
    label: str
    values: list[int]


class Table(NamedTuple):
    header: list[str]
    rows: list[Row]


def table(chart: Chart) -> Table:
    """The figures of the chart, for the table beside it: a header (the category header, then
    each series' name) and one row per category with each series' value."""
    header = [chart.category_header] + [one.name for one in chart.series]
    rows = [
        Row(label, [one.values[i] for one in chart.series])
        for i, label in enumerate(_labels(chart))
    ]
    return Table(header, rows)


# -- Primitives -------------------------------------------------------------------------------

Point = tuple[float, float]
Anchor = Literal["start", "middle", "end"]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    outline: str = ""
    role: str = ""
    title: str = ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float = 1.0
    role: str = ""


@dataclass(frozen=True)
class Polyline:
    points: tuple[Point, ...]
    stroke: str
    width: float
    dash: tuple[float, ...] = ()
    role: str = ""


@dataclass(frozen=True)
class Polygon:
    points: tuple[Point, ...]
    fill: str
    outline: str
    role: str = ""
    title: str = ""


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str
    outline: str
    role: str = ""
    title: str = ""


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline
    text: str
    size: float
    anchor: Anchor = "start"
    bold: bool = False
    fill: str = INK
    role: str = ""
    title: str = ""  # the full text when this one is cut short


Shape = Rect | Line | Polyline | Polygon | Circle | Text


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    title: str
    desc: str
    shapes: list[Shape]


# -- Fonts and measuring ----------------------------------------------------------------------


class FontMissing(RuntimeError):
    """No TrueType font with every Vietnamese letter on this server."""


# Every letter Vietnamese adds to ASCII, precomposed (NFC), as names are normalized to.
VIETNAMESE = (
    "ĂÂĐÊÔƠƯăâđêôơư"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
FONT_FILES = (  # Debian's fonts-liberation2, the older fonts-liberation, fonts-dejavu-core
    ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
)
# What a browser without the measured font should use instead: the same advance widths.
METRIC_TWINS = {"Liberation Sans": "Arial, Helvetica", "DejaVu Sans": "Verdana"}
MEASURE_SIZE = 1000  # measured large, then scaled: hinting rounds small sizes


@dataclass(frozen=True)
class Font:
    regular: Path
    bold: Path
    family: str

    @property
    def css_family(self) -> str:
        twins = METRIC_TWINS.get(self.family)
        return ", ".join(p for p in (f"'{self.family}'", twins, "sans-serif") if p)


def _covers_vietnamese(path: Path) -> str:
    """The font's family name when it has every Vietnamese letter, else ""."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), lazy=True) as font:
            cmap = font.getBestCmap() or {}
            family = font["name"].getBestFamilyName() or path.stem
    except Exception:  # an unreadable file is simply not a candidate
        return ""
    return str(family) if all(ord(c) in cmap for c in VIETNAMESE) else ""


def _fc_match(pattern: str) -> Path | None:
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    found = subprocess.run(  # noqa: S603 (a fixed program and pattern, no shell)
        [fc_match, "--format=%{file}", pattern],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    ).stdout.strip()
    return Path(found) if found else None


def _candidates() -> Iterator[tuple[Path, Path]]:
    for regular, bold in FONT_FILES:
        yield Path(regular), Path(regular).with_name(bold)
    for family in ("Liberation Sans", "DejaVu Sans"):
        regular_found = _fc_match(f"{family}:lang=vi")
        if regular_found is not None:
            yield regular_found, _fc_match(f"{family}:lang=vi:bold") or regular_found


@functools.cache
def font() -> Font:
    for regular, bold in _candidates():
        family = _covers_vietnamese(regular) if regular.is_file() else ""
        if family:
            return Font(regular, bold if bold.is_file() else regular, family)
    raise FontMissing(
        "Charts need a TrueType font with every Vietnamese letter (Debian: apt-get install "
        "fonts-liberation2); none was found in "
        + ", ".join(regular for regular, _bold in FONT_FILES)
        + " nor through fc-match."
    )


@functools.cache
def _truetype(bold: bool, size: float) -> ImageFont.FreeTypeFont:
    chosen = font()
    return ImageFont.truetype(str(chosen.bold if bold else chosen.regular), size)


@functools.lru_cache(maxsize=8192)  # wrapping and cutting pages measure the same names again
def text_width(text: str, size: float, bold: bool = False) -> float:
    return float(_truetype(bold, MEASURE_SIZE).getlength(text)) * size / MEASURE_SIZE


def clean(text: str) -> str:
    """Names as typed: NFC (a decomposed "ủ" would draw as two marks), one space between words,
    and no control or format character (XML cannot carry most; none is visible)."""
    text = unicodedata.normalize("NFC", str(text))
    kept = "".join(" " if c.isspace() else c for c in text if c.isspace() or c.isprintable())
    return " ".join(kept.split())


def fit(text: str, width: float, size: float, bold: bool = False) -> str:
    """The text, or as much of it as fits in the width followed by an ellipsis."""
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text.rstrip() + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap(text: str, width: float, size: float, max_lines: int, bold: bool = False) -> list[str]:
    """Greedy word wrap into at most max_lines lines; when the text goes on, the last line is
    cut with an ellipsis (so `" ".join(lines) != text` tells that it was cut)."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", size, bold) <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words:
        lines[-1] = " ".join([lines[-1], *words])
    return [fit(line, width, size, bold) for line in lines]


def number(value: int) -> str:
    """1.048.000 in Vietnamese, 1,048,000 in English (Django's vi format sets no grouping)."""
    return f"{value:,}".replace(",", str(get_format("THOUSAND_SEPARATOR")))


def ticks(top: int, fits: Callable[[list[int]], bool], max_intervals: int = 6) -> list[int]:
    """Axis ticks from 0 at a round step (1, 2 or 5 times a power of ten, at least 1) reaching
    at least top, in at most max_intervals steps, the finest whose labels fit."""
    top = max(top, 1)  # all zero: an axis from 0 to 1, nothing divided by zero
    power = 1
    while True:
        for step in (power, 2 * power, 5 * power):
            intervals = math.ceil(top / step)
            if intervals > max_intervals:
                continue
            candidate = [k * step for k in range(intervals + 1)]
            if intervals == 1 or fits(candidate):
                return candidate
        power *= 10


# -- Layout -----------------------------------------------------------------------------------


def layout(chart: Chart) -> Layout:
    """The chart as shapes in user units, from the top down; each part appends its shapes and
    answers where the next one starts."""
    shapes: list[Shape] = []
    title = clean(chart.title)
    y = _title(shapes, title)
    if len(chart.series) > 1:
        y = _legend(shapes, chart, y)
    if not _labels(chart):
        bottom = _empty(shapes, y)
    elif isinstance(chart, Bars):
        bottom = _bars(shapes, chart, y)
    else:
        bottom = _lines(shapes, chart, y)
    height = float(math.ceil(bottom + MARGIN))
    background = Rect(0, 0, WIDTH, height, WHITE, role="background")
    return Layout(WIDTH, height, title, clean(chart.desc) or _summary(chart), [background, *shapes])


def _summary(chart: Chart) -> str:
    names = ", ".join(clean(one.name) for one in chart.series)
    count = len(_labels(chart))
    if isinstance(chart, Bars):
        text = _(
            "Horizontal bar chart, %(count)s rows (%(names)s); the table beside it gives "
            "the figures."
        )
    else:
        text = _("Line chart, %(count)s points (%(names)s); the table beside it gives the figures.")
    return text % {"count": count, "names": names}


def _title(shapes: list[Shape], title: str) -> float:
    y = MARGIN
    for line in wrap(title, WIDTH - 2 * MARGIN, TITLE_SIZE, 3, bold=True):
        y += TITLE_LINE
        shapes.append(Text(MARGIN, y - 5, line, TITLE_SIZE, bold=True, role="title"))
    return y + 4


def _legend(shapes: list[Shape], chart: Chart, y: float) -> float:
    """One swatch and name per series, in a row that wraps."""
    x, baseline = MARGIN, y + LEGEND_SIZE + 4
    room = WIDTH - 2 * MARGIN - 30
    for i, one in enumerate(chart.series):
        name = fit(clean(one.name), room, LEGEND_SIZE)
        width = 30 + text_width(name, LEGEND_SIZE)
        if x > MARGIN and x + width > WIDTH - MARGIN:
            x, baseline = MARGIN, baseline + LEGEND_SIZE + 8
        middle = baseline - DIGIT_MIDDLE * LEGEND_SIZE
        if isinstance(chart, Bars):
            style = BAR_STYLES[i]
            shapes.append(Rect(x, middle - 6, 18, 12, style.fill, style.outline, "legend"))
        else:
            line_style = LINE_STYLES[i]
            points = ((x, middle), (x + 22, middle))
            shapes.append(Polyline(points, line_style.stroke, 2.5, line_style.dash, role="legend"))
            shapes.append(_marker(line_style, x + 11, middle, "", "legend"))
        shapes.append(Text(x + 26, baseline, name, LEGEND_SIZE, role="legend"))
        x += width + 18
    return baseline + 8


def _empty(shapes: list[Shape], y: float) -> float:
    shapes.append(
        Text(WIDTH / 2, y + 36, _("No data for this period."), LABEL_SIZE, "middle", fill=MUTED)
    )
    return y + 52


def _value_ticks(top: int, span: float, horizontal: bool) -> list[int]:
    def fits(candidate: list[int]) -> bool:
        if not horizontal:
            return span / (len(candidate) - 1) >= 2.5 * TICK_SIZE
        widest = max(text_width(number(t), TICK_SIZE) for t in candidate)
        return span / (len(candidate) - 1) >= widest + 12

    return ticks(top, fits)


class _Scale(NamedTuple):
    x0: float  # where bars start, right of the names
    axis: list[int]  # the ticks
    per_unit: float


def _bar_scale(chart: Bars, label_width: float) -> _Scale:
    biggest = max(chart.axis_at_least, *(max(one.values) for one in chart.series))
    x0 = MARGIN + label_width + 10
    # Room on the right for the longest bar's value, and for half the last tick's label.
    reserve = text_width(number(biggest), VALUE_SIZE) + 8
    axis = _value_ticks(biggest, WIDTH - MARGIN - reserve - x0, horizontal=True)
    reserve = max(reserve, text_width(number(axis[-1]), TICK_SIZE) / 2 + 2)
    axis = _value_ticks(biggest, WIDTH - MARGIN - reserve - x0, horizontal=True)
    return _Scale(x0, axis, (WIDTH - MARGIN - reserve - x0) / axis[-1])


def _bars(shapes: list[Shape], chart: Bars, top: float) -> float:
    categories = [clean(c) for c in chart.categories]
    count, n_series = len(categories), len(chart.series)
    label_width = min(max(text_width(c, LABEL_SIZE) for c in categories), 0.36 * WIDTH)
    labels = [wrap(c, label_width, LABEL_SIZE, 2) for c in categories]
    label_width = max(text_width(line, LABEL_SIZE) for lines in labels for line in lines)
    scale = _bar_scale(chart, label_width)
    bar_h = {1: 18.0, 2: 13.0}.get(n_series, 10.0)
    block = n_series * bar_h + (n_series - 1) * 2
    row_h = max(block, max(len(lines) for lines in labels) * LABEL_LINE) + 10
    # A long chart repeats the axis above, where the eye starts.
    ticks_above = count > 12
    top += 6 + (TICK_SIZE + 6 if ticks_above else 0)
    bottom = top + count * row_h
    if count >= 6:  # stripes lead the eye from a long name to its bar
        shapes += [
            Rect(MARGIN, top + i * row_h, WIDTH - 2 * MARGIN, row_h, ZEBRA, role="zebra")
            for i in range(1, count, 2)
        ]
    for t in scale.axis:
        x = scale.x0 + t * scale.per_unit
        shapes.append(Line(x, top, x, bottom, AXIS if t == 0 else GRID, role="grid"))
        for y in [bottom + 4 + TICK_SIZE] + ([top - 6] if ticks_above else []):
            shapes.append(Text(x, y, number(t), TICK_SIZE, "middle", fill=MUTED, role="tick"))
    for i, (category, lines) in enumerate(zip(categories, labels, strict=True)):
        middle = top + i * row_h + row_h / 2
        cut = category if " ".join(lines) != category else ""
        first = middle - len(lines) * LABEL_LINE / 2
        for k, line in enumerate(lines):
            baseline = first + (k + 0.5) * LABEL_LINE + DIGIT_MIDDLE * LABEL_SIZE
            shapes.append(
                Text(scale.x0 - 8, baseline, line, LABEL_SIZE, "end", role="label", title=cut)
            )
        for j, one in enumerate(chart.series):
            y = middle - block / 2 + j * (bar_h + 2)
            _bar(shapes, scale, (category, clean(one.name), one.values[i]), y, bar_h, j)
    return bottom + 4 + TICK_SIZE + 2


def _bar(
    shapes: list[Shape], scale: _Scale, what: tuple[str, str, int], y: float, h: float, j: int
) -> None:
    """One bar, its value at its end and, for the screen, a tooltip naming it."""
    category, name, value = what
    # A count too small to see at this scale still shows as a sliver: it is not zero.
    length = max(value * scale.per_unit, 1.5 if value else 0.0)
    tip = f"{category} — {name}: {number(value)}" if name else f"{category}: {number(value)}"
    style = BAR_STYLES[j]
    shapes.append(Rect(scale.x0, y, length, h, style.fill, style.outline, "bar", tip))
    baseline = y + h / 2 + DIGIT_MIDDLE * VALUE_SIZE
    shapes.append(Text(scale.x0 + length + 4, baseline, number(value), VALUE_SIZE, role="value"))


PAGE_HEIGHT = 1000.0  # user units: 23.6 cm at the 17 cm of an A4 page's text, and a heading


def pages(chart: Bars, height: float = PAGE_HEIGHT) -> list[Bars]:
    """The chart cut into consecutive parts no taller than height, on one scale, titled
    "… (1/3)". WeasyPrint does not split an SVG across pages (one taller than the page is left
    out of the PDF), nor does Word an image: a print shows each part on its own page."""
    if layout(chart).height <= height:
        return [chart]
    biggest = max(max(one.values) for one in chart.series)
    probe = f"{chart.title} (99/99)"

    def fits(start: int, end: int) -> bool:
        return layout(_part(chart, start, end, biggest, probe)).height <= height

    bounds, start, count = [], 0, len(chart.categories)
    while start < count:  # as many rows as fit, part after part
        end = start + 1
        while end < count and fits(start, end + 1):
            end += 1
        bounds.append((start, end))
        start = end
    parts = len(bounds)  # then as many parts, evened out when they fit
    even = [(k * count // parts, (k + 1) * count // parts) for k in range(parts)]
    if all(fits(a, b) for a, b in even):
        bounds = even
    return [
        _part(chart, a, b, biggest, f"{chart.title} ({k}/{len(bounds)})")
        for k, (a, b) in enumerate(bounds, start=1)
    ]


def _part(chart: Bars, start: int, end: int, biggest: int, title: str) -> Bars:
    return Bars(
        title,
        chart.categories[start:end],
        [Series(one.name, one.values[start:end]) for one in chart.series],
        chart.category_header,
        chart.desc,
        axis_at_least=biggest,
    )


def _marker(style: LineStyle, x: float, y: float, title: str, role: str = "marker") -> Shape:
    r = 4.0
    if style.marker == "circle":
        return Circle(x, y, r, style.stroke, WHITE, role, title)
    corners = {
        "square": ((-r, -r), (r, -r), (r, r), (-r, r)),
        "triangle": ((0.0, -1.25 * r), (1.15 * r, 0.85 * r), (-1.15 * r, 0.85 * r)),
        "diamond": ((0.0, -1.3 * r), (1.3 * r, 0.0), (0.0, 1.3 * r), (-1.3 * r, 0.0)),
    }[style.marker]
    points = tuple((x + dx, y + dy) for dx, dy in corners)
    return Polygon(points, style.stroke, WHITE, role, title)


Box = tuple[float, float, float, float]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _lines(shapes: list[Shape], chart: Lines, top: float) -> float:
    x_labels = [clean(c) for c in chart.x_labels]
    count = len(x_labels)
    biggest = max(max(one.values) for one in chart.series)
    plot_h = 240.0
    top += 20  # room for the value of a point at the top
    bottom = top + plot_h
    axis = _value_ticks(biggest, plot_h, horizontal=False)
    x0 = MARGIN + max(text_width(number(t), TICK_SIZE) for t in axis) + 8
    x1 = WIDTH - MARGIN
    step = (x1 - x0) / count
    per_unit = plot_h / axis[-1]

    def at(i: int, value: int) -> Point:
        return x0 + (i + 0.5) * step, bottom - value * per_unit

    for t in axis:
        y = bottom - t * per_unit
        shapes.append(Line(x0, y, x1, y, AXIS if t == 0 else GRID, role="grid"))
        baseline = y + DIGIT_MIDDLE * TICK_SIZE
        shapes.append(Text(x0 - 6, baseline, number(t), TICK_SIZE, "end", fill=MUTED, role="tick"))
    # Every k-th point is named, k the smallest that keeps the names apart.
    widest = max(text_width(c, LEGEND_SIZE) for c in x_labels)
    every = max(1, math.ceil((widest + 10) / step))
    for i in range(0, count, every):
        name = fit(x_labels[i], every * step - 6, LEGEND_SIZE)
        shapes.append(
            Text(at(i, 0)[0], bottom + 6 + LEGEND_SIZE, name, LEGEND_SIZE, "middle", role="x")
        )
    placed: list[Box] = []
    for j, one in enumerate(chart.series):
        style = LINE_STYLES[j]
        points = tuple(at(i, v) for i, v in enumerate(one.values))
        if count > 1:
            shapes.append(Polyline(points, style.stroke, 2.5, style.dash, role="line"))
        name = clean(one.name)
        for i, ((x, y), value) in enumerate(zip(points, one.values, strict=True)):
            tip = (
                f"{x_labels[i]} — {name}: {number(value)}"
                if name
                else f"{x_labels[i]}: {number(value)}"
            )
            shapes.append(_marker(style, x, y, tip))
            placed.append((x - 5, y - 5, x + 5, y + 5))
    for one in chart.series:  # values after every marker, so that none hides one
        for i, value in enumerate(one.values):
            _place_value(shapes, placed, at(i, value), number(value), (top - 18, bottom))
    return bottom + 6 + LEGEND_SIZE + 2


def _place_value(
    shapes: list[Shape], placed: list[Box], point: Point, text: str, span: tuple[float, float]
) -> None:
    """The value above its point, else below, else not at all (the table has it)."""
    x, y = point
    half = text_width(text, VALUE_SIZE) / 2 + 1
    if x - half < MARGIN or x + half > WIDTH - MARGIN:
        return
    for baseline in (y - 8, y + 8 + 0.75 * VALUE_SIZE):
        box = (x - half, baseline - 0.75 * VALUE_SIZE, x + half, baseline + 0.2 * VALUE_SIZE)
        if span[0] <= box[1] and box[3] <= span[1] and not any(_overlaps(box, b) for b in placed):
            placed.append(box)
            shapes.append(Text(x, baseline, text, VALUE_SIZE, "middle", role="value"))
            return


# -- SVG --------------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _attrs(**attributes: object) -> Markup:
    """Presentation attributes, escaped; empty ones left out. Underscores become hyphens."""
    return Markup(" ").join(
        Markup('{}="{}"').format(
            name.rstrip("_").replace("_", "-"), _n(v) if isinstance(v, float) else v
        )
        for name, v in attributes.items()
        if v != ""
    )


def _tip(title: str) -> Markup:
    return Markup("<title>{}</title>").format(title) if title else Markup("")


def _points(points: tuple[Point, ...]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _svg_shape(shape: Shape) -> Markup:
    if isinstance(shape, Text):
        weight = "bold" if shape.bold else ""
        element = Markup("<text {}>{}</text>").format(
            _attrs(
                x=shape.x,
                y=shape.y,
                font_size=shape.size,
                font_weight=weight,
                text_anchor="" if shape.anchor == "start" else shape.anchor,
                fill=shape.fill,
                class_=shape.role,
            ),
            shape.text,
        )
        return Markup("<g>{}{}</g>").format(_tip(shape.title), element) if shape.title else element
    if isinstance(shape, Rect):
        attributes = _attrs(
            x=shape.x,
            y=shape.y,
            width=shape.w,
            height=shape.h,
            fill=shape.fill,
            stroke=shape.outline,
            class_=shape.role,
        )
    elif isinstance(shape, Line):
        attributes = _attrs(
            x1=shape.x1,
            y1=shape.y1,
            x2=shape.x2,
            y2=shape.y2,
            stroke=shape.stroke,
            stroke_width=shape.width,
            class_=shape.role,
        )
        return Markup("<line {}/>").format(attributes)
    elif isinstance(shape, Polyline):
        attributes = _attrs(
            points=_points(shape.points),
            fill="none",
            stroke=shape.stroke,
            stroke_width=shape.width,
            stroke_linejoin="round",
            stroke_dasharray=" ".join(_n(d) for d in shape.dash),
            class_=shape.role,
        )
        return Markup("<polyline {}/>").format(attributes)
    elif isinstance(shape, Polygon):
        attributes = _attrs(
            points=_points(shape.points), fill=shape.fill, stroke=shape.outline, class_=shape.role
        )
    else:
        attributes = _attrs(
            cx=shape.cx,
            cy=shape.cy,
            r=shape.r,
            fill=shape.fill,
            stroke=shape.outline,
            class_=shape.role,
        )
    tag = {Rect: Markup("rect"), Polygon: Markup("polygon"), Circle: Markup("circle")}[type(shape)]
    if shape.title:
        return Markup("<{0} {1}>{2}</{0}>").format(tag, attributes, _tip(shape.title))
    return Markup("<{} {}/>").format(tag, attributes)


def svg(chart: Chart) -> Markup:
    """The chart as a self-contained inline <svg>, scaling with its viewBox."""
    drawn = layout(chart)
    ident = "chart-" + hashlib.sha256(repr(chart).encode()).hexdigest()[:12]
    head = Markup("<svg {}>").format(
        _attrs(
            xmlns="http://www.w3.org/2000/svg",
            class_="chart",
            role="img",
            viewBox=f"0 0 {_n(drawn.width)} {_n(drawn.height)}",
            width=drawn.width,
            height=drawn.height,
            aria_labelledby=f"{ident}-t {ident}-d",
            font_family=font().css_family,
        )
    )
    parts = [
        head,
        Markup('<title id="{}-t">{}</title>').format(ident, drawn.title),
        Markup('<desc id="{}-d">{}</desc>').format(ident, drawn.desc),
        *(_svg_shape(shape) for shape in drawn.shapes),
        Markup("</svg>"),
    ]
    return Markup("").join(parts)


# -- PNG --------------------------------------------------------------------------------------


def _dashes(points: tuple[Point, ...], pattern: tuple[float, ...]) -> Iterator[list[Point]]:
    """The drawn pieces of a dashed polyline, the pattern running on across its corners as
    SVG's stroke-dasharray does."""
    if not pattern:
        yield list(points)
        return
    k, left, on = 0, pattern[0], True
    piece: list[Point] = [points[0]]
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        length, done = math.hypot(bx - ax, by - ay), 0.0
        while length - done > left:
            done += left
            p = (ax + (bx - ax) * done / length, ay + (by - ay) * done / length)
            if on:
                yield [*piece, p]
            piece = [p]
            k = (k + 1) % len(pattern)
            left, on = pattern[k], not on
        left -= length - done
        piece.append((bx, by))
    if on and len(piece) > 1:
        yield piece


def png(chart: Chart, width_px: int = 1440, dpi: int = 216) -> bytes:
    """The chart as PNG, width_px wide. The default is 6.67 inches at 216 dpi: the 17 cm the
    SVG takes in the PDF, so the Word file prints it at the same size."""
    if not 200 <= width_px <= 8000 or not 50 <= dpi <= 1200:
        raise ValueError(f"a chart is 200 to 8000 px wide at 50 to 1200 dpi, not {width_px}, {dpi}")
    drawn = layout(chart)
    # Pillow draws shapes without antialiasing: slanted lines and round markers are drawn at
    # twice the size and reduced; bars and text need not.
    smooth = any(isinstance(s, Polyline | Polygon | Circle) for s in drawn.shapes)
    oversample = 2 if smooth else 1
    scale = width_px / drawn.width * oversample
    size = (width_px * oversample, round(drawn.height * width_px / drawn.width) * oversample)
    image = Image.new("RGB", size, WHITE)
    draw = ImageDraw.Draw(image)

    def xy(point: Point) -> Point:
        return point[0] * scale, point[1] * scale

    anchors = {"start": "ls", "middle": "ms", "end": "rs"}
    for shape in drawn.shapes:
        if isinstance(shape, Rect):
            if shape.w > 0 and shape.h > 0:
                box = (*xy((shape.x, shape.y)), *xy((shape.x + shape.w, shape.y + shape.h)))
                corner = (box[0], box[1], max(box[0], box[2] - 1), max(box[1], box[3] - 1))
                draw.rectangle(
                    corner,
                    fill=shape.fill,
                    outline=shape.outline or None,
                    width=max(1, round(scale)),
                )
        elif isinstance(shape, Line):
            draw.line(
                [xy((shape.x1, shape.y1)), xy((shape.x2, shape.y2))],
                fill=shape.stroke,
                width=max(1, round(shape.width * scale)),
            )
        elif isinstance(shape, Polyline):
            for piece in _dashes(shape.points, shape.dash):
                draw.line(
                    [xy(p) for p in piece],
                    fill=shape.stroke,
                    width=max(1, round(shape.width * scale)),
                    joint="curve",
                )
        elif isinstance(shape, Polygon):
            draw.polygon([xy(p) for p in shape.points], fill=shape.fill, outline=shape.outline)
        elif isinstance(shape, Circle):
            cx, cy = xy((shape.cx, shape.cy))
            r = shape.r * scale
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=shape.fill, outline=shape.outline)
        else:
            draw.text(
                xy((shape.x, shape.y)),
                shape.text,
                fill=shape.fill,
                font=_truetype(shape.bold, round(shape.size * scale, 1)),
                anchor=anchors[shape.anchor],
            )
    if oversample > 1:
        image = image.resize(
            (size[0] // oversample, size[1] // oversample), Image.Resampling.LANCZOS
        )
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(dpi, dpi))
    return buffer.getvalue()
