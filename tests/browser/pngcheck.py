"""Checks that a PNG screenshot is not blank, with the standard library only.

Usage: pngcheck.py FILE [RRGGBB...]
Decodes the PNG (8-bit grey, RGB or RGBA, not interlaced), counts the
distinct colours and the share of pixels that are not white, and checks
that each RRGGBB given occurs. Prints one summary line; exits 1 when the
picture is blank (fewer than 8 colours or under 1% of it drawn) or a
colour is missing, 2 when the file is not a PNG it can read.
"""
import struct
import sys
import zlib


def chunks(data):
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        yield kind, data[pos + 8:pos + 8 + length]
        pos += 12 + length


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(kind, line, prev, bpp):
    if kind == 0:
        return line
    out = bytearray(line)
    n = len(out)
    if kind == 1:
        for i in range(bpp, n):
            out[i] = (out[i] + out[i - bpp]) & 255
    elif kind == 2:
        out = bytearray((x + y) & 255 for x, y in zip(line, prev))
    elif kind == 3:
        for i in range(n):
            left = out[i - bpp] if i >= bpp else 0
            out[i] = (out[i] + ((left + prev[i]) >> 1)) & 255
    elif kind == 4:
        for i in range(n):
            left = out[i - bpp] if i >= bpp else 0
            up_left = prev[i - bpp] if i >= bpp else 0
            out[i] = (out[i] + paeth(left, prev[i], up_left)) & 255
    else:
        raise ValueError("unknown filter %d" % kind)
    return out


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    ihdr, idat = None, b""
    for kind, body in chunks(data):
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    width, height, depth, colour, _, _, interlace = ihdr
    channels = {0: 1, 2: 3, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError("unsupported PNG (depth %d, colour type %d)" % (depth, colour))
    raw = zlib.decompress(idat)
    stride = width * channels
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        prev = unfilter(raw[start], raw[start + 1:start + 1 + stride], prev, channels)
        rows.append(bytes(prev))
    return width, height, channels, rows


def main():
    path, wanted = sys.argv[1], [w.lower() for w in sys.argv[2:]]
    try:
        width, height, channels, rows = decode(path)
    except (OSError, ValueError, TypeError, zlib.error) as e:
        print("%s: cannot read: %s" % (path, e))
        return 2
    colours = set()
    drawn = 0
    size = 3 if channels >= 3 else 1
    white = b"\xff" * size
    for row in rows:
        for x in range(0, len(row), channels):
            px = row[x:x + size]
            colours.add(px)
            drawn += px != white
    share = 100.0 * drawn / (width * height)
    found = {c.hex() for c in colours}
    missing = [w for w in wanted if w not in found]
    print("%s: %dx%d, %d distinct colours, %.1f%% drawn%s" % (
        path, width, height, len(colours), share,
        ", missing " + " ".join("#" + m for m in missing) if missing else ""))
    return 1 if len(colours) < 8 or share < 1.0 or missing else 0


if __name__ == "__main__":
    sys.exit(main())
