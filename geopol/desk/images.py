"""What an uploaded figure image is, read from its bytes (never from its name): PNG, JPEG, GIF
or WebP, with its dimensions from the header. Pure: bytes in, ImageInfo or ImageProblem out.

SVG is refused: it is a document that can carry scripts, not a picture. Nothing is decoded
(no image library is needed); the header is enough to know the type and size, and browsers
draw what follows safely.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAX_BYTES = 5 * 1024 * 1024  # a photograph or chart for the web is well under this
MIN_SIDE = 50  # pixels: smaller is an icon, not a figure
MAX_SIDE = 10_000
MAX_PIXELS = 40_000_000  # 40 megapixels: larger ones make readers' phones stall


class ImageProblem(ValueError):
    """Why an upload is not accepted as a figure image, and what to do."""


@dataclass(frozen=True)
class ImageInfo:
    kind: str  # png, jpeg, gif, webp
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return f"image/{self.kind}"

    @property
    def extension(self) -> str:
        return ".jpg" if self.kind == "jpeg" else f".{self.kind}"


def _png(data: bytes) -> tuple[int, int]:
    if data[12:16] != b"IHDR" or len(data) < 24:
        raise ImageProblem("the PNG file is cut short before its header ends")
    return struct.unpack(">II", data[16:24])


def _gif(data: bytes) -> tuple[int, int]:
    if len(data) < 10:
        raise ImageProblem("the GIF file is cut short before its header ends")
    return struct.unpack("<HH", data[6:10])


def _webp(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        return width, int.from_bytes(data[27:30], "little") + 1
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise ImageProblem("the WebP file's header cannot be read; export it again")


# JPEG markers that start a frame (SOF0-SOF15 but DHT, JPG and DAC) and carry its size
_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(data: bytes) -> tuple[int, int]:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            break
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            at += 1 if marker == 0xFF else 2
            continue
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        if marker in _JPEG_FRAMES and at + 9 <= len(data):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    raise ImageProblem("the JPEG file has no frame header giving its size; export it again")


SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png", _png),
    (b"\xff\xd8\xff", "jpeg", _jpeg),
    (b"GIF87a", "gif", _gif),
    (b"GIF89a", "gif", _gif),
)


def _kind(data: bytes) -> tuple[str, tuple[int, int]]:
    for signature, kind, size in SIGNATURES:
        if data.startswith(signature):
            return kind, size(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp", _webp(data)
    head = data[:256].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml", b"<!doctype svg")) or b"<svg" in head:
        raise ImageProblem(
            "SVG is not accepted (it can carry scripts); export the figure as PNG or WebP"
        )
    raise ImageProblem(
        "the file is not a PNG, JPEG, GIF or WebP image (whatever its name says); "
        "export it as one of those"
    )


def check_size(size: int) -> None:
    """ImageProblem when a file of `size` bytes cannot be a figure image (before reading it)."""
    if not size:
        raise ImageProblem("the file is empty; choose the image again")
    if size > MAX_BYTES:
        raise ImageProblem(
            f"the image is {size / 1_048_576:.1f} MB, over the {MAX_BYTES // 1_048_576} MB "
            "allowed; export it smaller (2000 px wide is plenty)"
        )


def read_image(data: bytes) -> ImageInfo:
    """The type and dimensions of an uploaded figure image, or ImageProblem saying why not."""
    check_size(len(data))
    kind, (width, height) = _kind(data)
    if min(width, height) < MIN_SIDE:
        raise ImageProblem(
            f"the image is {width} x {height} px; a figure needs at least {MIN_SIDE} px a side"
        )
    if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
        raise ImageProblem(
            f"the image is {width} x {height} px, over {MAX_SIDE} px a side or "
            f"{MAX_PIXELS // 1_000_000} megapixels; scale it down"
        )
    return ImageInfo(kind, width, height)
