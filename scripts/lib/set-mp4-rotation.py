"""Writes an iPhone's 90-degree clockwise rotation matrix [0 1 0; -1 0 0; 1080 0 1] into the
video track's tkhd of an MP4/MOV, in place: ffmpeg 5.1 ignores its own `rotate` tag when encoding.
Usage: python3 scripts/lib/set-mp4-rotation.py <file>
"""
import struct, sys

path = sys.argv[1]
data = bytearray(open(path, "rb").read())

def boxes(start, end):
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[start + 8 : start + 16])[0], 16
        elif size == 0:
            size = end - start
        yield kind.decode("latin-1"), start, start + header, start + size
        start += size

def child(kind, start, end):
    return next(b for b in boxes(start, end) if b[0] == kind)

_, _, moov_body, moov_end = child("moov", 0, len(data))
for kind, _, body, end in boxes(moov_body, moov_end):
    if kind != "trak":
        continue
    _, _, mdia_body, mdia_end = child("mdia", body, end)
    _, _, hdlr_body, _ = child("hdlr", mdia_body, mdia_end)
    if data[hdlr_body + 8 : hdlr_body + 12] != b"vide":
        continue
    _, _, tkhd_body, _ = child("tkhd", body, end)
    matrix_at = tkhd_body + (52 if data[tkhd_body] == 1 else 40)
    data[matrix_at : matrix_at + 36] = struct.pack(">9i", 0, 1 << 16, 0, -(1 << 16), 0, 0, 1080 << 16, 0, 1 << 30)
    break
else:
    sys.exit(f"{path}: no video track found")
open(path, "wb").write(data)
