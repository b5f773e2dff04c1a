"""Article metadata: front matter first, then manifest.csv, then nothing.

Bad metadata never costs an article: an invalid date is dropped with a warning
(the text may still date the article), a manifest with a missing column is read
for what it has with a warning, extra columns are ignored. Front matter is YAML
read with PyYAML's *safe* loader only: no tag can build a Python object or run code.
A manifest row can only describe a file inside the raw folder (`..` is refused).
"""
from __future__ import annotations

import csv
import datetime as dt
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from orchestration.ingest.discover import rel_path


class _PlainSafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """PyYAML's safe loader (plain data, no tags that build objects), with dates left as strings:
    `published: 2024-02-30` is then an invalid date to report, not a YAML error that loses the title."""


_PlainSafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

MANIFEST_COLUMNS = ("path", "published", "source", "url")
Warning_ = tuple[str, str]  # (reason code, detail)


@dataclass
class Meta:
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    warnings: list[Warning_] = field(default_factory=list)

    def key(self) -> str:
        """What of this metadata can change an article row (for the ingest cache)."""
        return repr((self.title, self.published, self.source, self.url, self.lang, self.warnings))


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


#: one `key: value` line whose YAML meaning is plain: a quoted string without escapes, or a plain
#: scalar without the characters that could start a comment, a nested mapping or a flow collection
_SIMPLE_LINE = re.compile(r"""(?P<key>[A-Za-z_][A-Za-z0-9_-]*):(?:[ ]+(?:"(?P<dq>[^"\\]*)"|'(?P<sq>[^']*)'"""
                          r"""|(?P<plain>[^\s#:"'\[\]{},&*!|>%@`?-][^#:]*?)))?[ ]*""")
#: what YAML reads as other than printable characters and "\n" (tabs, other line breaks, a BOM, controls)
_NOT_SIMPLE_CHARS = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def _simple_yaml(fm: str) -> dict | None:
    """What yaml.load(fm, _PlainSafeLoader) gives when every line is a simple `key: value` (or blank);
    None when the block is anything else, for PyYAML to read.

    Plain values (and keys) that a YAML resolver would turn into something else than a string
    (numbers, booleans, null) are left to PyYAML too, by asking the loader's own resolvers.
    """
    if _NOT_SIMPLE_CHARS.search(fm):
        return None
    data: dict = {}
    resolvers = _PlainSafeLoader.yaml_implicit_resolvers
    for line in fm.split("\n"):
        if not line or line.isspace():
            continue
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None:
            return None
        key, dq, sq, plain = match.group("key", "dq", "sq", "plain")
        for scalar in (key, plain):
            if scalar and any(regexp.match(scalar) for _, regexp in resolvers.get(scalar[0], ())):
                return None
        data[key] = dq if dq is not None else sq if sq is not None else plain
    return data


def split_front_matter(text: str) -> tuple[Meta, str]:
    """A leading YAML block between `---` lines → (metadata, the rest of the text)."""
    if not text.lstrip("\ufeff").startswith("---"):
        return Meta(), text
    from frontmatter.default_handlers import YAMLHandler

    try:
        _, fm, content = YAMLHandler.FM_BOUNDARY.split(text.lstrip("\ufeff"), 2)  # YAMLHandler().split
        data = _simple_yaml(fm)
        if data is None:
            data = yaml.load(fm, Loader=_PlainSafeLoader)  # noqa: S506 - a SafeLoader subclass
    except Exception as exc:  # yaml.YAMLError, no closing `---`, odd payloads
        return Meta(warnings=[("invalid_front_matter",
                               f"front matter is not valid YAML ({exc.__class__.__name__}); read as text")]), text
    data = data if isinstance(data, dict) else {}
    meta = Meta(
        title=_str(data.get("title")),
        source=_str(data.get("source")),
        url=_str(data.get("url")),
        lang=(_str(data.get("lang")) or "").lower()[:2] or None,
    )
    raw_date = data.get("published")
    meta.published = parse_date(raw_date)
    if raw_date not in (None, "") and meta.published is None:
        meta.warnings.append(("invalid_date", f"front matter date {str(raw_date)[:40]!r} is not an ISO date; "
                                              "date left to the text"))
    return meta, content


def _str(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text[:2000] or None


def manifest_key(base: str, path: str) -> str | None:
    """A manifest row's path, relative to the raw folder; None when it would leave the folder."""
    if path.isascii() and "\\" not in path and _plain_relative(path) and (not base or _plain_relative(base)):
        return f"{base}/{path}" if base else path  # what normpath(join) gives for plain segments
    path = unicodedata.normalize("NFC", path.replace("\\", "/"))
    if path.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(base, path)) if base not in ("", ".") else posixpath.normpath(path)
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


def _plain_relative(path: str) -> bool:
    """Segments that normpath leaves alone: no empty, '.' or '..' segment, no leading or trailing '/'."""
    probe = f"/{path}/"
    return "//" not in probe and "/./" not in probe and "/../" not in probe


def _column_plan(fieldnames: list[str]) -> dict[str, list[int]]:
    """Stripped column name → the row positions that can give it, last wins (what DictReader's row dict
    then `{k.strip(): v}` gives: a later duplicate raw name overwrites an earlier one; a row too short
    for a position has no value there)."""
    last: dict[str, int] = {}
    for i, name in enumerate(fieldnames):
        last[name] = i  # dict(zip(fieldnames, row)): first position's slot, last position's value
    plan: dict[str, list[int]] = {}
    for name, i in last.items():
        plan.setdefault((name or "").strip(), []).append(i)
    return plan


def _cell(row: list[str], positions: list[int] | None) -> str | None:
    if positions is None:
        return None
    value = None
    for i in positions:
        if i < len(row):
            value = row[i].strip()
    return value


def read_manifests(manifests: list[Path], root: Path) -> tuple[dict[str, Meta], list[tuple[str, str, str]]]:
    """Map article path (relative to the raw folder) → manifest metadata, and the problems met.

    Problems are (manifest path, reason code, detail).
    """
    entries: dict[str, Meta] = {}
    problems: list[tuple[str, str, str]] = []
    metas: dict[tuple, Meta] = {}
    root = root.resolve()
    for manifest in sorted(manifests):
        rel = rel_path(manifest, root)
        base = posixpath.dirname(rel)
        try:
            with manifest.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.reader(handle)
                fieldnames = next(reader, None)
                columns = [(c or "").strip() for c in (fieldnames or [])]
                if "path" not in columns:
                    problems.append((rel, "manifest_no_path",
                                     f"manifest has no 'path' column (columns: {columns[:10]}); ignored"))
                    continue
                extra = [c for c in columns if c not in MANIFEST_COLUMNS]
                missing = [c for c in MANIFEST_COLUMNS if c not in columns]
                if extra or missing:
                    problems.append((rel, "manifest_columns",
                                     f"manifest columns differ from {list(MANIFEST_COLUMNS)}: "
                                     f"missing {missing}, extra {extra[:10]}; read what is there"))
                plan = _column_plan(fieldnames)
                at_path, at_published, at_source, at_url = (plan.get(c) for c in MANIFEST_COLUMNS)
                simple = all(p is None or len(p) == 1 for p in (at_path, at_published, at_source, at_url))
                i_path, i_published, i_source, i_url = (p[0] if p else None for p in (at_path, at_published, at_source, at_url))
                width = 1 + max(i for i in (i_path, i_published, i_source, i_url) if i is not None)
                outside: list[str] = []
                for row in reader:
                    if not row:
                        continue  # DictReader skips blank lines
                    if simple and len(row) >= width:
                        path = row[i_path].strip()
                        published = row[i_published].strip() if i_published is not None else None
                        source = row[i_source].strip() if i_source is not None else None
                        url = row[i_url].strip() if i_url is not None else None
                    else:
                        path, published, source, url = (_cell(row, p) for p in (at_path, at_published, at_source, at_url))
                    if not path:
                        continue
                    key = manifest_key(base, path)
                    if key is None:
                        outside.append(path)
                        continue
                    # rows with the same values share one Meta (never changed after this): the ingest
                    # then computes each metadata key once
                    meta = metas.get((published, source, url))
                    if meta is None:
                        date = parse_date(published) if published else None
                        meta = metas[published, source, url] = Meta(published=date, source=source or None,
                                                                     url=url or None)
                        if published and date is None:
                            meta.warnings.append(("invalid_date", f"manifest date {published[:40]!r} "
                                                                  "is not an ISO date"))
                    entries[key] = meta
                if outside:
                    problems.append((rel, "manifest_path_outside",
                                     f"{len(outside)} manifest row(s) name a path outside the raw folder, ignored: "
                                     + ", ".join(repr(p[:80]) for p in outside[:5])))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            problems.append((rel, "manifest_unreadable", f"manifest unreadable: {exc}"))
    return entries, problems
