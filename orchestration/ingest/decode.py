"""Bytes → clean text: encodings, HTML, odd Unicode.

An article may come in UTF-8 (with or without BOM), Latin-1 or Windows-1252, as
plain text or as a web page. Whatever it came as, the text handed to parsing is
NFC-normalised, free of zero-width characters, with HTML entities decoded, so
that character offsets are stable and regexes see one form of each letter.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter

MAX_BYTES = 5 * 1024 * 1024
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EITHER = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Unreadable(ValueError):
    """The file cannot be read as an article: `code` is the quarantine reason, the message its detail."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code


def decode_bytes(data: bytes) -> str:
    """Decode with the declared BOM, else strict UTF-8, else charset-normalizer's best guess."""
    if not data or data.isspace():  # bytes.isspace: the ASCII whitespace bytes.strip() removes
        raise Unreadable("empty", "empty file (no bytes, or only whitespace)")
    if len(data) > MAX_BYTES:
        raise Unreadable("too_large", f"file over 5 MB ({len(data) / 1e6:.1f} MB)")
    if data.find(b"\x00", 0, 8192) >= 0 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Unreadable("binary", "binary file (NUL bytes)")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise Unreadable("undecodable", f"UTF-8 BOM but invalid UTF-8 at byte {exc.start + 3}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "utf_16", "iso8859_15"]).best()
    if best is None:
        raise Unreadable("undecodable", "undecodable bytes (no known encoding fits)")
    text = str(best)
    if _looks_binary(text):
        raise Unreadable("binary", "binary file (not text in any known encoding)")
    return text


_LAYOUT = str.maketrans("", "", "\n\r\t")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return True
    if sample.translate(_LAYOUT).isprintable():
        return False  # no control, private-use or unassigned character at all (the common case, in C)
    bad = sum(n for c, n in Counter(sample).items() if c not in "\n\r\t" and unicodedata.category(c) in {"Cc", "Co", "Cn"})
    return bad / len(sample) > 0.05


def clean_text(text: str) -> str:
    """One Unicode form, no invisible characters, entities decoded, Unix newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = html.unescape(text) if "&" in text else text
    if _EITHER.search(text):  # one scan in the common case: neither kind of character is there
        text = _ZERO_WIDTH.sub("", text)
        text = _CONTROL.sub(" ", text)
    return unicodedata.normalize("NFC", text)


_EXTRACTOR = None  # trafilatura's extraction settings, built once


def html_to_text(page: str) -> tuple[str | None, str]:
    """The page's title and main text (navigation, scripts and styles dropped) via trafilatura."""
    import trafilatura

    global _EXTRACTOR
    if _EXTRACTOR is None:
        from trafilatura.settings import Extractor

        # what extract(page, include_comments=False, include_tables=False, favor_recall=True) builds on every
        # call (reading its settings each time: 0.15 ms a page); trafilatura copies it before changing it
        _EXTRACTOR = Extractor(output_format="txt", recall=True, comments=False, tables=False)
    body = trafilatura.extract(page, options=_EXTRACTOR)
    title = _page_title(page)
    if not body:
        raise Unreadable("no_text", "HTML page with no main text")
    return title, body


def _page_title(page: str) -> str | None:
    """The title trafilatura.extract_metadata(page) gives, computed alone.

    extract_metadata also finds the date (htmldate), author, URL, site name, categories, tags and
    licence, which make four fifths of its cost and none of the title: the title comes from the
    OpenGraph and meta tags, else JSON-LD, else the page (<title>, <h1>…), then is trimmed.
    """
    from html import unescape

    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title
    from trafilatura.utils import line_processing, load_html

    tree = load_html(page)
    if tree is None:
        return None
    metadata = examine_meta(tree)
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception:  # noqa: BLE001 - as extract_metadata: bugs in JSON-LD parsing leave the title as it is
        pass
    title = metadata.title or extract_title(tree)
    if isinstance(title, str):  # Document.clean_and_trim
        if len(title) > 10000:
            title = title[:9999] + "…"
        title = line_processing(unescape(title))
    return title or None
