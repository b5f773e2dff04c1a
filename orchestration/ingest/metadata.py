"""Article metadata: front matter first, then manifest.csv, then nothing.

Bad metadata never costs an article: an invalid date is dropped with a warning
(the text may still date the article), a manifest with a missing column is
ignored with a warning, extra columns are ignored.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_COLUMNS = ("path", "published", "source", "url")


@dataclass
class Meta:
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    warnings: list[str] = field(default_factory=list)


def parse_date(value: object) -> dt.date | None:
    """An ISO date (or datetime) → date; anything else → None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def split_front_matter(text: str) -> tuple[Meta, str]:
    """A leading YAML block between `---` lines → (metadata, the rest of the text)."""
    if not text.lstrip("\ufeff").startswith("---"):
        return Meta(), text
    import frontmatter
    import yaml

    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        meta = Meta(warnings=[f"front matter is not valid YAML ({exc.__class__.__name__}); read as text"])
        return meta, text
    data = post.metadata if isinstance(post.metadata, dict) else {}
    meta = Meta(
        title=_str(data.get("title")),
        source=_str(data.get("source")),
        url=_str(data.get("url")),
        lang=(_str(data.get("lang")) or "").lower()[:2] or None,
    )
    raw_date = data.get("published")
    meta.published = parse_date(raw_date)
    if raw_date not in (None, "") and meta.published is None:
        meta.warnings.append(f"front matter date {raw_date!r} is not an ISO date; date left to the text")
    return meta, post.content


def _str(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def read_manifests(manifests: list[Path], root: Path) -> tuple[dict[str, Meta], list[tuple[str, str]]]:
    """Map article path (relative to the raw folder) → manifest metadata, and the problems met."""
    entries: dict[str, Meta] = {}
    problems: list[tuple[str, str]] = []
    for manifest in sorted(manifests):
        rel = manifest.relative_to(root.resolve()).as_posix() if manifest.is_absolute() else manifest.as_posix()
        try:
            with manifest.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                columns = [c.strip() for c in (reader.fieldnames or [])]
                if "path" not in columns:
                    problems.append((rel, f"manifest has no 'path' column (columns: {columns}); ignored"))
                    continue
                extra = [c for c in columns if c not in MANIFEST_COLUMNS]
                missing = [c for c in MANIFEST_COLUMNS if c not in columns]
                if extra or missing:
                    problems.append((rel, f"manifest columns differ from {list(MANIFEST_COLUMNS)}: "
                                          f"missing {missing}, extra {extra}; read what is there"))
                base = manifest.parent.resolve().relative_to(root.resolve())
                for row in reader:
                    row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
                    if not row.get("path"):
                        continue
                    key = (base / row["path"]).as_posix()
                    meta = Meta(published=parse_date(row.get("published")),
                                source=row.get("source") or None, url=row.get("url") or None)
                    if row.get("published") and meta.published is None:
                        meta.warnings.append(f"manifest date {row['published']!r} is not an ISO date")
                    entries[key] = meta
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            problems.append((rel, f"manifest unreadable: {exc}"))
    return entries, problems
