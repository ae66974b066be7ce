"""Bar charts as SVG, drawn on the server: the desk shows counts per day as pictures, with no script library and no
CDN (it must work offline), and an SVG shown as an image runs nothing.

Pure: numbers and labels in, SVG text out; every piece of text is escaped.
"""

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 640, 220
#: Room around the plot: the title above, the day labels below, the scale on the left.
TOP, BOTTOM, LEFT, RIGHT = 34, 26, 40, 8
BAR_SHARE = 0.6
FONT = "'Noto Sans CJK SC','WenQuanYi Micro Hei','PingFang SC',sans-serif"


def nice_ceiling(value: int) -> int:
    """The scale's top: the smallest 1, 2 or 5 times a power of ten at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = int(10 ** math.floor(math.log10(value)))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def bar_chart(points: Sequence[tuple[str, int]], *, title: str, color: str = "#2f6fb0") -> str:
    """One bar per ``(label, count)``, left to right, its count above it; a scale of 0, the top and, when it is a
    whole number, half the top."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = nice_ceiling(max((count for _, count in points), default=0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' role="img" aria-label={quoteattr(title)} font-family="{FONT}" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT}" y="18" font-size="14" font-weight="bold" fill="#333">{escape(title)}</text>',
    ]
    for tick in (0, top // 2, top) if top % 2 == 0 else (0, top):  # counts are whole: no tick at 0.5
        y = TOP + plot_height * (1 - tick / top)
        label = str(tick)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#888">{label}</text>')
    if not points:
        parts.append(
            f'<text x="{LEFT + plot_width / 2}" y="{TOP + plot_height / 2}" text-anchor="middle"'
            ' fill="#888">暂无数据</text>'
        )
    slot = plot_width / max(len(points), 1)
    for n, (label, count) in enumerate(points):
        height = plot_height * count / top
        x = LEFT + slot * n + slot * (1 - BAR_SHARE) / 2
        middle = LEFT + slot * (n + 0.5)
        y = TOP + plot_height - height
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{slot * BAR_SHARE:.1f}" height="{height:.1f}"'
            f' fill="{color}"><title>{escape(label)}: {count}</title></rect>'
        )
        parts.append(f'<text x="{middle:.1f}" y="{y - 4:.1f}" text-anchor="middle" fill="#333">{count}</text>')
        parts.append(f'<text x="{middle:.1f}" y="{HEIGHT - 8}" text-anchor="middle" fill="#666">{escape(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
