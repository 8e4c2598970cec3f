"""Where an article comes from: a local file (.txt, .md, .html, a saved web page too) or a
news page by URL, fetched safely. `load_source` is the one way in; `ingest` (text -> Article)
and `html` (page -> Article) know nothing of files or URLs, so neither imports the other back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from index.html import article_from_html, looks_like_html
from index.ingest import Article, IngestError, decode_bytes, parse_article

MAX_FILE_BYTES = 5_000_000
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
HTML_SUFFIXES = (".html", ".htm")


def load_source(path_or_url: str, progress: Callable[[str], None] | None = None) -> Article:
    """The article in a local file or at a URL ("://" marks one); every failure is an
    `IngestError` (the file or its text) or a `FetchError` (the page) with a clear message."""
    if not is_url(path_or_url):
        return read_article_file(path_or_url)
    if progress is not None:
        progress(f"fetching {path_or_url[:200]}")
    from index.fetch import fetch  # the network stack only when a URL is added

    page = fetch(path_or_url)
    if "html" in page.content_type or looks_like_html(page.data):
        return article_from_html(page.data, page.url)
    return parse_article(decode_bytes(page.data, page.url), source=page.url)


def is_url(path_or_url: str) -> bool:
    return "://" in path_or_url


def check_web_url(text: str) -> str:
    """`text` if it is an http(s) URL with a host; otherwise an `IngestError`. For input that
    may only name a web page (the web app's URL box): a path or a file:// URL must never
    reach the server's files."""
    url = text.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise IngestError(
            f"{url[:200]!r} is not a web address: only http(s) URLs can be added here "
            "(upload a file instead)"
        )
    return url


def check_upload(path: str, folder: str | Path) -> str:
    """`path` if it is a file inside `folder` (where the web app keeps uploads), symlinks
    resolved; otherwise an `IngestError`."""
    resolved = Path(path).resolve()
    if not resolved.is_relative_to(Path(folder).resolve()) or not resolved.is_file():
        raise IngestError("only files uploaded through the page can be added")
    return str(resolved)


def source_stem(path_or_url: str) -> str:
    """A name for an article without a title: the file's stem, or the URL's last path
    segment (its host name when the path is empty)."""
    if not is_url(path_or_url):
        return Path(path_or_url).stem
    parts = urlsplit(path_or_url)
    return (parts.path.rstrip("/").rsplit("/", 1)[-1] or parts.hostname or "page").split(".")[0]


def read_article_file(path: str | Path) -> Article:
    """Read a .txt, .md or .html file (a saved web page too) and parse it; every failure is an
    `IngestError` with a clear message."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in TEXT_SUFFIXES + HTML_SUFFIXES:
        raise IngestError(f"{p.name[:200]}: only .txt, .md and .html files can be added")
    try:
        if not p.is_file():
            raise IngestError(f"{str(path)[:200]}: no such file")
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(f"{p.name} is {size / 1e6:.0f} MB; articles up to 5 MB are accepted")
        data = p.read_bytes()
    except OSError as e:  # unreadable, a name too long for the file system, ...
        raise IngestError(f"cannot read {str(path)[:200]}: {e.strerror or e}") from e
    if suffix in HTML_SUFFIXES:
        return article_from_html(data, p.name)
    return parse_article(decode_bytes(data, p.name), source=p.name)
