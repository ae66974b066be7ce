"""Bar charts drawn as SVG on the server: well-formed, to scale, escaped, and sane without data."""

import xml.etree.ElementTree as ET

import pytest

from bot.charts import BOTTOM, HEIGHT, TOP, bar_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


def bars(svg):
    return ET.fromstring(svg).findall(f"{SVG}rect")


def texts(svg):
    return [text.text for text in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize(
    "value,top", [(0, 1), (1, 1), (2, 2), (3, 5), (7, 10), (10, 10), (11, 20), (480, 500), (501, 1000)]
)
def test_the_scale_tops_at_a_round_number(value, top):
    assert nice_ceiling(value) == top


def test_bars_are_drawn_to_scale_with_their_counts_and_labels():
    svg = bar_chart([("05-10", 10), ("05-11", 5), ("05-12", 0)], title="每天的消息数")
    heights = [float(rect.get("height")) for rect in bars(svg)]
    plot = HEIGHT - TOP - BOTTOM
    assert heights == [plot, plot / 2, 0]
    bottoms = {round(float(rect.get("y")) + float(rect.get("height")), 1) for rect in bars(svg)}
    assert bottoms == {HEIGHT - BOTTOM}
    assert {"每天的消息数", "10", "5", "0", "05-10", "05-12"} <= set(texts(svg))
    assert ET.fromstring(svg).get("role") == "img"


def test_every_text_is_escaped():
    svg = bar_chart([("<script>alert(1)</script>", 1)], title='"><script>x</script>')
    assert "<script>" not in svg
    assert '"><script>x</script>' in texts(svg)


def test_no_data_draws_an_empty_chart_that_says_so():
    svg = bar_chart([], title="空")
    assert bars(svg) == [] and "暂无数据" in texts(svg)
    assert [float(rect.get("height")) for rect in bars(bar_chart([("a", 0)] * 7, title="零"))] == [0.0] * 7
