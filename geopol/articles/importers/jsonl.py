"""JSON Lines: one article object per line, the Markdown body in 'body'."""

from __future__ import annotations

import json

from geopol.articles.importers.base import ArticleData, InputError, from_mapping, shown


def _refuse_constant(name: str) -> None:
    raise json.JSONDecodeError(f"{name} is not JSON; write a number or a string", name, 0)


class DuplicateKey(ValueError):
    pass


def _refuse_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """JSON keeps the last of a key given twice: `"access": "members", "access": "public"`
    would publish as public."""
    record: dict[str, object] = {}
    for key, value in pairs:
        if key in record:
            raise DuplicateKey(key)
        record[key] = value
    return record


def read_jsonl(text: str) -> list[ArticleData]:
    articles = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(
                line, parse_constant=_refuse_constant, object_pairs_hook=_refuse_duplicates
            )
        except DuplicateKey as error:
            raise InputError(
                f"the key {shown(str(error))} is given twice in one object; keep one "
                "(JSON would silently keep the last)",
                line=number,
            ) from None
        except RecursionError:
            raise InputError("the JSON object is nested too deeply to read", line=number) from None
        except json.JSONDecodeError as error:
            raise InputError(
                f"invalid JSON ({error.msg} at column {error.colno})", line=number
            ) from None
        if not isinstance(record, dict):
            raise InputError(f"expected a JSON object, got {type(record).__name__}", line=number)
        body = record.get("body")
        if not isinstance(body, str):
            raise InputError("field 'body' must be the article's Markdown text", line=number)
        articles.append(from_mapping(record, body, line=number))
    return articles
