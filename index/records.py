"""How passages and sentences become Chroma records and back.

Record ids are content hashes (text and occurrence number), so indexing the same text twice
changes nothing and re-indexing changed text embeds only what changed.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from index.ingest import Article
from index.passages import Mention, Passage, Sentence

Record = tuple[str, str, dict[str, Any]]  # id, text, metadata


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def article_meta(article: Article) -> dict[str, Any]:
    fields = {
        "title": article.title,
        "byline": article.byline,
        "dateline": article.dateline,
        "date": article.date,
        "caption": article.caption,
    }
    return {k: v for k, v in fields.items() if v}


def article_from_meta(meta: dict[str, Any], paragraphs: tuple[str, ...] = ()) -> Article:
    return Article(
        title=meta.get("title"),
        paragraphs=paragraphs,
        byline=meta.get("byline"),
        dateline=meta.get("dateline"),
        date=meta.get("date"),
        caption=meta.get("caption"),
    )


def to_records(passages: list[Passage]) -> list[Record]:
    """(id, text, metadata) for every passage and sentence; ids hash the text and its
    occurrence number, so identical paragraphs get distinct, stable ids."""
    seen: Counter[str] = Counter()
    out: list[Record] = []
    for order, p in enumerate(passages):
        seen[p.text] += 1
        pkey = _hash("passage", p.text, str(seen[p.text]))
        out.append(
            (
                pkey,
                p.text,
                {
                    "kind": "passage",
                    "pid": p.id,
                    "paragraph": p.paragraph,
                    "order": order,
                    "start": p.start,
                    "end": p.end,
                },
            )
        )
        for i, s in enumerate(p.sentences):
            out.append(
                (
                    _hash("sentence", pkey, s.text, str(i)),
                    s.text,
                    {
                        "kind": "sentence",
                        "pid": p.id,
                        "order": i,
                        "start": s.start,
                        "end": s.end,
                        "ents": json.dumps(s.entities),
                        "chunks": json.dumps(s.chunks),
                    },
                )
            )
    return out


def _mentions(raw: Any) -> tuple[Mention, ...]:
    if not raw:
        return ()
    return tuple((int(a), int(b), str(label)) for a, b, label in json.loads(raw))


def from_records(docs: list[str], metas: list[dict[str, Any]]) -> list[Passage]:
    """The passages (in article order, with their sentences) that `to_records` encoded."""
    passages: dict[str, dict[str, Any]] = {}
    sentences: dict[str, list[tuple[int, Sentence]]] = {}
    for doc, m in zip(docs, metas, strict=True):
        if m["kind"] == "passage":
            passages[str(m["pid"])] = {"text": doc, **m}
        else:
            sentences.setdefault(str(m["pid"]), []).append(
                (
                    int(m["order"]),
                    Sentence(
                        int(m["start"]),
                        int(m["end"]),
                        doc,
                        _mentions(m.get("ents")),
                        _mentions(m.get("chunks")),
                    ),
                )
            )
    return [
        Passage(
            id=pid,
            paragraph=int(p["paragraph"]),
            text=p["text"],
            start=int(p["start"]),
            end=int(p["end"]),
            sentences=tuple(s for _, s in sorted(sentences.get(pid, []))),
        )
        for pid, p in sorted(passages.items(), key=lambda kv: int(kv[1]["order"]))
    ]


def paragraphs_from(passages: list[Passage]) -> tuple[str, ...]:
    """The article's paragraphs put back together from its passages (a paragraph split in
    several passages is joined with the spaces between them). The caller checks the result
    against the article's fingerprint before trusting it."""
    by_paragraph: dict[int, list[Passage]] = {}
    for p in passages:
        by_paragraph.setdefault(p.paragraph, []).append(p)
    out = []
    for number in sorted(by_paragraph):
        parts = sorted(by_paragraph[number], key=lambda p: p.start)
        text = parts[0].text
        for prev, part in zip(parts, parts[1:], strict=False):
            text += " " * max(part.start - prev.end, 0) + part.text
        out.append(text)
    return tuple(out)
