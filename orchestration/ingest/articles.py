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
from orchestration.ingest.discover import Found, discover
from orchestration.ingest.discover import stat_key as stat_key_of
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


#: the packages that turn a file's bytes into an article's text and metadata
TEXT_PACKAGES = ("charset-normalizer", "trafilatura", "lxml", "python-frontmatter", "PyYAML")


def _ingest_version() -> str:
    """Changes whenever the ingest code or a package that makes the text changes, so cached reads never
    outlive what made them (and an article's text is a function of its bytes and its meta_key)."""
    from importlib import metadata

    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    for package in TEXT_PACKAGES:
        try:
            digest.update(f"{package}=={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} missing".encode())
    return digest.hexdigest()[:12]


INGEST_VERSION = _ingest_version()


@dataclass
class IngestResult:
    articles: pl.DataFrame
    quarantine: pl.DataFrame
    files: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=FILE_INDEX_SCHEMA))
    read: int = 0  # files read from disk this time
    reused: int = 0  # unchanged files taken from the previous run's index
    #: article ids taken unchanged from a lean cache (IngestCache.from_index): their rows, path
    #: included, are the previous articles and file index rows, and are in neither `articles` nor `files`
    kept: list[str] = field(default_factory=list)


@dataclass
class IngestCache:
    """The previous run's file index (and articles): an unchanged file is not read again.

    Built from the index and the article rows (`from_frames`), a hit gives back the previous
    row. Built from the index and the article ids only (`from_index`, what the asset does: the
    previous articles' text is never loaded), a hit gives the article id alone, listed in
    IngestResult.kept: the row is then the previous table's, unchanged (the index has one row
    per article, same path, so an unchanged file means an unchanged row).
    """
    index: dict[tuple[str, str, str], tuple[str, str]]  # (path, stat_key, meta_key) → (article_id, warnings json)
    articles: dict[str, dict] | None  # article_id → article row; None for a lean cache
    known: set[str] | None = None  # a lean cache's previous article ids (None: the index holds only those)

    @classmethod
    def empty(cls) -> IngestCache:
        return cls({}, {})

    @classmethod
    def from_frames(cls, files: pl.DataFrame | None, articles: pl.DataFrame | None) -> IngestCache:
        if files is None or articles is None or not set(FILE_INDEX_SCHEMA) <= set(files.columns) \
                or not set(ARTICLE_SCHEMA) <= set(articles.columns):
            return cls.empty()
        rows = {r["article_id"]: r for r in articles.select(list(ARTICLE_SCHEMA)).iter_rows(named=True)}
        return cls(_index(files), rows)

    @classmethod
    def from_index(cls, files: pl.DataFrame | None, article_ids=None) -> IngestCache:
        """A lean cache: the previous file index, and the ids of the previous articles table (None when
        the index was already cut to the rows whose article is in the table)."""
        if files is None or not set(FILE_INDEX_SCHEMA) <= set(files.columns):
            return cls.empty()
        return cls(_index(files), None, None if article_ids is None else set(article_ids))

    def hit(self, key: tuple[str, str, str]) -> tuple[str, str] | None:
        """(article id, warnings json) of an unchanged file whose article the cache can give back."""
        found = self.index.get(key)
        if found is None:
            return None
        if self.articles is not None:
            return found if found[0] in self.articles else None
        return found if self.known is None or found[0] in self.known else None


def _index(files: pl.DataFrame) -> dict[tuple[str, str, str], tuple[str, str]]:
    cols = [files[c].to_list() for c in ("path", "stat_key", "meta_key", "article_id", "warnings")]
    return dict(zip(zip(cols[0], cols[1], cols[2]), zip(cols[3], cols[4])))


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _stat_key(path) -> str | None:
    try:
        return stat_key_of(os.stat(path))
    except OSError:
        return None


def _meta_key(suffix: str, manifest: Meta | None) -> str:
    """What, besides the bytes, makes the article row: the ingest code, the file type, its manifest row."""
    return hashlib.sha256(f"{INGEST_VERSION}|{suffix}|{manifest.key() if manifest else ''}".encode()).hexdigest()[:16]


#: the article frame's columns after article_id, in order: what `_article` gives
_ROW = ("path", "title", "text", "lang", "published_on", "source", "url", "n_bytes")


def read_raw_folder(raw_dir: Path, cache: IngestCache | None = None,
                    now: dt.datetime | None = None, listing: tuple[list[Found], list[Path]] | None = None
                    ) -> IngestResult:
    """Every article file under raw_dir → one row, or a quarantine row that says why not.

    `listing` is discover(raw_dir) when the caller already has it (the asset fingerprints it first).
    """
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist: create it or set FUNDWATCH_RAW_DIR")
    cache = cache or IngestCache.empty()
    seen_at = (now or dt.datetime.now(dt.timezone.utc)).replace(tzinfo=None, microsecond=0)
    found, manifests = listing if listing is not None else discover(raw_dir)
    by_manifest, manifest_problems = read_manifests(manifests, raw_dir)
    rows: list[tuple] = []  # (article_id, *_ROW)
    kept: list[str] = []
    files: list[tuple] = []  # FILE_INDEX_SCHEMA order
    quarantine: list[tuple] = []  # QUARANTINE_SCHEMA order

    def flag(path: str, reason: str, detail: str, action: str, digest: str | None = None) -> None:
        quarantine.append((path, reason, detail, action, digest, seen_at))

    def duplicate(path: str, digest: str) -> None:
        flag(path, "duplicate", f"same bytes as {seen[digest]}, read once under that name", "skipped", digest)

    for path, reason, detail in manifest_problems:
        flag(path, reason, detail, "read")

    # what each file is: flagged, unchanged (a cache hit), or to be read (a job)
    plan: list[tuple] = []
    jobs: list[tuple[str, str, Meta | None]] = []
    manifest_of, meta_keys = by_manifest.get, {}
    lookup = cache.index.get if cache.articles is None and cache.known is None else cache.hit
    for item in found:
        if item.problem:
            plan.append((item, None, None, None, None))
            continue
        manifest = manifest_of(item.rel)
        meta_key = meta_keys.get((item.suffix, id(manifest)))
        if meta_key is None:  # by_manifest keeps every manifest alive: its id stays its own
            meta_key = meta_keys[item.suffix, id(manifest)] = _meta_key(item.suffix, manifest)
        stat_key = item.stat_key or _stat_key(item.abspath)
        hit = lookup((item.rel, stat_key, meta_key)) if stat_key else None
        if hit is None:
            jobs.append((item.abspath, item.rel, manifest))
        plan.append((item, manifest, meta_key, stat_key, hit))

    seen: dict[str, str] = {}
    read = reused = 0
    ahead = _read_ahead(jobs)
    for item, manifest, meta_key, stat_key, hit in plan:
        if item.problem:
            flag(item.rel, item.problem[0], item.problem[1], "skipped")
            continue
        if hit is not None:
            digest = hit[0]
            reused += 1
            if digest in seen:
                duplicate(item.rel, digest)
                continue
            if cache.articles is None:
                kept.append(digest)
                seen[digest] = item.rel
                if hit[1] != "[]":
                    for code, detail in json.loads(hit[1]):
                        flag(item.rel, code, detail, "read", digest)
                continue  # its file index row is the previous one too
            row = cache.articles[digest]
            rows.append((digest, item.rel, *(row[c] for c in _ROW[1:])))
            warnings_json = hit[1]
            warnings = json.loads(warnings_json) if warnings_json != "[]" else ()
        else:
            result = next(ahead)
            if result is not None and stat_key is not None and result[0] == stat_key:
                digest, outcome = result[1], result[2]  # read by a worker, and unchanged since
            else:
                try:
                    size = os.stat(item.abspath).st_size
                    if size > MAX_BYTES:
                        raise Unreadable("too_large", f"file over 5 MB ({size / 1e6:.1f} MB)")
                    with open(item.abspath, "rb") as handle:
                        data = handle.read()
                except Unreadable as exc:
                    flag(item.rel, exc.code, str(exc), "skipped")
                    continue
                except OSError as exc:
                    flag(item.rel, "unreadable", f"cannot read the file: {exc.strerror or exc}", "skipped")
                    continue
                digest, outcome = content_hash(data), None
                if digest not in seen:
                    outcome = _outcome(item.abspath, item.rel, data, manifest)
            read += 1
            if digest in seen:
                duplicate(item.rel, digest)
                continue
            if isinstance(outcome[0], str):  # an Unreadable's (code, detail)
                flag(item.rel, outcome[0], outcome[1], "skipped", digest)
                continue
            row, warnings = outcome
            rows.append((digest, *row))
            warnings_json = json.dumps([list(w) for w in warnings]) if warnings else "[]"
        seen[digest] = item.rel
        files.append((item.rel, stat_key, meta_key, digest, warnings_json))
        for code, detail in warnings:
            flag(item.rel, code, detail, "read", digest)
    ahead.close()  # the worker processes end here, not whenever the generator is collected
    return IngestResult(
        articles=_articles_frame(rows), quarantine=_frame(quarantine, QUARANTINE_SCHEMA),
        files=_frame(files, FILE_INDEX_SCHEMA), read=read, reused=reused, kept=kept,
    )


def _frame(rows: list[tuple], schema: dict) -> pl.DataFrame:
    """Row tuples → a frame, column by column (much cheaper than polars' row-wise constructor)."""
    columns = list(zip(*rows)) if rows else [()] * len(schema)
    return pl.DataFrame([pl.Series(name, list(values), dtype=dtype)
                         for (name, dtype), values in zip(schema.items(), columns)])


def _articles_frame(rows: list[tuple]) -> pl.DataFrame:
    """The articles frame. Workers send each text as UTF-8 bytes: polars takes those in one validating
    cast, where a str has to be encoded in this process first (the main process is the one that waits)."""
    if not rows or not any(isinstance(row[3], bytes) for row in rows):
        return _frame(rows, ARTICLE_SCHEMA)
    columns = list(zip(*rows))
    texts = columns[3]
    if all(isinstance(t, bytes) for t in texts):
        text = pl.Series("text", list(texts), dtype=pl.Binary).cast(pl.Utf8)
    else:
        text = pl.Series("text", [t.decode("utf-8") if isinstance(t, bytes) else t for t in texts], dtype=pl.Utf8)
    return pl.DataFrame([text if name == "text" else pl.Series(name, list(values), dtype=dtype)
                         for (name, dtype), values in zip(ARTICLE_SCHEMA.items(), columns)])


PARALLEL_MIN_FILES = 1000  # below this, starting worker processes costs more than it saves
WORKERS = min(2, os.cpu_count() or 1)
CHUNK = 64  # files per task sent to a worker


def _outcome(abspath: str, rel: str, data: bytes, manifest: Meta | None):
    """`_article` of one file's bytes: (row, warnings), or the (code, detail) of an Unreadable."""
    try:
        return _article(abspath, rel, data, manifest)
    except Unreadable as exc:
        return exc.code, str(exc)


def _read_one(abspath: str, rel: str, manifest: Meta | None):
    """One file read and made an article, in a worker process: (stat key, content hash, outcome), or
    None when the file cannot be read here (the main loop reads it and says why)."""
    try:
        st = os.stat(abspath)
        if st.st_size > MAX_BYTES:
            return None
        with open(abspath, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    outcome = _outcome(abspath, rel, data, manifest)
    if not isinstance(outcome[0], str):  # the text travels as UTF-8: see _articles_frame
        row = outcome[0]
        try:
            outcome = ((*row[:2], row[2].encode("utf-8"), *row[3:]), outcome[1])
        except UnicodeEncodeError:
            pass
    return stat_key_of(st), content_hash(data), outcome


def _read_chunk(jobs: list[tuple[str, str, Meta | None]]) -> list:
    return [_read_one(*job) for job in jobs]


def _read_ahead(jobs: list[tuple[str, str, Meta | None]]):
    """What `_read_one` gives for each job, in order, computed on all cores for a large folder; None
    for each job otherwise (the main loop then reads the file itself).

    `_article` is a pure function of the file's bytes, path and manifest row, so computing it ahead
    changes nothing: the main loop still decides, file by file and in order, what is reused, a
    duplicate or quarantined. It takes a worker's bytes (their hash and article) only when the file's
    stat key is still the one it recorded, as the ingest cache does; else it reads the file itself.
    Results are consumed as workers produce them, so the main loop runs alongside the workers.
    """
    if WORKERS < 2 or len(jobs) < PARALLEL_MIN_FILES:
        yield from (None for _ in jobs)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if any(path.lower().endswith((".html", ".htm")) for path, _, _ in jobs):
        import trafilatura  # noqa: F401 - imported once here, inherited by the forked workers
    import charset_normalizer  # noqa: F401

    chunks = [jobs[i:i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    done = 0
    # fork: workers start at once and need no importable __main__ (spawn and forkserver run the caller's
    # script again); they only run the pure-Python reading code, never polars. Whatever goes wrong there,
    # the main loop reads the remaining files itself.
    try:
        with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("fork")) as pool:
            for results in pool.map(_read_chunk, chunks):
                for result in results:
                    done += 1
                    yield result
    except Exception:  # noqa: BLE001 - an optimisation only
        pass
    yield from (None for _ in range(len(jobs) - done))


def _article(abspath: str, rel: str, data: bytes, manifest: Meta | None) -> tuple[tuple, list[tuple[str, str]]]:
    """One file's article row (the _ROW columns) and its metadata warnings; Unreadable if it has none."""
    text = decode_bytes(data)
    warnings: list[tuple[str, str]] = []
    title: str | None = None
    if abspath.lower().endswith((".html", ".htm")):
        title, text = html_to_text(text)
        front = Meta()
    else:
        front, text = split_front_matter(text)
    text = clean_text(text).strip("\n")
    if not text or text.isspace():
        raise Unreadable("no_text", "no text after the metadata")
    warnings += front.warnings + (manifest.warnings if manifest else [])
    first_line = _first_line(text)
    title = (clean_text(front.title) if front.title else None) or (clean_text(title) if title else None) or first_line
    if front.title and not text.lstrip().startswith(title):
        text = f"{title}\n\n{text}"  # the title is part of the text the facts are read from
    published: dt.date | None = front.published or (manifest.published if manifest else None)
    return (rel, title[:500], text, front.lang, published,
            front.source or (manifest.source if manifest else None),
            front.url or (manifest.url if manifest else None), len(data)), warnings


def _first_line(text: str) -> str:
    """The first line (split on "\\n") that is not blank, stripped; "" if none. Without splitting it all."""
    start = 0
    while True:
        end = text.find("\n", start)
        line = (text[start:] if end < 0 else text[start:end]).strip()
        if line or end < 0:
            return line
        start = end + 1
