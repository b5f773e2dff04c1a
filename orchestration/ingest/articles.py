"""Assemble the articles frame (see docs/interfaces.md §1) and the quarantine frame."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from orchestration.ingest.decode import MAX_BYTES, Unreadable, clean_text, decode_bytes, html_to_text
from orchestration.ingest.discover import discover
from orchestration.ingest.metadata import Meta, read_manifests, split_front_matter

ARTICLE_SCHEMA = {
    "article_id": pl.Utf8, "path": pl.Utf8, "title": pl.Utf8, "text": pl.Utf8, "lang": pl.Utf8,
    "published_on": pl.Date, "source": pl.Utf8, "url": pl.Utf8, "n_bytes": pl.Int64,
}
#: reason: a short code (empty, binary, undecodable, too_large, duplicate, symlink_loop, …); detail: the sentence.
#: action: 'skipped' (the file was not read) or 'read' (read, with a warning about it or its metadata).
QUARANTINE_SCHEMA = {
    "path": pl.Utf8, "reason": pl.Utf8, "detail": pl.Utf8, "action": pl.Utf8, "content_hash": pl.Utf8,
    "seen_at": pl.Datetime("us"),
}
#: One row per file read as an article: what lets the next run skip re-reading it when it has not changed.
FILE_INDEX_SCHEMA = {
    "path": pl.Utf8, "stat_key": pl.Utf8, "meta_key": pl.Utf8, "article_id": pl.Utf8, "warnings": pl.Utf8,
}


def _ingest_version() -> str:
    """Changes whenever the ingest code changes, so cached reads never outlive the code that made them."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


INGEST_VERSION = _ingest_version()


@dataclass
class IngestResult:
    articles: pl.DataFrame
    quarantine: pl.DataFrame
    files: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=FILE_INDEX_SCHEMA))
    read: int = 0  # files read from disk this time
    reused: int = 0  # unchanged files taken from the previous run's index


@dataclass
class IngestCache:
    """The previous run's file index and articles: an unchanged file is not read again."""
    index: dict[tuple[str, str, str], tuple[str, str]]  # (path, stat_key, meta_key) → (article_id, warnings json)
    articles: dict[str, dict]  # article_id → article row

    @classmethod
    def empty(cls) -> IngestCache:
        return cls({}, {})

    @classmethod
    def from_frames(cls, files: pl.DataFrame | None, articles: pl.DataFrame | None) -> IngestCache:
        if files is None or articles is None or not set(FILE_INDEX_SCHEMA) <= set(files.columns) \
                or not set(ARTICLE_SCHEMA) <= set(articles.columns):
            return cls.empty()
        index = {(r["path"], r["stat_key"], r["meta_key"]): (r["article_id"], r["warnings"])
                 for r in files.iter_rows(named=True)}
        rows = {r["article_id"]: r for r in articles.select(list(ARTICLE_SCHEMA)).iter_rows(named=True)}
        return cls(index, rows)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _cache_lookup(item, manifest: Meta | None, cache: IngestCache) -> tuple[str, str | None, tuple[str, str] | None]:
    """The file's metadata key, stat key and ingest-cache entry (None when it changed or is new)."""
    meta_key = hashlib.sha256(f"{INGEST_VERSION}|{item.path.suffix.lower()}|"
                              f"{manifest.key() if manifest else ''}".encode()).hexdigest()[:16]
    stat_key = _stat_key(item.path)
    return meta_key, stat_key, cache.index.get((item.rel, stat_key, meta_key)) if stat_key else None


def _stat_key(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def read_raw_folder(raw_dir: Path, cache: IngestCache | None = None,
                    now: dt.datetime | None = None) -> IngestResult:
    """Every article file under raw_dir → one row, or a quarantine row that says why not."""
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist: create it or set FUNDWATCH_RAW_DIR")
    cache = cache or IngestCache.empty()
    seen_at = (now or dt.datetime.now(dt.timezone.utc)).replace(tzinfo=None, microsecond=0)
    found, manifests = discover(raw_dir)
    by_manifest, manifest_problems = read_manifests(manifests, raw_dir)
    rows: list[dict] = []
    files: list[dict] = []
    quarantine: list[dict] = []

    def flag(path: str, reason: str, detail: str, action: str, digest: str | None = None) -> None:
        quarantine.append({"path": path, "reason": reason, "detail": detail, "action": action,
                           "content_hash": digest, "seen_at": seen_at})

    for path, reason, detail in manifest_problems:
        flag(path, reason, detail, "read")
    seen: dict[str, str] = {}
    counts = {"read": 0, "reused": 0}
    parsed = _parse_ahead(found, by_manifest, cache)
    for i, item in enumerate(found):
        if item.problem:
            flag(item.rel, item.problem[0], item.problem[1], "skipped")
            continue
        manifest = by_manifest.get(item.rel)
        meta_key, stat_key, hit = _cache_lookup(item, manifest, cache)
        if hit and hit[0] in cache.articles:
            digest, warnings = hit[0], [tuple(w) for w in json.loads(hit[1])]
            row = dict(cache.articles[digest], path=item.rel)
            counts["reused"] += 1
        else:
            ahead = parsed.pop(i, None)
            if ahead is not None and stat_key is not None and ahead[0] == stat_key:
                digest, outcome = ahead[1], ahead[2]  # read by a worker, and unchanged since
            else:
                try:
                    size = item.path.stat().st_size
                    if size > MAX_BYTES:
                        raise Unreadable("too_large", f"file over 5 MB ({size / 1e6:.1f} MB)")
                    data = item.path.read_bytes()
                except Unreadable as exc:
                    flag(item.rel, exc.code, str(exc), "skipped")
                    continue
                except OSError as exc:
                    flag(item.rel, "unreadable", f"cannot read the file: {exc.strerror or exc}", "skipped")
                    continue
                digest, outcome = content_hash(data), None
            counts["read"] += 1
            if digest in seen:
                flag(item.rel, "duplicate", f"same bytes as {seen[digest]}, read once under that name",
                     "skipped", digest)
                continue
            try:
                if outcome is not None:
                    row, warnings = _from_ahead(outcome)
                else:
                    row, warnings = _article(item.path, item.rel, data, manifest)
            except Unreadable as exc:
                flag(item.rel, exc.code, str(exc), "skipped", digest)
                continue
            row["article_id"] = digest
        if digest in seen:
            flag(item.rel, "duplicate", f"same bytes as {seen[digest]}, read once under that name", "skipped", digest)
            continue
        seen[digest] = item.rel
        rows.append(row)
        files.append({"path": item.rel, "stat_key": stat_key, "meta_key": meta_key, "article_id": digest,
                      "warnings": json.dumps([list(w) for w in warnings])})
        for code, detail in warnings:
            flag(item.rel, code, detail, "read", digest)
    return IngestResult(
        articles=pl.DataFrame(rows, schema=ARTICLE_SCHEMA, orient="row") if rows else pl.DataFrame(schema=ARTICLE_SCHEMA),
        quarantine=pl.DataFrame(quarantine, schema=QUARANTINE_SCHEMA) if quarantine else pl.DataFrame(schema=QUARANTINE_SCHEMA),
        files=pl.DataFrame(files, schema=FILE_INDEX_SCHEMA) if files else pl.DataFrame(schema=FILE_INDEX_SCHEMA),
        read=counts["read"], reused=counts["reused"],
    )


PARALLEL_MIN_FILES = 1000  # below this, starting worker processes costs more than it saves
WORKERS = min(2, os.cpu_count() or 1)


def _article_ahead(path: Path, rel: str, manifest: Meta | None):
    """`_article` of one file, in a worker process: (stat key, content hash, (row, warnings) or the (code, detail)
    of an Unreadable), or None when the file cannot be read here (the main loop reads it and says why)."""
    stat_key = _stat_key(path)
    try:
        if stat_key is None or path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    try:
        outcome = _article(path, rel, data, manifest)
    except Unreadable as exc:
        outcome = (exc.code, str(exc))
    return stat_key, content_hash(data), outcome


def _parse_ahead(found, by_manifest: dict, cache: IngestCache) -> dict:
    """index in `found` -> what `_article_ahead` gives for it, computed on all cores for a large folder.

    `_article` is a pure function of the file's bytes, path and manifest row, so computing it ahead
    changes nothing: the main loop still decides, file by file and in order, what is reused, a
    duplicate or quarantined. It takes a worker's bytes (their hash and article) only when the file's
    stat key is still the one the worker saw, as the ingest cache does; else it reads the file itself.
    Cache hits and flagged files are not parsed ahead.
    """
    if WORKERS < 2 or len(found) < PARALLEL_MIN_FILES:
        return {}
    jobs = []
    for i, item in enumerate(found):
        if item.problem:
            continue
        manifest = by_manifest.get(item.rel)
        meta_key, stat_key, hit = _cache_lookup(item, manifest, cache)
        if not (hit and hit[0] in cache.articles):
            jobs.append((i, item.path, item.rel, manifest))
    if len(jobs) < PARALLEL_MIN_FILES:
        return {}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: workers start at once and need no importable __main__ (spawn and forkserver run the caller's
    # script again); they only run the pure-Python reading code, never polars. Whatever goes wrong there,
    # the main loop reads the files itself.
    try:
        with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("fork")) as pool:
            results = pool.map(_article_ahead, [j[1] for j in jobs], [j[2] for j in jobs], [j[3] for j in jobs],
                               chunksize=64)
            return {job[0]: result for job, result in zip(jobs, results) if result is not None}
    except Exception:  # noqa: BLE001 - an optimisation only
        return {}


def _from_ahead(outcome) -> tuple[dict, list[tuple[str, str]]]:
    """The (row, warnings) computed ahead, or its Unreadable raised again."""
    if isinstance(outcome[0], str):
        raise Unreadable(*outcome)
    return outcome


def _article(path: Path, rel: str, data: bytes, manifest: Meta | None) -> tuple[dict, list[tuple[str, str]]]:
    text = decode_bytes(data)
    warnings: list[tuple[str, str]] = []
    title: str | None = None
    if path.suffix.lower() in {".html", ".htm"}:
        title, text = html_to_text(text)
        front = Meta()
    else:
        front, text = split_front_matter(text)
    text = clean_text(text).strip("\n")
    if not text.strip():
        raise Unreadable("no_text", "no text after the metadata")
    warnings += front.warnings + (manifest.warnings if manifest else [])
    first_line = next((line.strip() for line in text.split("\n") if line.strip()), "")
    title = (clean_text(front.title) if front.title else None) or (clean_text(title) if title else None) or first_line
    if front.title and not text.lstrip().startswith(title):
        text = f"{title}\n\n{text}"  # the title is part of the text the facts are read from
    published: dt.date | None = front.published or (manifest.published if manifest else None)
    return {
        "path": rel, "title": title[:500], "text": text, "lang": front.lang,
        "published_on": published,
        "source": front.source or (manifest.source if manifest else None),
        "url": front.url or (manifest.url if manifest else None),
        "n_bytes": len(data),
    }, warnings
