"""Find the article files of a raw folder without ever leaving it."""
from __future__ import annotations

import errno
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ARTICLE_SUFFIXES = {".txt", ".md", ".html", ".htm"}
MANIFEST_NAME = "manifest.csv"


@dataclass(frozen=True)
class Found:
    path: Path  # absolute
    rel: str  # relative to the raw folder, forward slashes, NFC, always valid UTF-8
    problem: tuple[str, str] | None = None  # (reason code, detail): quarantine before reading


def discover(raw_dir: Path) -> tuple[list[Found], list[Path]]:
    """Article candidates and manifest files, sorted; whatever cannot be read safely is flagged.

    os.walk does not follow directory symlinks, so a symlink loop cannot make it spin;
    a file symlink is followed only when it resolves to a regular file inside the raw
    folder; FIFOs, sockets and devices are never opened (reading one could block forever).
    Hidden files and folders (.git, .DS_Store) are ignored.
    """
    root = raw_dir.resolve()
    found: list[Found] = []
    manifests: list[Path] = []
    unreadable_dirs: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=unreadable_dirs.append):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        for dirname in dirnames:
            if (here / dirname).is_symlink():
                found.append(Found(here / dirname, rel_path(here / dirname, root),
                                   ("symlink_folder", "symlinked folder not followed (it could loop or leave the raw folder)")))
        for name in sorted(filenames):
            path = here / name
            if name.startswith("."):
                continue
            if name == MANIFEST_NAME:
                if _regular_inside(path, root) is None:
                    manifests.append(path)
                continue
            rel = rel_path(path, root)
            if path.suffix.lower() not in ARTICLE_SUFFIXES:
                found.append(Found(path, rel, ("unsupported_type",
                                               f"not an article file ({path.suffix or 'no extension'}); "
                                               f"articles are {', '.join(sorted(ARTICLE_SUFFIXES))}")))
                continue
            found.append(Found(path, rel, _regular_inside(path, root)))
    for error in unreadable_dirs:
        where = Path(error.filename) if error.filename else root
        found.append(Found(where, rel_path(where, root) if where != root else ".",
                           ("unreadable", f"folder cannot be listed: {error.strerror or error}")))
    return sorted(found, key=lambda f: f.rel), sorted(manifests)


def rel_path(path: Path, root: Path) -> str:
    """The path relative to the raw folder as valid NFC UTF-8 (undecodable name bytes become U+FFFD)."""
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.name
    rel = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return unicodedata.normalize("NFC", rel)


def _regular_inside(path: Path, root: Path) -> tuple[str, str] | None:
    """None when path is (or links to) a regular file inside root; else the reason not to open it."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except RuntimeError:
            return ("symlink_loop", "symlink loop")
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return ("symlink_loop", "symlink loop")
            return ("symlink_broken", "broken symlink (its target does not exist)")
        if root not in target.parents:
            return ("symlink_outside", "symlink pointing outside the raw folder")
    try:
        mode = path.stat().st_mode
    except RuntimeError:
        return ("symlink_loop", "symlink loop")
    except OSError as exc:
        return ("unreadable", f"cannot stat the file: {exc.strerror or exc}")
    if not stat.S_ISREG(mode):
        return ("not_a_file", "not a regular file (FIFO, socket or device): never opened")
    return None
