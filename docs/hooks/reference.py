"""mkdocs hook: the Reference section lists whatever pages docs/reference/
holds, so a new generated page (scripts/docs-reference.sh writes them)
needs no nav line."""

from __future__ import annotations

import pathlib
from typing import Any

SECTION = "Reference"
INDEX = "reference/index.md"


def _pages(docs_dir: pathlib.Path) -> list[tuple[str, str]]:
    """(path relative to docs/, title) of every reference page but the index."""
    pages = []
    for path in sorted((docs_dir / "reference").rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        if rel == INDEX:
            continue
        title = next(
            (line[2:].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# ")),
            path.stem,
        )
        pages.append((rel, title))
    return pages


def on_config(config: Any) -> Any:
    pages = _pages(pathlib.Path(config["docs_dir"]))
    for entry in config["nav"] or []:
        if isinstance(entry, dict) and SECTION in entry:
            listed = {item if isinstance(item, str) else next(iter(item.values())) for item in entry[SECTION]}
            entry[SECTION].extend({title: rel} for rel, title in pages if rel not in listed)
    return config

