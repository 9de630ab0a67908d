"""mkdocs hook: the Reference section lists whatever pages docs/reference/
holds, so the site builds with or without the generated reference
(scripts/docs-reference.sh writes it) and a new generated page needs no
nav line. reference/index.md gets the same list where it says
<!-- reference-pages -->."""

from __future__ import annotations

import pathlib
from typing import Any

MARKER = "<!-- reference-pages -->"
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


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if page.file.src_uri != INDEX or MARKER not in markdown:
        return markdown
    pages = _pages(pathlib.Path(config["docs_dir"]))
    if pages:
        listing = "\n".join(f"- [{title}]({pathlib.PurePosixPath(rel).relative_to('reference')})" for rel, title in pages)
    else:
        listing = "*The generated pages are not in this build: `scripts/docs-reference.sh` makes them.*"
    return markdown.replace(MARKER, listing)
