"""The PDF reader's geometry on small made-up pages: glyphs into lines, lines into blocks and reading order."""

from index.pdf.content import Font, Glyph, PageContent
from index.pdf.layout import lay_out
from index.pdf.lines import page_lines

BODY = 9.0


class Drawer:
    """Draws lines of glyphs as a layout program would, each line's glyphs consecutive in the page's content."""

    def __init__(self) -> None:
        self.glyphs: list[Glyph] = []
        self.order = 0

    def line(self, text: str, x: float, baseline: float, size: float = BODY, font: int = 0, gap: float = 0.0) -> None:
        for char in text:
            if char == " ":
                x += size  # a full-width space: PDFium counts a character there
                self.order += 1
                continue
            self.glyphs.append(Glyph(char, x, x + size, baseline, size, font, self.order))
            x += size + gap
            self.order += 1
        self.order += 2  # the line break PDFium adds

    def page(self, glyphs: list[Glyph] | None = None) -> PageContent:
        fonts = (Font("FZShuSong"), Font("FZDaHei"))
        return PageContent(1, 600.0, 800.0, fonts, tuple(glyphs or self.glyphs), ())


def texts(page: PageContent) -> list[str]:
    return [line.text for line in page_lines(page)]


def test_a_mark_hanging_into_the_gutter_still_ends_its_column_line():
    drawer = Drawer()
    drawer.line("高新区社区食堂开张，", 36.0, 700.0)  # ten glyphs: the comma hangs past the measure of nine
    drawer.line("每天供应早中晚三餐", 36.0, 687.0)
    drawer.line("居民步行十分钟可达", 36.0 + 9 * BODY + 11.0, 700.0)  # the next column, two points after the comma
    assert texts(drawer.page()) == ["高新区社区食堂开张，", "居民步行十分钟可达", "每天供应早中晚三餐"]


def test_a_credits_padded_names_keep_their_spaces_and_stay_one_line():
    drawer = Drawer()
    drawer.line("本报记者 王 磊", 36.0, 700.0)
    assert texts(drawer.page()) == ["本报记者 王 磊"]


def test_a_page_drawn_in_no_order_is_cut_at_wide_gaps_instead():
    drawer = Drawer()
    drawer.line("高新区社区食堂开张了", 36.0, 700.0, gap=1.0)
    drawer.line("居民步行十分钟可达", 36.0 + 10 * BODY + 9 + 12.0, 700.0)
    shuffled = [
        Glyph(g.char, g.x0, g.x1, g.baseline, g.size, g.font, (n * 7919) % 1000) for n, g in enumerate(drawer.glyphs)
    ]
    assert texts(drawer.page(shuffled)) == ["高新区社区食堂开张了", "居民步行十分钟可达"]


WIDTH = 9 * BODY  # a column of nine characters
GUTTER = 12.0
FULL = ["居民步行十分钟可达", "社区食堂每天供应早", "中晚三餐老人有优惠"]  # lines that fill the column


def column(drawer: Drawer, lines: list[str], x: float, top: float) -> None:
    for row, text in enumerate(lines):
        drawer.line(text, x, top - row * 13.0)


def test_a_headline_is_read_before_the_columns_under_it_and_a_column_flows_into_the_next():
    drawer = Drawer()
    drawer.line("社区食堂开张了", 36.0, 700.0, size=24.0, font=1)  # across both columns
    column(drawer, FULL, 36.0, 670.0)
    column(drawer, ["食堂位于社区服务中", "心一楼。"], 36.0 + WIDTH + GUTTER, 670.0)  # carries on the sentence
    layout = lay_out(page_lines(drawer.page()))
    assert [block.lines[0].text for block in layout.blocks] == ["社区食堂开张了", FULL[0], "食堂位于社区服务中"]
    assert layout.flows == (False, True, False)


def test_a_rule_parts_two_stories_stacked_in_one_column_and_the_one_below_opens_under_it():
    drawer = Drawer()
    drawer.line("社区食堂开张", 36.0, 700.0, size=14.0, font=1)
    column(drawer, FULL, 36.0, 680.0)
    drawer.line("夜跑步道开放", 36.0, 600.0, size=14.0, font=1)
    column(drawer, FULL, 36.0, 580.0)
    rule = (36.0, 620.0, 36.0 + WIDTH, 620.4)
    layout = lay_out(page_lines(drawer.page()), [rule])
    assert [block.lines[0].text for block in layout.blocks] == ["社区食堂开张", FULL[0], "夜跑步道开放", FULL[0]]
    assert layout.parted == (True, False, True, False)


def test_a_headline_set_beside_a_storys_first_column_is_read_before_it():
    drawer = Drawer()
    column(drawer, FULL * 2, 36.0, 700.0)  # the story's first column, from its top
    right = 36.0 + WIDTH + GUTTER
    drawer.line("社区食堂", right, 686.8, size=24.0, font=1)  # its head beside the first column, tops level
    column(drawer, ["食堂位于社区服务中", "心一楼。"], right, 664.0)  # the next column, under the head
    layout = lay_out(page_lines(drawer.page()))
    assert [block.lines[0].text for block in layout.blocks] == ["社区食堂", FULL[0], "食堂位于社区服务中"]
