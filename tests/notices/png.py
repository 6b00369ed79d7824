"""Reading a PNG's pixels without an imaging library: enough to tell a page from a blank."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def gray_levels(path: Path) -> tuple[int, int, list[int]]:
    """Width, height and the first channel of every pixel (8-bit, non-interlaced PNGs)."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    at, idat, header = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and interlace == 0, f"{path}: depth {depth}, interlace {interlace}"
    step = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw, stride = zlib.decompress(idat), width * step
    rows, previous = [], bytearray(stride)
    for y in range(height):
        at = y * (stride + 1)
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        _unfilter(kind, line, previous, step)
        rows.append(line[::step])
        previous = line
    return width, height, [v for row in rows for v in row]


def _unfilter(kind: int, line: bytearray, up: bytearray, step: int) -> None:
    if kind == 0:
        return
    if kind == 2:
        line[:] = bytes((a + b) & 255 for a, b in zip(line, up, strict=True))
        return
    for i in range(len(line)):
        left = line[i - step] if i >= step else 0
        upper, corner = up[i], (up[i - step] if i >= step else 0)
        if kind == 1:
            line[i] = (line[i] + left) & 255
        elif kind == 3:
            line[i] = (line[i] + (left + upper) // 2) & 255
        else:  # Paeth
            p = left + upper - corner
            pa, pb, pc = abs(p - left), abs(p - upper), abs(p - corner)
            pred = left if pa <= pb and pa <= pc else upper if pb <= pc else corner
            line[i] = (line[i] + pred) & 255


def variance(levels: list[int]) -> float:
    mean = sum(levels) / len(levels)
    return sum((v - mean) ** 2 for v in levels) / len(levels)
