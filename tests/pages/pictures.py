"""Deterministic stand-in photographs: a real raster picture (JPEG) for every photo block of a page.

A page PDF must carry real images where the paper prints photos, so that a PDF reader meets image objects beside the
captions as it does on a real page. Each picture is drawn from a seed (page id and block index): a sky gradient, a
sun, hills and a row of buildings or trees, so pictures differ from photo to photo and are the same on every build.
"""

import io
import random
from functools import lru_cache

from PIL import Image, ImageDraw

Colour = tuple[int, int, int]
#: Long side of a picture in pixels: enough for a page rendered at newspaper resolution, small in the PDF.
LONG_SIDE = 640
JPEG_QUALITY = 80


@lru_cache(maxsize=64)
def photo_jpeg(seed: str, aspect: tuple[float, float]) -> bytes:
    """A JPEG of a made-up street scene with the aspect ``(width, height)``, the same for the same seed."""
    rng = random.Random(seed)
    size = _pixels(aspect)
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    horizon = int(size[1] * rng.uniform(0.45, 0.65))
    _gradient(draw, (0, 0, size[0], horizon), _colour(rng, 120, 220), _colour(rng, 200, 255))
    _gradient(draw, (0, horizon, size[0], size[1]), _colour(rng, 60, 140), _colour(rng, 20, 90))
    _sun(draw, rng, size, horizon)
    _hills(draw, rng, size, horizon)
    _skyline(draw, rng, size, horizon)
    _people(draw, rng, size, horizon)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def _pixels(aspect: tuple[float, float]) -> tuple[int, int]:
    """The picture's size in pixels: ``LONG_SIDE`` on its long side."""
    width, height = aspect
    scale = LONG_SIDE / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _colour(rng: random.Random, low: int, high: int) -> Colour:
    """A random colour with every channel in ``[low, high]``."""
    red, green, blue = (rng.randint(low, high) for _ in range(3))
    return red, green, blue


def _gradient(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], top: Colour, bottom: Colour) -> None:
    """Fill ``box`` with a vertical gradient from ``top`` to ``bottom``, one row at a time."""
    left, upper, right, lower = box
    rows = max(1, lower - upper)
    for row in range(rows):
        share = row / rows
        colour = tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True))
        draw.line([(left, upper + row), (right, upper + row)], fill=colour)


def _sun(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], horizon: int) -> None:
    """A pale disc in the sky."""
    radius = int(size[1] * rng.uniform(0.05, 0.1))
    x, y = rng.randint(radius, size[0] - radius), rng.randint(radius, max(radius, horizon - 2 * radius))
    draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=_colour(rng, 230, 255))


def _hills(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], horizon: int) -> None:
    """A ridge of hills along the horizon."""
    points = [(0, horizon)]
    for x in range(0, size[0] + 80, 80):
        points.append((x, horizon - rng.randint(10, max(11, horizon // 3))))
    points.append((size[0], horizon))
    draw.polygon(points, fill=_colour(rng, 70, 150))


def _skyline(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], horizon: int) -> None:
    """Buildings with lit windows, or a row of trees, standing on the horizon."""
    x = rng.randint(-20, 20)
    trees = rng.random() < 0.5
    while x < size[0]:
        span = rng.randint(30, 90)
        height = rng.randint(horizon // 5, horizon * 3 // 4)
        if trees:
            draw.ellipse([x, horizon - height, x + span, horizon - height // 4], fill=_colour(rng, 20, 110))
            draw.rectangle([x + span // 2 - 3, horizon - height // 4, x + span // 2 + 3, horizon], fill=(70, 50, 30))
        else:
            draw.rectangle([x, horizon - height, x + span, horizon], fill=_colour(rng, 90, 200))
            _windows(draw, rng, (x, horizon - height, x + span, horizon))
        x += span + rng.randint(2, 24)


def _windows(draw: ImageDraw.ImageDraw, rng: random.Random, box: tuple[int, int, int, int]) -> None:
    """A grid of windows on a building's front."""
    left, upper, right, lower = box
    lit = _colour(rng, 200, 255)
    for wy in range(upper + 6, lower - 10, 14):
        for wx in range(left + 5, right - 8, 12):
            if rng.random() < 0.6:
                draw.rectangle([wx, wy, wx + 6, wy + 8], fill=lit)


def _people(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], horizon: int) -> None:
    """A few figures in the foreground, so a picture reads as a news photo."""
    ground = size[1] - horizon
    for _ in range(rng.randint(2, 7)):
        height = int(ground * rng.uniform(0.35, 0.8))
        x = rng.randint(0, size[0] - height // 3)
        feet = rng.randint(horizon + height // 2, size[1])
        colour = _colour(rng, 10, 200)
        head = height // 7
        draw.ellipse(
            [x + head // 2, feet - height, x + head * 3 // 2 + head // 2, feet - height + head * 2],
            fill=(230, 190, 160),
        )
        draw.rectangle([x, feet - height + head * 2, x + head * 3, feet], fill=colour)
