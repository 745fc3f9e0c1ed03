"""The layering import-linter cannot see: templates, the admin, management commands. An app
reaches the pages and commands of the apps below it only through their public hooks
(articles.parts slots, ArticleAdmin.contribute_inline, load_demo.before_demo)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from django.template import engines

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "geopol" / "templates"


def layers() -> dict[str, int]:
    """App name -> its depth in the import-linter contract (0 = the top)."""
    contract = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    depth = {}
    for n, layer in enumerate(contract["contracts"][0]["layers"]):
        for module in layer.split("|"):
            depth[module.strip().removeprefix("geopol.")] = n
    return depth


def library_apps() -> dict[str, str]:
    """Template tag library name -> the geopol app defining it."""
    libraries = engines["django"].engine.template_libraries
    return {
        name: lib_module.split(".")[1]
        for name, lib_module in (
            (name, getattr(library, "__module__", "") or "") for name, library in libraries.items()
        )
        if lib_module.startswith("geopol.")
    } | {
        name: path.split(".")[1]
        for name, path in engines["django"].engine.libraries.items()
        if path.startswith("geopol.")
    }


def test_templates_load_only_tags_of_their_app_or_below():
    depth, owner = layers(), library_apps()
    wrong = []
    for path in TEMPLATES.rglob("*.html"):
        app = path.relative_to(TEMPLATES).parts[0]
        if app not in depth:
            continue  # the project's own templates (base.html, includes/)
        for load in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", path.read_text()):
            for name in load.split():
                lib_app = owner.get(name)
                if lib_app is not None and depth[lib_app] < depth[app]:
                    wrong.append(f"{path.relative_to(TEMPLATES)} loads {name} ({lib_app})")
    assert wrong == []


def test_the_article_admin_is_the_articles_apps_own():
    from django.contrib import admin

    from geopol.articles.admin import ArticleAdmin
    from geopol.articles.models import Article
    from geopol.extraction.admin import ArticleEntityInline

    model_admin = admin.site._registry[Article]
    assert type(model_admin) is ArticleAdmin
    assert ArticleEntityInline in model_admin.get_inlines(None, None)


def test_no_module_rewrites_another_apps_markup_or_calls_its_commands():
    depth = layers()
    wrong = []
    for path in (ROOT / "geopol").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        app = path.relative_to(ROOT / "geopol").parts[0]
        source = path.read_text()
        if "figure-map-canvas" in source and app != "articles":
            wrong.append(f"{path.relative_to(ROOT)} rewrites the articles' figure canvas")
        if (
            app in depth
            and app != "extraction"
            and re.search(r"call_command\(\s*\"load_actors", source)
        ):
            wrong.append(f"{path.relative_to(ROOT)} calls extraction's load_actors")
    assert wrong == []
