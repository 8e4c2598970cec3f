"""Quality of the chat on the two hand-written conversation sets (tests/data/NEWS_SETS.md):
follow-ups (`news_followups.jsonl`: a question that only makes sense after the ones before it)
and kinds of message (`news_chat_kinds.jsonl`: overview, quiz, who, question, chitchat).

    python -m bot.dev.chat_sets [--split report|tune|all] [--news-dir ../shared/news]

Each follow-up is asked three ways through the real engine, in a store of its own: after its
history (what the chat does), alone (no history: what the chat did before follow-ups were
read), and as the set's stand-alone rewrite (the ceiling: what retrieval and the reader can do
with the question spelt out). A reply is right when it contains a gold answer (SQuAD's
normalisation), or, for an unanswerable follow-up, when it declines."""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from bot.dev.eval import _contains

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def _rows(path: Path, split: str) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if split == "all" or r["split"] == split]


def _right(answer: Any, row: dict[str, Any]) -> bool:
    if not row.get("answerable", True):
        return bool(answer.abstained)
    said = f"{answer.answer} {answer.short_answer or ''}"
    return not answer.abstained and any(_contains(said, g) for g in row["answers"])


def followups(split: str, news: Path, home: Path) -> dict[str, Any]:
    from bot.app.engine import Briefbot
    from bot.app.settings import Settings
    from bot.qa.followup import turn_of
    from index.sources import read_article_file
    from index.store import slugify

    bot = Briefbot(Settings(home=home))
    rows = _rows(DATA / "news_followups.jsonl", split)
    counts: Counter[str] = Counter()
    misses = []
    for row in rows:
        name = "news-" + slugify(Path(row["article"]).stem)
        if name not in bot.store.names():
            bot.index_article(read_article_file(news / row["article"]), name)
        history = [turn_of(a) for a in bot.ask_in_turn(row["history"], name)]
        in_context = bot.ask(row["question"], name, history)
        counts["in context"] += _right(in_context, row)
        counts["alone"] += _right(bot.ask(row["question"], name), row)
        counts["stand-alone rewrite"] += _right(bot.ask(row["standalone"], name), row)
        counts["rewritten"] += in_context.read_as is not None
        if not _right(in_context, row):
            misses.append(
                {
                    "history": row["history"],
                    "question": row["question"],
                    "read_as": in_context.read_as,
                    "answer": in_context.answer,
                    "gold": row["answers"],
                }
            )
    return {"questions": len(rows), **counts, "misses": misses}


def chat_kinds(split: str) -> dict[str, Any]:
    from bot.qa.intent import message_kind

    rows = _rows(DATA / "news_chat_kinds.jsonl", split)
    by_kind: dict[str, list[int]] = {}
    tricky = [0, 0]
    misses = []
    for row in rows:
        got = message_kind(row["message"])
        ok = got == row["kind"]
        by_kind.setdefault(row["kind"], [0, 0])[0] += ok
        by_kind[row["kind"]][1] += 1
        if row.get("tricky"):
            tricky[0] += ok
            tricky[1] += 1
        if not ok:
            misses.append({"message": row["message"], "kind": row["kind"], "got": got})
    right = sum(v[0] for v in by_kind.values())
    return {"messages": len(rows), "right": right, "by_kind": by_kind, "tricky": tricky,
            "misses": misses}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.dev.chat_sets", description=__doc__)
    parser.add_argument("--split", choices=["report", "tune", "all"], default="report")
    parser.add_argument("--news-dir", default=str(ROOT.parent / "shared" / "news"))
    args = parser.parse_args(argv)
    kinds = chat_kinds(args.split)
    print(f"chat kinds ({args.split}): {kinds['right']}/{kinds['messages']} right")
    for kind, (ok, n) in sorted(kinds["by_kind"].items()):
        print(f"  {kind}: {ok}/{n}")
    print(f"  tricky: {kinds['tricky'][0]}/{kinds['tricky'][1]}")
    for miss in kinds["misses"]:
        print(f"  miss: {json.dumps(miss, ensure_ascii=False)}")
    with tempfile.TemporaryDirectory(prefix="briefbot-chat-sets-") as home:
        f = followups(args.split, Path(args.news_dir), Path(home))
    n = f["questions"]
    print(f"follow-ups ({args.split}): {n} questions")
    for key in ("in context", "alone", "stand-alone rewrite", "rewritten"):
        print(f"  {key}: {f.get(key, 0)}/{n}")
    for miss in f["misses"]:
        print(f"  miss: {json.dumps(miss, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
