"""Find the article files of a raw folder without ever leaving it."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ARTICLE_SUFFIXES = {".txt", ".md", ".html", ".htm"}
MANIFEST_NAME = "manifest.csv"


@dataclass(frozen=True)
class Found:
    path: Path  # absolute
    rel: str  # relative to the raw folder, with forward slashes
    problem: str | None = None  # a reason to quarantine before reading


def discover(raw_dir: Path) -> tuple[list[Found], list[Path]]:
    """Article candidates and manifest files, sorted; symlinks that loop or leave the folder are flagged.

    os.walk does not follow directory symlinks, so a symlink loop cannot make it spin;
    a file symlink is followed only when it resolves inside the raw folder.
    """
    root = raw_dir.resolve()
    found: list[Found] = []
    manifests: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        here = Path(dirpath)
        for dirname in dirnames:
            if (here / dirname).is_symlink():
                found.append(Found(here / dirname, _rel(here / dirname, root), "symlinked folder not followed"))
        for name in sorted(filenames):
            path = here / name
            if name == MANIFEST_NAME:
                manifests.append(path)
                continue
            if name.startswith(".") or path.suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            found.append(Found(path, _rel(path, root), _link_problem(path, root)))
    return found, manifests


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _link_problem(path: Path, root: Path) -> str | None:
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "broken or looping symlink"
    if root not in target.parents:
        return "symlink pointing outside the raw folder"
    return None
