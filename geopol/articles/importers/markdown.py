"""Markdown with YAML front matter between '---' lines.

The front door is lenient where the intent is plain and strict where a slip would publish
the wrong thing: a value holding ': ' unquoted (`title: Mali: A Possible Prelude`, which YAML
refuses) is read as the whole rest of its line, with a warning; an unknown or misspelt key
(`acess: members`) and a key given twice (YAML keeps the last) are refused with their line.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from geopol.articles.importers.base import (
    KNOWN_KEYS,
    ArticleData,
    InputError,
    InputWarning,
    from_mapping,
    shown,
)

# In Markdown the body follows the front matter; `body` is a JSON Lines key.
FRONT_MATTER_KEYS = KNOWN_KEYS - {"body"}
# `key: value` where the value is a plain scalar (not quoted, not a flow collection, a block
# scalar, an alias, an anchor or a tag), in a mapping or a list item.
PLAIN_VALUE = re.compile(
    r"^(?P<head>[ \t]*(?:-[ \t]+)?(?P<key>[A-Za-z_][\w-]*):[ \t]+)"
    r"(?P<value>[^\s'\"\[\]{}|>&*!%@`#].*?)[ \t]*$"
)
MAPPING_VALUES_PROBLEM = "mapping values are not allowed here"


class FrontMatterLoader(yaml.SafeLoader):
    """YAML without aliases (400 bytes of nested aliases, "billion laughs", expand to
    gigabytes, and front matter never needs them) and without duplicate keys (YAML keeps the
    last: `access: members` then `access: public` would publish as public)."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise InputError(
                f"front matter: YAML aliases (*{str(event.anchor)[:40]}) are not accepted; "
                "write the value out",
                line=event.start_mark.line + 2,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 2  # the file's line: '---' is line 1
            if key in seen:
                raise InputError(
                    f"front matter: the key {shown(key)} is given twice (lines {seen[key]} "
                    f"and {line}); keep one (YAML would silently keep the last)",
                    line=line,
                    key=str(key),
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def _load(source: str) -> tuple[Any, dict[str, int]]:
    """The front matter's value, and the file line of each top-level key."""
    loader = FrontMatterLoader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines = {}
        if isinstance(node, yaml.MappingNode):
            lines = {
                str(k.value): k.start_mark.line + 2
                for k, _ in node.value
                if isinstance(k, yaml.ScalarNode)
            }
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def _quote_plain_value(lines: list[str], index: int) -> InputWarning | None:
    """Quote the value on front-matter line `index` (0-based) when it is a plain value holding
    ': ' (what YAML refuses as "mapping values are not allowed here"), or None."""
    match = PLAIN_VALUE.match(lines[index])
    if match is None or ": " not in match["value"]:
        return None
    value = match["value"]
    lines[index] = match["head"] + "'" + value.replace("'", "''") + "'"
    return InputWarning(
        f"the value of {match['key']!r} holds ': ' unquoted; read as the text {shown(value)}. "
        "Put the value in quotes to say so and silence this warning",
        line=index + 2,
    )


def read_front_matter(lines: list[str]) -> tuple[Any, dict[str, int], list[InputWarning]]:
    """Parse front-matter lines (without the '---' fences): the value, the line of each
    top-level key and the warnings for values read leniently."""
    lines = list(lines)
    warnings: list[InputWarning] = []
    while True:
        try:
            meta, key_lines = _load("\n".join(lines))
            return meta, key_lines, warnings
        except RecursionError:
            raise InputError("front matter: nested too deeply to read", line=2) from None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problem = getattr(error, "problem", None) or "invalid YAML"
            if mark is not None and problem == MAPPING_VALUES_PROBLEM and mark.line < len(lines):
                warning = _quote_plain_value(lines, mark.line)
                if warning is not None:
                    warnings.append(warning)
                    continue
            line = mark.line + 2 if mark is not None else 1
            raise InputError(f"front matter: {problem}", line=line) from None


def read_markdown(text: str) -> list[ArticleData]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise InputError("no YAML front matter: the file must start with a '---' line", line=1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise InputError("the front matter is never closed with a '---' line", line=1) from None
    meta, key_lines, warnings = read_front_matter(lines[1:end])
    if not isinstance(meta, dict):
        raise InputError("the front matter must be key: value pairs", line=2)
    if "body" in meta:
        raise InputError(
            "'body' is a JSON Lines key: in a Markdown file the body is the text after the "
            "front matter's closing '---'; remove the key",
            line=key_lines.get("body"),
        )
    return [
        from_mapping(
            meta,
            "\n".join(lines[end + 1 :]),
            body_line=end + 2,
            key_lines=key_lines,
            known=FRONT_MATTER_KEYS,
            warnings=warnings,
        )
    ]
