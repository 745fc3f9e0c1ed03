"""Markdown with YAML front matter between '---' lines."""

from __future__ import annotations

import yaml

from geopol.articles.importers.base import ArticleData, InputError, from_mapping


class FrontMatterLoader(yaml.SafeLoader):
    """YAML without aliases: 400 bytes of nested aliases ("billion laughs") expand to
    gigabytes, and front matter never needs them."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise InputError(
                f"front matter: YAML aliases (*{str(event.anchor)[:40]}) are not accepted; "
                "write the value out",
                line=event.start_mark.line + 2,
            )
        return super().compose_node(parent, index)


def read_markdown(text: str) -> list[ArticleData]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise InputError("no YAML front matter: the file must start with a '---' line", line=1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        raise InputError("the front matter is never closed with a '---' line", line=1) from None
    try:
        meta = yaml.load("\n".join(lines[1:end]), Loader=FrontMatterLoader)  # noqa: S506
    except RecursionError:
        raise InputError("front matter: nested too deeply to read", line=2) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise InputError(f"front matter: {problem}", line=line) from None
    if not isinstance(meta, dict):
        raise InputError("the front matter must be key: value pairs", line=2)
    return [from_mapping(meta, "\n".join(lines[end + 1 :]), body_line=end + 2)]
