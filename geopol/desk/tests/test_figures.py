"""Figures on the desk: an uploaded image (its type read from its bytes) and a map figure whose
layers are checked with their lines, saved and placed in the text."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from geopol.articles.models import Article
from geopol.desk.figures import check_layers, feature_lines
from geopol.desk.images import ImageProblem, read_image
from geopol.desk.tests.test_desk import client_for, fields, start

pytestmark = pytest.mark.django_db


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    rows = b"".join(b"\x00" + b"\x80\x20\x20" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg_header(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x22\x00" * 3
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def test_the_type_and_size_come_from_the_bytes():
    assert read_image(png(640, 360)) == read_image(png(640, 360))
    info = read_image(png(640, 360))
    assert (info.kind, info.width, info.height, info.extension) == ("png", 640, 360, ".png")
    assert (read_image(jpeg_header(1200, 800)).kind, read_image(jpeg_header(1200, 800)).width) == (
        "jpeg",
        1200,
    )
    gif = b"GIF89a" + struct.pack("<HH", 300, 200) + b"\x00" * 20
    assert read_image(gif).height == 200
    webp = b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x0a\x00\x00\x00" + b"\x00" * 4
    webp += (799).to_bytes(3, "little") + (599).to_bytes(3, "little")
    assert (read_image(webp).width, read_image(webp).height) == (800, 600)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"%PDF-1.7 a report", "not a PNG, JPEG, GIF or WebP image (whatever its name says)"),
        (b'<?xml version="1.0"?><svg onload="alert(1)">', "SVG is not accepted"),
        (png(20, 300), "the image is 20 x 300 px; a figure needs at least 50 px a side"),
        (jpeg_header(12000, 500), "over 10000 px a side"),
        (b"", "the file is empty"),
    ],
)
def test_what_is_not_a_figure_image_is_refused_saying_why(data, says):
    with pytest.raises(ImageProblem) as refused:
        read_image(data)
    assert says in str(refused.value)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_an_uploaded_image_is_stored_placed_and_served(analyst, media):
    client = client_for(analyst)
    article = start(client)
    client.post(f"/desk/{article.pk}/", fields(article) | {"save": "1"})
    upload = SimpleUploadedFile("chart.jpg", png(640, 360), content_type="image/jpeg")
    response = client.post(
        f"/desk/{article.pk}/figures/image/",
        {"image": upload, "caption": "Displaced by district", "alt": "A bar chart", "credit": ""},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    figure = article.figures.get()
    assert figure.key == "displaced-by-district"
    assert figure.src.startswith("/media/figures/") and figure.src.endswith(".png")  # not .jpg
    assert article.body.rstrip().endswith("{{figure displaced-by-district}}")
    assert f'<img src="{figure.src}" alt="A bar chart"' in article.body_html
    assert len(list((media / "figures").iterdir())) == 1
    served = client.get(figure.src)
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == png(640, 360)
    page = client.get(f"/desk/{article.pk}/figures/").content.decode()
    assert "Displaced by district" in page and "{{figure displaced-by-district}}" in page


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_kept(analyst, media):
    client = client_for(analyst)
    article = start(client)
    upload = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    response = client.post(
        f"/desk/{article.pk}/figures/image/",
        {"image": upload, "caption": "Konna", "alt": "Konna"},
    )
    assert response.status_code == 400
    assert (
        "not a PNG, JPEG, GIF or WebP image (whatever its name says)" in response.content.decode()
    )
    assert not article.figures.exists()
    assert not (media / "figures").exists()


LAYERS = """{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"name": "Held by the rebels"},
   "geometry": {"type": "Polygon", "coordinates": [[[-4.2, 14.9], [-3.5, 14.9], [-3.5, 15.4],
   [-4.2, 15.4], [-4.2, 14.9]]]}},
  {"type": "Feature", "properties": {"name": "Advance", "arrow": true},
   "geometry": {"type": "LineString", "coordinates": [[-3.9, 15.3], [-4.1, 14.6]]}}
]}"""


def test_layer_problems_carry_their_line():
    assert feature_lines(LAYERS) == [2, 5]
    broken = LAYERS.replace("[[-3.9, 15.3], [-4.1, 14.6]]", "[[-3.9, 15.3]]")
    [problem] = check_layers(broken).problems
    assert (problem.field, problem.line) == ("layers", 5)
    assert problem.message.startswith("feature 2 ('Advance'):")
    [syntax] = check_layers(LAYERS.replace('"arrow": true', "arrow: true")).problems
    assert syntax.line == 5 and syntax.message.startswith("not JSON:")
    assert check_layers(LAYERS).problems == []


def test_the_live_check_answers_problems_and_the_map(analyst):
    client = client_for(analyst)
    article = start(client)
    url = f"/desk/{article.pk}/figures/check/"
    bad = client.post(url, {"caption": "", "layers": LAYERS.replace("LineString", "Line")})
    answer = bad.json()
    assert [(p["field"], p["line"]) for p in answer["problems"]] == [
        ("caption", None),
        ("layers", 5),
    ]
    assert "<svg" in answer["svg"] and "Held by the rebels" in answer["svg"]  # what is usable
    good = client.post(url, {"caption": "Konna front", "layers": LAYERS}).json()
    assert good["problems"] == [] and "Advance" in good["svg"]


def test_a_map_figure_saves_without_javascript_only_when_its_layers_are_valid(analyst):
    client = client_for(analyst)
    article = start(client)
    url = f"/desk/{article.pk}/figures/map/"
    broken = LAYERS.replace('"Polygon"', '"Polygone"')
    refused = client.post(url, {"caption": "Konna front", "key": "", "layers": broken})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "<strong>layers</strong>, line 2: feature 1 (&#x27;Held by the rebels&#x27;)" in page
    assert not article.figures.exists()
    checked = client.post(url, {"caption": "Konna front", "layers": LAYERS, "check": "1"})
    assert checked.status_code == 200 and "No problems" in checked.content.decode()
    assert not article.figures.exists()
    saved = client.post(url, {"caption": "Konna front", "layers": LAYERS, "save": "1"})
    assert saved.status_code == 302
    article = Article.objects.get(pk=article.pk)
    figure = article.figures.get()
    assert (figure.key, figure.kind) == ("konna-front", "map")
    assert [f["properties"]["name"] for f in figure.layers["features"]] == [
        "Held by the rebels",
        "Advance",
    ]
    assert article.body.rstrip().endswith("{{figure konna-front}}")
    # saved again under its key: replaced, placed once
    client.post(url, {"caption": "Konna front line", "key": "konna-front", "layers": LAYERS})
    article.refresh_from_db()
    assert article.figures.get().caption == "Konna front line"
    assert article.body.count("{{figure konna-front}}") == 1
    assert json.loads(json.dumps(figure.layers)) == json.loads(LAYERS)


def test_an_analyst_cannot_add_figures_to_another_analysts_piece(analyst, other_analyst, media):
    article = start(client_for(other_analyst))
    client = client_for(analyst)
    client.post(f"/desk/{article.pk}/figures/map/", {"caption": "Mine now", "layers": ""})
    upload = SimpleUploadedFile("a.png", png(100, 100), content_type="image/png")
    client.post(f"/desk/{article.pk}/figures/image/", {"image": upload, "caption": "x", "alt": "x"})
    assert not article.figures.exists()
