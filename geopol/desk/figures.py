"""Figures on the desk: an uploaded image stored under the data dir's media, and the authored
GeoJSON layers of a map figure checked as typed, each problem with its line and field."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from geopol.articles.access import can_preview, can_read, has_page
from geopol.articles.editing import figure_problems
from geopol.articles.models import Access, Article, FigureKind
from geopol.desk.images import ImageInfo, read_image
from geopol.geo.maplayers import validate_layers

FIGURE_MEDIA = "figures"  # under MEDIA_ROOT and MEDIA_URL
MAX_LAYERS_CHARACTERS = 1_000_000  # a country's worth of front lines is a few dozen KB
FEATURE_RE = re.compile(r"^feature (\d+)\b")
FEATURES_KEY = re.compile(r'"features"\s*:\s*\[')


@dataclass(frozen=True)
class Problem:
    """One thing to fix in a figure form: the field, the line of the layers (when known)
    and what is wrong."""

    field: str
    message: str
    line: int | None = None

    @property
    def shown(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class LayersCheck:
    layers: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)


def feature_lines(text: str) -> list[int]:
    """The line each feature of a FeatureCollection's "features" list starts on."""
    match = FEATURES_KEY.search(text)
    if match is None:
        return []
    decoder = json.JSONDecoder()
    at, lines = match.end(), []
    while at < len(text):
        while at < len(text) and text[at] in " \t\r\n,":
            at += 1
        if at >= len(text) or text[at] == "]":
            break
        lines.append(text.count("\n", 0, at) + 1)
        try:
            at = decoder.raw_decode(text, at)[1]
        except json.JSONDecodeError:
            break
    return lines


def check_layers(text: str) -> LayersCheck:
    """The layers typed in the map form: parsed, and every problem with its line (JSON syntax
    at its line and column; a feature's problem at the line the feature starts)."""
    if not text.strip():
        return LayersCheck()
    if len(text) > MAX_LAYERS_CHARACTERS:
        size = f"{len(text):,} characters, over {MAX_LAYERS_CHARACTERS:,}"
        return LayersCheck(problems=[Problem("layers", f"the layers are {size}; simplify them")])
    try:
        layers = json.loads(text)
    except json.JSONDecodeError as error:
        message = f"not JSON: {error.msg} (column {error.colno})"
        return LayersCheck(problems=[Problem("layers", message, error.lineno)])
    except RecursionError:
        return LayersCheck(problems=[Problem("layers", "nested too deeply to read", 1)])
    lines = feature_lines(text)
    problems = []
    for message in validate_layers(layers):
        number = FEATURE_RE.match(message)
        index = int(number.group(1)) - 1 if number else -1
        line = lines[index] if 0 <= index < len(lines) else None
        problems.append(Problem("layers", message, line))
    return LayersCheck(layers if isinstance(layers, dict) else None, problems)


def form_problems(kind: str, key: str, caption: str) -> list[Problem]:
    """The articles app's rules for a figure's fields (articles.editing.figure_problems), each
    with its field; the layers are check_layers' part."""
    found = []
    for message in figure_problems(kind, key, caption, None):
        name, _, rest = message.partition(": ")
        found.append(Problem(name, rest) if rest else Problem("kind", message))
    return found


def store_image(data: bytes) -> tuple[str, ImageInfo]:
    """Keep an uploaded image under MEDIA_ROOT/figures, named by its content (the same image
    uploaded twice is one file); its site path and what it is. ImageProblem when it is not
    a figure image."""
    info = read_image(data)
    name = hashlib.sha256(data).hexdigest()[:32] + info.extension
    folder = Path(settings.MEDIA_ROOT) / FIGURE_MEDIA
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.exists():
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)
    return f"{settings.MEDIA_URL}{FIGURE_MEDIA}/{name}", info


def media_path(name: str) -> Path | None:
    """The stored figure image `name` (as store_image named it), or None."""
    if not re.fullmatch(r"[0-9a-f]{32}\.(png|jpg|gif|webp)", name):
        return None
    path = Path(settings.MEDIA_ROOT) / FIGURE_MEDIA / name
    return path if path.is_file() else None


CONTENT_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif"} | {
    ".webp": "image/webp"
}


# Who is sent a stored image (image_answer): anyone, cacheable by anyone (PUBLIC); this reader
# only (PRIVATE); nobody until they sign in (SIGN_IN); not this reader (FORBIDDEN); nobody
# outside the desk (MISSING, like a draft's page).
PUBLIC, PRIVATE, SIGN_IN = "public", "private", "sign-in"
FORBIDDEN, MISSING = "forbidden", "missing"


def image_answer(user: Any, name: str, on_desk: bool) -> str:
    """What `user` gets for the stored image `name`: the answer of the most open piece whose
    image figures show it. A public piece's page makes it public; a page `user` may read
    (articles.access.can_read, metered reads included) private; a page they may not read asks
    them to sign in, or is refused; a piece with no page yet (draft, in review, scheduled and
    not due) is missing, as its page is. Desk users (`on_desk`) and editors who preview see
    every stored image, privately: they upload and place them before anyone reads them."""
    used_by = Article.objects.filter(
        figures__kind=FigureKind.IMAGE, figures__src__endswith=f"/{FIGURE_MEDIA}/{name}"
    ).only("pk", "status", "published_at", "access")
    shown = [article for article in used_by.distinct() if has_page(article)]
    if any(article.access == Access.PUBLIC for article in shown):
        return PUBLIC
    if on_desk or can_preview(user) or any(can_read(user, article) for article in shown):
        return PRIVATE
    if not shown:
        return MISSING
    return FORBIDDEN if user.is_authenticated else SIGN_IN
