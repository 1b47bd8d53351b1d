"""Charts drawn on the server (issue 13): the SVG keeps the CSP and escapes every name, bars
and ticks say what the numbers say, the PNG is the same picture, and the PDF carries the
Vietnamese labels as text."""

from __future__ import annotations

import io
import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from PIL import Image
from pypdf import PdfReader

from hoso.lib import charts
from hoso.lib.charts import Bars, Lines, Series

NS = "{http://www.w3.org/2000/svg}"
LONG = (
    "Ban Thường vụ Đảng ủy Bộ đội Biên phòng tỉnh Hà Tĩnh và các đơn vị trực thuộc khu vực "
    "biên giới Việt - Lào"
)
ORGS = [
    "Đảng ủy Khối các cơ quan tỉnh",
    "Đảng ủy Khối doanh nghiệp tỉnh",
    "Đảng bộ Công an tỉnh",
    "Thị ủy Hồng Lĩnh",
]
QUARTERS = ["Q1/2025", "Q2/2025", "Q3/2025", "Q4/2025", "Q1/2026", "Q2/2026", "Q3/2026"]


def bars(values: list[int], *more: list[int], categories: list[str] | None = None) -> Bars:
    names = categories or [f"Chi bộ {i + 1}" for i in range(len(values))]
    series = [Series("Quý I/2026", values)]
    series += [Series(f"Kỳ {k}", other) for k, other in enumerate(more, start=2)]
    return Bars("Hồ sơ theo tổ chức", names, series, category_header="Tổ chức")


def parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(charts.svg(chart)))  # noqa: S314 (our own output, no DTD)


def having(root: ET.Element, tag: str, role: str) -> list[ET.Element]:
    return [e for e in root.iter(NS + tag) if e.get("class") == role]


def count_of(label: str) -> int:
    return int(re.sub(r"\D", "", label))


def test_names_from_users_are_escaped_and_read_back_as_typed() -> None:
    hostile = '<script>alert("x")</script> & "Chi bộ" \'1\''
    chart = Bars(hostile, [hostile, "Chi bộ 2"], [Series(hostile, [3, 4]), Series("b", [1, 2])])
    markup = str(charts.svg(chart))
    assert "<script" not in markup
    root = ET.fromstring(markup)  # noqa: S314 (well-formed: nothing escaped the text nodes)
    assert root.find(NS + "title") is not None
    assert root.find(NS + "title").text == hostile  # type: ignore[union-attr]
    texts = ["".join(e.itertext()) for e in root.iter(NS + "text")]
    assert hostile in texts  # the title, drawn
    labels = having(root, "text", "label")
    assert " ".join(e.text or "" for e in labels[:-1]).startswith("<script>alert(")
    tips = [e.text for e in root.iter(NS + "title")]
    assert f"{hostile} — {hostile}: 3" in tips


def test_the_svg_keeps_the_csp_and_references_nothing() -> None:
    chart = Lines("Vụ việc theo quý", QUARTERS, [Series("A", [1, 2, 3, 4, 5, 6, 7])] * 3)
    for one in (chart, bars([3, 0, 9], [1, 2, 3], categories=[LONG, *ORGS[:2]])):
        root = parse(one)
        assert root.tag == NS + "svg"
        assert root.get("role") == "img"
        assert root.get("viewBox", "").startswith("0 0 720 ")
        ids = {e.get("id") for e in root.iter() if e.get("id")}
        labelled_by = root.get("aria-labelledby", "").split()
        assert len(labelled_by) == 2 and set(labelled_by) <= ids
        for element in root.iter():
            tag = element.tag.removeprefix(NS)
            assert tag not in {"script", "style", "foreignObject", "image", "a", "use"}, tag
            for name, value in element.attrib.items():
                assert name != "style" and not name.lower().startswith("on"), name
                assert "href" not in name and "url(" not in value, (name, value)
        assert "Liberation Sans" in root.get("font-family", "")


def test_bar_lengths_are_proportional_to_the_counts() -> None:
    values, last_year = [40, 10, 25, 0, 7], [13, 40, 1, 2, 0]
    root = parse(bars(values, last_year))
    rects = having(root, "rect", "bar")
    widths = [float(e.get("width", "")) for e in rects]
    counts = [v for pair in zip(values, last_year, strict=True) for v in pair]  # row by row
    per_unit = widths[0] / 40
    assert per_unit > 5
    for width, value in zip(widths, counts, strict=True):
        assert width == pytest.approx(value * per_unit, abs=0.02)
    # Each value is written just after the end of its bar.
    value_texts = having(root, "text", "value")
    assert [count_of(e.text or "") for e in value_texts] == counts
    for rect, text in zip(rects, value_texts, strict=True):
        end = float(rect.get("x", "")) + float(rect.get("width", ""))
        assert 0 < float(text.get("x", "")) - end <= 6


def test_a_count_too_small_to_see_still_shows() -> None:
    root = parse(bars([1_000_000, 3, 0]))
    widths = [float(e.get("width", "")) for e in having(root, "rect", "bar")]
    assert widths[1] > 1 and widths[2] == 0


@pytest.mark.parametrize("top", [0, 1, 7, 42, 99, 1000, 12_345_678, 10**12])
@pytest.mark.parametrize("kind", ["bars", "lines"])
def test_ticks_are_round_from_zero_and_reach_the_top(top: int, kind: str) -> None:
    values = [top, top // 3, 0]
    chart: charts.Chart = (
        bars(values) if kind == "bars" else Lines("t", QUARTERS[:3], [Series("s", values)])
    )
    labels = [e.text or "" for e in having(parse(chart), "text", "tick")]
    seen = sorted({count_of(label) for label in labels})
    step = seen[1] - seen[0]
    assert seen[0] == 0 and seen[-1] >= top and len(seen) <= 7
    assert seen == [k * step for k in range(len(seen))]
    assert step // 10 ** int(math.log10(step)) in {1, 2, 5}
    assert step % 10 ** int(math.log10(step)) == 0


def test_huge_counts_are_grouped_and_their_tick_labels_stay_apart() -> None:
    root = parse(bars([12_345_678_901, 5, 0]))
    texts = having(root, "text", "tick")
    assert "." in (texts[1].text or "")  # 5.000.000.000 in Vietnamese
    xs = [float(e.get("x", "")) for e in texts]
    widths = [charts.text_width(e.text or "", charts.TICK_SIZE) for e in texts]
    for (x, w), (next_x, next_w) in zip(
        zip(xs, widths, strict=True), zip(xs[1:], widths[1:], strict=True), strict=False
    ):
        assert x + w / 2 < next_x - next_w / 2
    assert max(x + w / 2 for x, w in zip(xs, widths, strict=True)) <= charts.WIDTH


def test_all_zero_and_empty_data_draw_without_dividing_by_zero() -> None:
    for chart in (
        bars([0, 0, 0], [0, 0, 0]),
        Lines("0", QUARTERS, [Series("s", [0] * 7)]),
        Lines("1", ["Q1/2026"], [Series("s", [0])]),
        bars([5]),
    ):
        root = parse(chart)
        assert root.iter(NS + "text")
        Image.open(io.BytesIO(charts.png(chart, width_px=400))).load()
    widths = {float(e.get("width", "")) for e in having(parse(bars([0, 0])), "rect", "bar")}
    assert widths == {0.0}
    empty = parse(Bars("Không có tổ chức", [], [Series("s", [])]))
    assert "Không có số liệu trong kỳ này." in ["".join(e.itertext()) for e in empty.iter()]


def test_a_long_name_wraps_in_its_column_with_the_full_name_as_its_title() -> None:
    root = parse(bars([3, 4], categories=[LONG, ORGS[0]]))
    groups = [g for g in root.iter(NS + "g") if g.find(NS + "title") is not None]
    lines = [e.text or "" for g in groups for e in g.iter(NS + "text")]
    assert [g.find(NS + "title").text for g in groups] == [LONG, LONG]  # type: ignore[union-attr]
    assert len(lines) == 2 and lines[1].endswith("…")
    assert LONG.startswith(f"{lines[0]} {lines[1][:-1]}")
    bar_x = float(having(root, "rect", "bar")[0].get("x", ""))
    for line in lines:  # right-aligned before the bars, inside the margin
        assert charts.text_width(line, charts.LABEL_SIZE) <= bar_x - 8 - charts.MARGIN + 0.01
    short = [e.text for e in having(root, "text", "label") if e.text == ORGS[0]]
    assert short == [ORGS[0]]  # a name that fits is neither cut nor titled


def test_sixty_organizations_have_rows_that_do_not_overlap() -> None:
    names = [f"Chi bộ thôn {i} xã Cẩm Quang" for i in range(60)]
    root = parse(bars([(i * 37) % 50 for i in range(60)], categories=names))
    rects = having(root, "rect", "bar")
    assert len(rects) == 60
    tops = [float(e.get("y", "")) for e in rects]
    heights = [float(e.get("height", "")) for e in rects]
    assert all(a + h < b for a, h, b in zip(tops, heights, tops[1:], strict=False))
    assert [e.text for e in having(root, "text", "label")] == names


def test_line_value_labels_never_overlap() -> None:
    close = [Series("A", [10, 11, 10, 12, 10, 11, 10]), Series("B", [10, 10, 11, 11, 10, 10, 11])]
    drawn = charts.layout(Lines("Sát nhau", QUARTERS, [*close, Series("C", [11] * 7)]))
    boxes = []
    for shape in drawn.shapes:
        if isinstance(shape, charts.Text) and shape.role in {"value", "x", "tick"}:
            half = charts.text_width(shape.text, shape.size) / 2
            boxes.append((shape.x - half, shape.y - 0.75 * shape.size, shape.x + half, shape.y))
    assert len(boxes) > 7 + 3  # some values are written
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not charts._overlaps(a, b), (a, b)


def test_many_points_name_only_every_kth_without_overlap() -> None:
    x_labels = [f"Quý {q}/{y}" for y in range(2016, 2027) for q in ("I", "II", "III", "IV")]
    drawn = charts.layout(Lines("Mười năm", x_labels, [Series("s", list(range(44)))]))
    named = [s for s in drawn.shapes if isinstance(s, charts.Text) and s.role == "x"]
    assert 2 <= len(named) < 44 and named[0].text == "Quý I/2016"
    edges = [
        (s.x - charts.text_width(s.text, s.size) / 2, s.x + charts.text_width(s.text, s.size) / 2)
        for s in named
    ]
    assert all(right < next_left for (_l, right), (next_left, _r) in itertools.pairwise(edges))


def test_series_differ_in_grayscale() -> None:
    def lightness(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.299 * r + 0.587 * g + 0.114 * b

    fills = sorted(lightness(style.fill) for style in charts.BAR_STYLES)
    assert all(b - a >= 30 for a, b in itertools.pairwise(fills))
    shapes = {(s.dash, s.marker) for s in charts.LINE_STYLES}
    assert len({d for d, _m in shapes}) == len({m for _d, m in shapes}) == len(charts.LINE_STYLES)


def test_the_table_beside_the_chart() -> None:
    chart = bars([42, 0], [35, 2], categories=ORGS[:2])
    table = charts.table(chart)
    assert table.header == ["Tổ chức", "Quý I/2026", "Kỳ 2"]
    assert table.rows == [(ORGS[0], [42, 35]), (ORGS[1], [0, 2])]
    assert table.rows[0].label == ORGS[0] and table.rows[1].values == [0, 2]


@pytest.mark.parametrize(
    "series",
    [
        [Series("s", [1, -1])],
        [Series("s", [1, 2.5])],  # type: ignore[list-item]
        [Series("s", [True, 1])],
        [Series("s", [1])],
        [],
        [Series("s", [1, 2])] * 5,
    ],
)
def test_what_is_not_counts_for_every_label_is_refused(series: list[Series]) -> None:
    with pytest.raises(ValueError):
        Bars("t", ["a", "b"], series)


def test_text_is_composed_and_without_control_characters() -> None:
    decomposed = "Đa\u0309ng u\u0309y\x00 xã\u200b\tThạch  Lạc"
    root = parse(bars([1], categories=[decomposed]))
    assert [e.text for e in having(root, "text", "label")] == ["Đảng ủy xã Thạch Lạc"]


def test_two_charts_on_one_page_have_their_own_ids() -> None:
    first, second = parse(bars([1, 2])), parse(bars([2, 1]))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")
    assert first.get("aria-labelledby") == parse(bars([1, 2])).get("aria-labelledby")


def test_pages_cut_a_long_chart_on_one_scale() -> None:
    names = [f"{ORGS[i % 4]} số {i}" for i in range(45)] + [LONG]
    chart = bars([(i * 7) % 30 for i in range(46)], [(i * 11) % 30 for i in range(46)])
    chart = Bars(chart.title, names, chart.series)
    assert charts.layout(chart).height > charts.PAGE_HEIGHT
    parts = charts.pages(chart)
    assert len(parts) >= 2
    assert [c for part in parts for c in part.categories] == names
    assert [v for part in parts for v in part.series[1].values] == chart.series[1].values
    assert parts[0].title == f"{chart.title} (1/{len(parts)})"
    sizes = [len(part.categories) for part in parts]
    assert max(sizes) - min(sizes) <= 1  # evened out
    scales = set()
    for part in parts:
        assert charts.layout(part).height <= charts.PAGE_HEIGHT
        root = parse(part)
        scales.add(tuple(e.text for e in having(root, "text", "tick")))
    assert len(scales) == 1
    assert charts.pages(bars([1, 2])) == [bars([1, 2])]


def test_png_decodes_at_the_requested_size_and_shows_the_bars() -> None:
    chart = bars([40, 10], [20, 5], categories=ORGS[:2])
    image = Image.open(io.BytesIO(charts.png(chart, width_px=900, dpi=150)))
    drawn = charts.layout(chart)
    assert image.format == "PNG" and image.width == 900
    assert image.height == round(drawn.height * 900 / charts.WIDTH)
    assert image.info["dpi"] == pytest.approx((150, 150), abs=0.05)  # stored per metre
    rgb = image.convert("RGB")
    # The first bar ends where the SVG's does: the same layout, only scaled.
    bar = next(s for s in drawn.shapes if isinstance(s, charts.Rect) and s.role == "bar")
    scale = 900 / charts.WIDTH
    row = round((bar.y + bar.h / 2) * scale)
    navy = [x for x in range(900) if rgb.getpixel((x, row)) == (0x1F, 0x4E, 0x79)]
    assert navy[0] == pytest.approx(bar.x * scale, abs=2)
    assert navy[-1] == pytest.approx((bar.x + bar.w) * scale, abs=2)
    colours = rgb.getcolors(maxcolors=1 << 16) or []
    ink = sum(n for n, c in colours if isinstance(c, tuple) and sum(c) < 3 * 128)
    assert ink > 0.03 * image.width * image.height


def test_png_of_lines_is_drawn_smoothly_and_not_blank() -> None:
    chart = Lines("Theo quý", QUARTERS, [Series("A", [1, 5, 3, 8, 2, 9, 4]), Series("B", [2] * 7)])
    image = Image.open(io.BytesIO(charts.png(chart, width_px=720, dpi=96))).convert("RGB")
    assert image.width == 720
    colours = image.getcolors(maxcolors=1 << 16) or []
    assert any(c == (0xC5, 0x5A, 0x11) for _n, c in colours)  # the second series is there
    # Antialiased: the navy line's edges blend into the white (text is gray, not blue).
    blended = [
        n
        for n, c in colours
        if isinstance(c, tuple) and c[2] - c[0] > 20 and c != (0x1F, 0x4E, 0x79)
    ]
    assert sum(blended) > 200


@pytest.mark.parametrize(("width", "dpi"), [(10, 96), (1440, 5), (10**6, 96)])
def test_png_refuses_absurd_sizes(width: int, dpi: int) -> None:
    with pytest.raises(ValueError):
        charts.png(bars([1]), width_px=width, dpi=dpi)


def fonts_from(monkeypatch: pytest.MonkeyPatch, files: tuple[tuple[str, str], ...]) -> None:
    monkeypatch.setattr(charts, "FONT_FILES", files)
    monkeypatch.setattr(charts, "_fc_match", lambda pattern: None)
    for cached in (charts.font, charts._truetype, charts.text_width):
        cached.cache_clear()


@pytest.fixture
def font_search(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    yield monkeypatch
    monkeypatch.undo()
    for cached in (charts.font, charts._truetype, charts.text_width):
        cached.cache_clear()


def test_no_font_is_a_clear_error(font_search: pytest.MonkeyPatch) -> None:
    fonts_from(font_search, (("/nonexistent/Sans.ttf", "Bold.ttf"),))
    with pytest.raises(charts.FontMissing, match="fonts-liberation2"):
        charts.svg(bars([1]))


def test_a_font_without_vietnamese_letters_is_passed_over(font_search: pytest.MonkeyPatch) -> None:
    dejavu = "/usr/share/fonts/truetype/dejavu/"
    fonts_from(
        font_search,
        (
            (dejavu + "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
            (dejavu + "DejaVuSans.ttf", "x"),
        ),
    )
    chosen = charts.font()
    assert chosen.regular.name == "DejaVuSans.ttf" and chosen.bold == chosen.regular
    assert parse(bars([1])).get("font-family") == "'DejaVu Sans', Verdana, sans-serif"


def test_the_pdf_carries_the_vietnamese_labels_as_text() -> None:
    from weasyprint import HTML

    chart = Bars(
        "Hồ sơ thẩm tra theo tổ chức",
        ORGS,
        [Series("Quý I/2026", [42, 17, 31, 0]), Series("Quý I/2025", [35, 20, 18, 2])],
    )
    lines = Lines("Vụ việc mở theo quý", QUARTERS, [Series("Đơn thư", [5, 9, 9, 14, 11, 8, 16])])
    page = (
        "<html><head><style>svg { width: 100%; height: auto }</style></head><body>"
        f"{charts.svg(chart)}{charts.svg(lines)}</body></html>"
    )
    pdf = PdfReader(io.BytesIO(HTML(string=page).write_pdf()))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    for expected in [*ORGS, "Hồ sơ thẩm tra theo tổ chức", "Quý I/2025", "Q3/2026", "42"]:
        assert expected in text, expected
    # Tooltips and the description are for the screen, not drawn on paper.
    assert "—" not in text and "bảng bên cạnh" not in text
