"""`briefbot eval squad FILE.json`: cited question answering measured on SQuAD 2.0.

Each SQuAD article is indexed as its own document (one passage per SQuAD paragraph) and
every question is asked against that article alone.
"""

from __future__ import annotations

import json
import re
import string
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.app.engine import Briefbot
from bot.qa.answer import DECLINE, Answer, check_question
from bot.qa.citations import verified
from bot.qa.retrieve import Retrieval
from index.ingest import Article
from index.store import slugify


@dataclass
class EvalRecord:
    article: str
    question: str
    answerable: bool
    golds: list[str]
    gold_paragraph: int | None
    answer: Answer
    cited_paragraph: int | None
    found: Retrieval | None = None  # kept only when asked, for fitting (`bot.dev.fit`)


@dataclass
class EvalReport:
    records: list[EvalRecord] = field(default_factory=list)
    seconds: float = 0.0

    def metrics(self) -> dict[str, float]:
        ans = [r for r in self.records if r.answerable]
        una = [r for r in self.records if not r.answerable]
        contains = sum(
            1
            for r in ans
            if not r.answer.abstained and any(_contains(r.answer.answer, g) for g in r.golds)
        )
        first = sum(1 for r in ans if r.cited_paragraph == r.gold_paragraph)
        em = sum(max(exact_match(r.answer.short_answer or "", g) for g in r.golds) for r in ans)
        f1 = sum(max(f1_score(r.answer.short_answer or "", g) for g in r.golds) for r in ans)
        return {
            "questions": len(self.records),
            "answerable": len(ans),
            "unanswerable": len(una),
            "contains_gold": _share(contains, len(ans)),
            "first_citation_gold": _share(first, len(ans)),
            "short_em": _share(em, len(ans)),
            "short_f1": _share(f1, len(ans)),
            "answerable_declined": _share(sum(r.answer.abstained for r in ans), len(ans)),
            "unanswerable_declined": _share(sum(r.answer.abstained for r in una), len(una)),
            "ms_per_question": 1000 * self.seconds / max(len(self.records), 1),
        }

    def write_misses(self, path: Path) -> int:
        """Every wrong reply as one JSON line: an answerable question whose reply holds no gold
        answer (or was declined), and an unanswerable one that was answered."""
        rows = []
        for r in self.records:
            a = r.answer
            right = (
                not a.abstained and any(_contains(a.answer, g) for g in r.golds)
                if r.answerable
                else a.abstained
            )
            if not right:
                rows.append(
                    {
                        "article": r.article,
                        "question": r.question,
                        "golds": r.golds,
                        "declined": a.abstained,
                        "short_answer": a.short_answer,
                        "answer": a.answer,
                        "gold_paragraph": r.gold_paragraph,
                        "cited_paragraph": r.cited_paragraph,
                    }
                )
        with path.open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(row) + "\n" for row in rows)
        return len(rows)

    def all_quotes_verbatim(self) -> bool:
        for r in self.records:
            for c in r.answer.citations:
                verified(c)
        return True


MAX_WRONGLY_DECLINED = 6.0  # % of answerable questions, on the articles that choose it


def reader_threshold(records: list[EvalRecord]) -> float:
    """The reader's decline threshold for these records: the one that declines the most
    unanswerable questions while declining at most MAX_WRONGLY_DECLINED% of answerable ones."""
    answerable = [r for r in records if r.answerable]
    margins = sorted(
        r.answer.features["reader_margin"]
        for r in answerable
        if "reader_margin" in r.answer.features
    )
    if not margins:
        return 0.0
    # answerable ones above it; those declined before reading (bot.qa.grounding) count too
    allowed = int(len(answerable) * MAX_WRONGLY_DECLINED / 100) - (len(answerable) - len(margins))
    if allowed < 0:
        return margins[-1]
    return margins[len(margins) - 1 - allowed] if allowed < len(margins) else margins[0]


def reader_out_of_fold(report: EvalReport) -> tuple[EvalReport, list[float]]:
    """Each article's declines decided by a threshold chosen on the other half of the
    articles (two folds, alternate articles), so no figure is measured on what chose it."""
    articles = list(dict.fromkeys(r.article for r in report.records))
    folds = [set(articles[0::2]), set(articles[1::2])]
    out = EvalReport(seconds=report.seconds)
    thresholds = []
    for fold in folds:
        th = reader_threshold([r for r in report.records if r.article not in fold])
        thresholds.append(th)
        for r in report.records:
            if r.article in fold:
                out.records.append(_decided(r, th))
    return out, thresholds


def _decided(r: EvalRecord, threshold: float) -> EvalRecord:
    from dataclasses import replace

    if r.answer.abstained or r.answer.features["reader_margin"] <= threshold:
        return r
    declined = Answer(r.question, DECLINE, None, True, (), 0.0, r.answer.features)
    return replace(r, answer=declined, cited_paragraph=None)


def _share(n: float, d: int) -> float:
    return 100.0 * n / d if d else 0.0


def load_squad(path: str | Path) -> list[dict[str, Any]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    articles = data.get("data") if isinstance(data, dict) else None
    if not isinstance(articles, list):
        raise ValueError(f"{path} is not a SQuAD file (no 'data' list)")
    return articles


def run_squad(
    bot: Briefbot,
    articles: list[dict[str, Any]],
    progress: Callable[[str], None] | None = None,
    limit: int | None = None,
    keep_found: bool = False,
) -> EvalReport:
    say = progress or (lambda _m: None)
    report = EvalReport()
    for item in articles:
        title = str(item.get("title", "article")).replace("_", " ")
        name = "squad-" + slugify(title, max_words=8)
        paragraphs = [p["context"] for p in item["paragraphs"]]
        bot.index_article(Article.from_paragraphs(title, paragraphs), name)
        questions = list(_questions(item))[:limit]
        say(f"{name}: {len(paragraphs)} paragraphs, {len(questions)} questions")
        started = time.perf_counter()
        search = bot.search(name)
        stored = search.index.stored
        paragraph_of = {p.id: p.paragraph for p in stored.passages}
        for question, golds, gold_paragraph in questions:
            q = check_question(question)
            found = search.search(q)
            answer = bot.answer(q, found, decline=False)  # the reader's decline: see folds
            cited = paragraph_of[answer.citations[0].passage] if answer.citations else None
            report.records.append(
                EvalRecord(
                    name,
                    question,
                    bool(golds),
                    golds,
                    gold_paragraph,
                    answer,
                    cited,
                    found if keep_found else None,
                )
            )
        report.seconds += time.perf_counter() - started
    return report


def load_news(path: str | Path, split: str | None) -> list[dict[str, Any]]:
    """News questions, one JSON object a line: article (a file name), question, answers
    (spans copied from the article), answerable, split."""
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            row["article"], row["question"], row["answers"]  # noqa: B018
        except (ValueError, KeyError, TypeError) as e:
            raise ValueError(f"{path}:{n}: not a news question ({e})") from e
        if split is None or row.get("split") == split:
            rows.append(row)
    return rows


def run_news(
    bot: Briefbot,
    questions: list[dict[str, Any]],
    folder: Path,
    progress: Callable[[str], None] | None = None,
) -> EvalReport:
    """Each article indexed once, its questions asked against it alone; the gold paragraph is
    the first one holding a gold answer."""
    from index.sources import read_article_file

    say = progress or (lambda _m: None)
    report = EvalReport()
    for article_file in dict.fromkeys(q["article"] for q in questions):
        name = "news-" + slugify(Path(article_file).stem)
        bot.index_article(read_article_file(folder / article_file), name)
        asked = [q for q in questions if q["article"] == article_file]
        say(f"{name}: {len(asked)} questions")
        search = bot.search(name)
        stored = search.index.stored
        started = time.perf_counter()
        for row in asked:
            golds = list(row["answers"]) if row.get("answerable", True) else []
            gold_paragraph = next(
                (p.paragraph for p in stored.passages if any(g in p.text for g in golds)), None
            )
            q = check_question(row["question"])
            answer = bot.answer(q, search.search(q))
            cited = (
                stored.passage(answer.citations[0].passage).paragraph if answer.citations else None
            )
            report.records.append(
                EvalRecord(name, q, bool(golds), golds, gold_paragraph, answer, cited)
            )
        report.seconds += time.perf_counter() - started
    return report


def _questions(item: dict[str, Any]) -> Iterator[tuple[str, list[str], int | None]]:
    for number, paragraph in enumerate(item["paragraphs"], start=1):
        for qa in paragraph["qas"]:
            golds = [a["text"] for a in qa.get("answers", [])]
            impossible = qa.get("is_impossible", False) or not golds
            yield qa["question"], ([] if impossible else golds), (None if impossible else number)


# ---- SQuAD's official normalisation ----------------------------------------------------------


def normalize_answer(s: str) -> str:
    s = s.lower()
    s = "".join(ch for ch in s if ch not in set(string.punctuation))
    s = re.sub(r"\b(a|an|the)\b", " ", s)
    return " ".join(s.split())


def exact_match(prediction: str, gold: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(gold))


def f1_score(prediction: str, gold: str) -> float:
    p, g = normalize_answer(prediction).split(), normalize_answer(gold).split()
    common = Counter(p) & Counter(g)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(p), same / len(g)
    return 2 * precision * recall / (precision + recall)


def _contains(answer: str, gold: str) -> bool:
    g = normalize_answer(gold)
    return bool(g) and f" {g} " in f" {normalize_answer(answer)} "


def format_metrics(m: dict[str, float]) -> str:
    return "\n".join(
        [
            f"questions: {m['questions']:.0f} ({m['answerable']:.0f} answerable, "
            f"{m['unanswerable']:.0f} unanswerable)",
            "answerable:",
            f"  answer contains a gold answer   {m['contains_gold']:5.1f}%",
            f"  first citation is gold paragraph {m['first_citation_gold']:5.1f}%",
            f"  short answer exact match        {m['short_em']:5.1f}",
            f"  short answer F1                 {m['short_f1']:5.1f}",
            f"  wrongly declined                {m['answerable_declined']:5.1f}%",
            "unanswerable:",
            f"  declined                        {m['unanswerable_declined']:5.1f}%",
            f"time per question: {m['ms_per_question']:.1f} ms",
        ]
    )
