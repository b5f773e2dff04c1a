"""Find the article files of a raw folder without ever leaving it."""
from __future__ import annotations

import errno
import os
import stat
import unicodedata
from collections.abc import Iterator
from operator import attrgetter
from stat import S_ISREG
from pathlib import Path

ARTICLE_SUFFIXES = {".txt", ".md", ".html", ".htm"}
MANIFEST_NAME = "manifest.csv"


class Found:
    """One entry of the raw folder: an article file to read, or a reason not to open it."""
    __slots__ = ("abspath", "rel", "problem", "stat_key", "suffix")

    def __init__(self, abspath: str, rel: str, problem: tuple[str, str] | None = None,
                 stat_key: str | None = None, suffix: str = ""):
        self.abspath = abspath  # absolute
        self.rel = rel  # relative to the raw folder, forward slashes, NFC, always valid UTF-8
        self.problem = problem  # (reason code, detail): quarantine before reading
        #: "size:mtime_ns:ctime_ns:inode" of the file (symlinks followed), taken once by discover: what the
        #: ingest cache and the folder fingerprint compare (None for a flagged entry)
        self.stat_key = stat_key
        self.suffix = suffix  # lower-case extension

    @property
    def path(self) -> Path:
        return Path(self.abspath)

    def __eq__(self, other) -> bool:
        return isinstance(other, Found) and (self.abspath, self.rel, self.problem) == (other.abspath, other.rel, other.problem)

    def __hash__(self) -> int:
        return hash((self.abspath, self.rel, self.problem))

    def __repr__(self) -> str:
        return f"Found({self.abspath!r}, {self.rel!r}, {self.problem!r})"


def stat_key(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def discover(raw_dir: Path) -> tuple[list[Found], list[Path]]:
    """Article candidates and manifest files, sorted; whatever cannot be read safely is flagged.

    Directory symlinks are never followed, so a symlink loop cannot make it spin;
    a file symlink is followed only when it resolves to a regular file inside the raw
    folder; FIFOs, sockets and devices are never opened (reading one could block forever).
    Hidden files and folders (.git, .DS_Store) are ignored.
    """
    found: list[Found] = []
    manifests: list[Path] = []
    for item in listing(raw_dir):
        (found if isinstance(item, Found) else manifests).append(item)
    found.sort(key=lambda f: f.rel)
    return found, sorted(manifests)


def listing(raw_dir: Path) -> Iterator[Found | Path]:
    """`discover`'s entries one at a time, unsorted (a Found, or a manifest's Path): a caller that
    only needs to know whether there is anything stops at the first.

    The walk is os.walk's (top-down, symlinked folders listed but not entered), on os.scandir
    entries so that a file costs one stat (kept on its Found) and no pathlib object.
    """
    root = raw_dir.resolve()

    def unreadable(error: OSError) -> Found:
        where = Path(error.filename) if error.filename else root
        return Found(os.fspath(where), rel_path(where, root) if where != root else ".",
                     ("unreadable", f"folder cannot be listed: {error.strerror or error}"))

    def walk(top: str, rel_dir: str) -> Iterator[Found | Path]:
        dirs: list[os.DirEntry] = []
        files: list[os.DirEntry] = []
        try:
            scandir_it = os.scandir(top)
        except OSError as error:
            yield unreadable(error)
            return
        with scandir_it:
            while True:
                try:
                    entry = next(scandir_it)
                except StopIteration:
                    break
                except OSError as error:
                    yield unreadable(error)
                    return
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                (dirs if is_dir else files).append(entry)
        dirs = sorted((d for d in dirs if not d.name.startswith(".")), key=lambda e: e.name)
        prefix = f"{rel_dir}/" if rel_dir else ""
        for entry in dirs:
            if _is_symlink(entry):
                yield Found(entry.path, _rel(prefix + entry.name),
                            ("symlink_folder", "symlinked folder not followed (it could loop or leave the raw folder)"))
        for entry in sorted(files, key=_name):
            name = entry.name
            if name.startswith("."):
                continue
            if name == MANIFEST_NAME:
                if _regular_inside(entry, root)[0] is None:
                    yield Path(entry.path)
                continue
            rel = prefix + name
            if not rel.isascii():
                rel = _rel(rel)
            dot = name.rfind(".")
            suffix = name[dot:] if 0 < dot < len(name) - 1 else ""  # Path.suffix
            lower = suffix.lower()
            if lower not in ARTICLE_SUFFIXES:
                yield Found(entry.path, rel, ("unsupported_type",
                                              f"not an article file ({suffix or 'no extension'}); "
                                              f"articles are {', '.join(sorted(ARTICLE_SUFFIXES))}"))
                continue
            st = None
            try:
                if not entry.is_symlink():  # the common case, inline: a plain file's one stat
                    st = entry.stat()
            except OSError:
                pass
            if st is not None and S_ISREG(st.st_mode):
                yield Found(entry.path, rel, None, stat_key(st), lower)
                continue
            problem, st = _regular_inside(entry, root)
            yield Found(entry.path, rel, problem, None if st is None else stat_key(st), lower)
        for entry in dirs:
            if not _is_symlink(entry):
                yield from walk(entry.path, prefix + entry.name)

    return walk(os.fspath(root), "")


_name = attrgetter("name")


def _is_symlink(entry: os.DirEntry) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _rel(rel: str) -> str:
    """A relative path as valid NFC UTF-8 (see rel_path); ASCII, the common case, is already that."""
    if rel.isascii():
        return rel
    rel = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return unicodedata.normalize("NFC", rel)


def rel_path(path: Path, root: Path) -> str:
    """The path relative to the raw folder as valid NFC UTF-8 (undecodable name bytes become U+FFFD)."""
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.name
    rel = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return unicodedata.normalize("NFC", rel)


def _regular_inside(entry: os.DirEntry, root: Path) -> tuple[tuple[str, str] | None, os.stat_result | None]:
    """(None, its stat) when the entry is (or links to) a regular file inside root; else (the reason not
    to open it, None)."""
    if _is_symlink(entry):
        path = Path(entry.path)
        try:
            target = path.resolve(strict=True)
        except RuntimeError:
            return ("symlink_loop", "symlink loop"), None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return ("symlink_loop", "symlink loop"), None
            return ("symlink_broken", "broken symlink (its target does not exist)"), None
        if root not in target.parents:
            return ("symlink_outside", "symlink pointing outside the raw folder"), None
    try:
        st = entry.stat()
    except RuntimeError:
        return ("symlink_loop", "symlink loop"), None
    except OSError as exc:
        return ("unreadable", f"cannot stat the file: {exc.strerror or exc}"), None
    if not stat.S_ISREG(st.st_mode):
        return ("not_a_file", "not a regular file (FIFO, socket or device): never opened"), None
    return None, st
