"""Assemble the articles frame (see docs/interfaces.md §1) and the quarantine frame."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration.ingest.decode import Unreadable, clean_text, decode_bytes, html_to_text
from orchestration.ingest.discover import discover
from orchestration.ingest.metadata import Meta, read_manifests, split_front_matter

ARTICLE_SCHEMA = {
    "article_id": pl.Utf8, "path": pl.Utf8, "title": pl.Utf8, "text": pl.Utf8, "lang": pl.Utf8,
    "published_on": pl.Date, "source": pl.Utf8, "url": pl.Utf8, "n_bytes": pl.Int64,
}
QUARANTINE_SCHEMA = {
    "path": pl.Utf8, "reason": pl.Utf8, "action": pl.Utf8, "content_hash": pl.Utf8,
}


@dataclass
class IngestResult:
    articles: pl.DataFrame
    quarantine: pl.DataFrame  # action 'skipped' (file not read) or 'read' (read, with a warning)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def read_raw_folder(raw_dir: Path) -> IngestResult:
    """Every article file under raw_dir → one row, or a quarantine row that says why not."""
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist: create it or set FUNDWATCH_RAW_DIR")
    found, manifests = discover(raw_dir)
    by_manifest, manifest_problems = read_manifests(manifests, raw_dir)
    rows: list[dict] = []
    quarantine: list[dict] = [
        {"path": p, "reason": why, "action": "read", "content_hash": None} for p, why in manifest_problems
    ]
    seen: dict[str, str] = {}
    for item in found:
        if item.problem:
            quarantine.append({"path": item.rel, "reason": item.problem, "action": "skipped", "content_hash": None})
            continue
        try:
            data = item.path.read_bytes() if item.path.stat().st_size <= 5 * 1024 * 1024 else None
            if data is None:
                raise Unreadable(f"file over 5 MB ({item.path.stat().st_size / 1e6:.1f} MB)")
        except OSError as exc:
            quarantine.append({"path": item.rel, "reason": f"unreadable file: {exc.strerror or exc}",
                               "action": "skipped", "content_hash": None})
            continue
        digest = content_hash(data)
        if digest in seen:
            quarantine.append({"path": item.rel, "reason": f"duplicate of {seen[digest]}",
                               "action": "skipped", "content_hash": digest})
            continue
        try:
            row, warnings = _article(item.path, item.rel, data, by_manifest.get(item.rel))
        except Unreadable as exc:
            quarantine.append({"path": item.rel, "reason": str(exc), "action": "skipped", "content_hash": digest})
            continue
        seen[digest] = item.rel
        row["article_id"] = digest
        rows.append(row)
        quarantine.extend({"path": item.rel, "reason": w, "action": "read", "content_hash": digest} for w in warnings)
    return IngestResult(
        articles=pl.DataFrame(rows, schema=ARTICLE_SCHEMA, orient="row") if rows else pl.DataFrame(schema=ARTICLE_SCHEMA),
        quarantine=pl.DataFrame(quarantine, schema=QUARANTINE_SCHEMA) if quarantine else pl.DataFrame(schema=QUARANTINE_SCHEMA),
    )


def _article(path: Path, rel: str, data: bytes, manifest: Meta | None) -> tuple[dict, list[str]]:
    text = decode_bytes(data)
    warnings: list[str] = []
    title: str | None = None
    if path.suffix.lower() in {".html", ".htm"}:
        title, text = html_to_text(text)
        front = Meta()
    else:
        front, text = split_front_matter(text)
    text = clean_text(text).strip("\n")
    if not text.strip():
        raise Unreadable("no text after metadata")
    warnings += front.warnings + (manifest.warnings if manifest else [])
    first_line = next((line.strip() for line in text.split("\n") if line.strip()), "")
    title = front.title or (clean_text(title) if title else None) or first_line
    if front.title and not text.lstrip().startswith(front.title):
        text = f"{front.title}\n\n{text}"  # the title is part of the text the facts are read from
    published: dt.date | None = front.published or (manifest.published if manifest else None)
    return {
        "path": rel, "title": title[:500], "text": text, "lang": front.lang,
        "published_on": published,
        "source": front.source or (manifest.source if manifest else None),
        "url": front.url or (manifest.url if manifest else None),
        "n_bytes": len(data),
    }, warnings
