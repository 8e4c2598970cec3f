"""HTML news pages -> `Article`, with trafilatura (made for news pages: it drops navigation,
ads, comment sections, scripts and hidden text). The extracted text then goes through the same
cleaning as pasted text."""

from __future__ import annotations

import dataclasses

from index.ingest import Article, IngestError, decode_bytes, parse_article


def article_from_html(data: bytes, source: str = "page") -> Article:
    import trafilatura

    html = decode_html(data, source)
    # No `deduplicate`: its cache spans calls, so adding a page again would come back empty.
    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True,
    )  # fmt: skip
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise IngestError(f"{source}: no article text found in the page")
    title = (getattr(doc, "title", None) or "").strip()
    author = (getattr(doc, "author", None) or "").strip()
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if title and lines and lines[0] == title:
        lines = lines[1:]
    head = [title] if title else []
    if author and not any(line.startswith("By ") for line in lines[:2]):
        head.append(f"By {author}")
    article = parse_article("\n\n".join(head + lines), source=source)
    date = getattr(doc, "date", None)
    if date and not article.date:
        article = dataclasses.replace(article, date=str(date)[:10])
    return article


def decode_html(data: bytes, source: str) -> str:
    """Bytes -> text: BOM, then UTF-8 when the bytes are valid UTF-8 (a page saved as UTF-8
    that still declares latin-1 would otherwise be read as mojibake), then the page's declared
    charset, then detection."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not data.isascii():
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    head = data[:2048].lower()
    declared = None
    for marker in (b'charset="', b"charset='", b"charset="):
        at = head.find(marker)
        if at >= 0:
            rest = head[at + len(marker) :]
            declared = rest.split(b'"')[0].split(b"'")[0].split(b";")[0].split(b">")[0].strip()
            break
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(declared.decode("ascii", "replace"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, source)


def looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in data[:4096].lower()
