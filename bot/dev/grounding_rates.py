"""How often the grounding check (bot/qa/grounding.py) declines, by kind of question: on SQuAD
files (answerable and unanswerable questions) and on the news questions. No model is needed:
an article's vocabulary is the terms of its paragraphs, as the index builds it, and a question
term one typo from a term of it is corrected first (`closest_term`, the index's first try).

    python -m bot.dev.grounding_rates --squad ../shared/squad/dev-v2.0.json \
        --news tests/data/news_qa.jsonl [--examples 5]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path

from bot.qa.grounding import unknown_names
from bot.qa.lexical import closest_term, terms


def rates(items: Iterable[tuple[str, str, bool]]) -> dict[bool, list[tuple[str, tuple[str, ...]]]]:
    """(article text, question, answerable) -> per answerable flag, (question, missing) per
    question (missing empty when the check lets it through)."""
    out: dict[bool, list[tuple[str, tuple[str, ...]]]] = {True: [], False: []}
    vocabularies: dict[int, set[str]] = {}
    for text, question, answerable in items:
        vocab = vocabularies.setdefault(hash(text), set(terms(text)))
        respelled = {
            t: near for t in terms(question) if t not in vocab and (near := closest_term(t, vocab))
        }
        out[answerable].append((question, unknown_names(question, vocab, respelled)))
    return out


def squad_items(path: Path) -> Iterable[tuple[str, str, bool]]:
    for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
        text = "\n\n".join(p["context"] for p in article["paragraphs"])
        for p in article["paragraphs"]:
            for qa in p["qas"]:
                answerable = bool(qa.get("answers")) and not qa.get("is_impossible", False)
                yield text, qa["question"], answerable


def news_items(path: Path, folder: Path) -> Iterable[tuple[str, str, bool]]:
    from index.sources import read_article_file

    texts: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row["article"] not in texts:
                article = read_article_file(folder / row["article"])
                texts[row["article"]] = "\n\n".join(article.paragraphs)
            yield texts[row["article"]], row["question"], bool(row.get("answerable", True))


def report(name: str, found: dict[bool, list[tuple[str, tuple[str, ...]]]], examples: int) -> str:
    lines = []
    for answerable in (True, False):
        rows = found[answerable]
        fired = [(q, m) for q, m in rows if m]
        kind = "answerable" if answerable else "unanswerable"
        share = 100 * len(fired) / len(rows) if rows else 0.0
        lines.append(f"{name}: {kind}: declined {len(fired)} of {len(rows)} ({share:.1f}%)")
        lines += [f"    {q}  (never mentioned: {', '.join(m)})" for q, m in fired[:examples]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--squad", type=Path, action="append", default=[])
    ap.add_argument("--news", type=Path)
    ap.add_argument("--news-dir", type=Path, default=Path("../shared/news"))
    ap.add_argument("--examples", type=int, default=0)
    args = ap.parse_args(argv)
    for path in args.squad:
        print(report(path.name, rates(squad_items(path)), args.examples))
    if args.news:
        print(report(args.news.name, rates(news_items(args.news, args.news_dir)), args.examples))


if __name__ == "__main__":
    main()
