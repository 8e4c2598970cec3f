"""`briefbot quiz --check`: every generated item run back through the checks a teacher would
make, and through the question-answering pipeline, with a pass rate per check."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.dev.quiz_defects import DefectReport, judge_quiz
from bot.qa.answer import Answer
from bot.quiz.grading import normalise
from bot.quiz.items import generate_quiz
from bot.quiz.model import BLANK, Quiz, QuizItem, QuizRequest
from index.people import people_in
from index.store import StoredArticle

CHECKS = (
    "key_supported",
    "distractors_distinct",
    "distractors_same_kind",
    "distractors_not_true",
    "no_duplicate_facts",
    "qa_cites_same_passage",
)
_NUMBER = re.compile(r"^\d[\d,.]*(?:\s+\w+)?$")


@dataclass
class CheckReport:
    passed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHECKS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHECKS, 0))
    types: set[str] = field(default_factory=set)
    paragraphs: set[int] = field(default_factory=set)
    n_paragraphs: int = 0
    items: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    defects: DefectReport = field(default_factory=DefectReport)

    def add(self, check: str, ok: bool, item: QuizItem) -> None:
        self.total[check] += 1
        self.passed[check] += ok
        if not ok and len(self.failures) < 20:
            self.failures.append(f"{check}: {item.id} {item.question[:90]}")

    def rate(self, check: str) -> float:
        return 100.0 * self.passed[check] / self.total[check] if self.total[check] else 100.0

    def format(self) -> str:
        lines = [f"{self.items} questions in {self.seconds * 1000:.0f} ms of generation"]
        for check in CHECKS:
            counts = f"{self.passed[check]}/{self.total[check]}"
            lines.append(f"  {check:24s} {self.rate(check):5.1f}%  ({counts})")
        lines.append(
            f"  types present            {len(self.types)}: {', '.join(sorted(self.types))}"
        )
        lines.append(f"  paragraphs covered       {len(self.paragraphs)} of {self.n_paragraphs}")
        lines.append(self.defects.format())
        return "\n".join(lines)


def check_quizzes(
    stored: StoredArticle,
    ask: Callable[[str], Answer],
    seeds: tuple[int, ...] = (1, 2, 3, 4, 5),
    n: int = 20,
    report: CheckReport | None = None,
) -> CheckReport:
    report = report or CheckReport()
    report.n_paragraphs += len({p.paragraph for p in stored.passages})
    for seed in seeds:
        t = time.perf_counter()
        quiz = generate_quiz(stored, QuizRequest(n=n, seed=seed))
        report.seconds += time.perf_counter() - t
        check_quiz(quiz, stored, ask, report)
        judge_quiz(quiz, stored.article.body, report.defects, asked=n, title=stored.article.title)
    return report


def check_quiz(
    quiz: Quiz, stored: StoredArticle, ask: Callable[[str], Answer], report: CheckReport
) -> None:
    body = stored.article.body
    people = people_in(body)
    person_keys = [name_key(a) for p in people for a in (p.name, *p.aliases)]
    paragraph_of = {p.id: p.paragraph for p in stored.passages}
    facts: set[str] = set()
    for item in quiz.questions:
        report.items += 1
        report.types.add(item.type)
        report.paragraphs.add(paragraph_of[item.passage])
        quote = item.citations[0].quote
        report.add("key_supported", _key_supported(item, quote, body), item)
        report.add("no_duplicate_facts", item.fact not in facts, item)
        facts.add(item.fact)
        if item.options is not None and item.type != "tf":
            opts = list(item.options)
            if item.type == "number":
                distinct = len({normalise(o) for o in opts}) == len(opts)
            else:
                distinct = all(
                    not same_name(name_key(a), name_key(b)) and normalise(a) != normalise(b)
                    for i, a in enumerate(opts)
                    for b in opts[i + 1 :]
                )
            report.add("distractors_distinct", distinct, item)
            report.add(
                "distractors_same_kind", _same_kind(opts, item.answer_text, person_keys), item
            )
            report.add("distractors_not_true", _not_true(item, quote, body), item)
        found = ask(_as_query(item))
        agrees = bool(found.citations) and found.citations[0].passage == item.passage
        report.add("qa_cites_same_passage", agrees, item)


def name_key(name: str) -> str:
    """One key for spellings of one name: "Kim Yong Hyun" and "Kim Yong-hyun" agree."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", name.replace("-", " ")).lower().split())


def same_name(a: str, b: str) -> bool:
    """Keys of one name: equal, or one part of the other ("kim", "kim yong hyun")."""
    return a == b or set(a.split()) <= set(b.split()) or set(b.split()) <= set(a.split())


def _key_supported(item: QuizItem, quote: str, body: str) -> bool:
    key = item.answer_text
    if item.type == "tf":
        statement = _first_lower(item.question.removeprefix("True or false? "))
        quote = _first_lower(quote)  # "But the keeper ..." may be shown as "The keeper ..."
        return (
            statement == quote if key == "True" else (statement not in body and statement != quote)
        )
    if item.type == "who_said":
        return any(part in quote for part in key.split() if len(part) > 2)
    return key in quote


def _first_lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _kind(option: str, person_keys: list[str]) -> str:
    if _NUMBER.match(option):
        return "number"
    if name_key(option) in person_keys:
        return "person"
    return "name"


def _same_kind(options: list[str], key: str, person_keys: list[str]) -> bool:
    kind = _kind(key, person_keys)
    if kind == "number":
        unit = re.sub(r"^[\d,.]+", "", key)
        return all(_NUMBER.match(o) and re.sub(r"^[\d,.]+", "", o) == unit for o in options)
    return all(_kind(o, person_keys) == kind for o in options)


def _not_true(item: QuizItem, quote: str, body: str) -> bool:
    """No wrong option is also right according to the article."""
    wrong = [o for i, o in enumerate(item.options or ()) if i != item.answer]
    if item.type == "who_said":
        return not any(o in quote for o in wrong)
    if item.type == "number":
        stated = {float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", body)}
        return not any(float(o.split()[0].replace(",", "")) in stated for o in wrong)
    if BLANK in item.question:
        sentence = item.question.split("“", 1)[1].rsplit("”", 1)[0]
        return not any(sentence.replace(BLANK, o) in body for o in wrong)
    return not any(o in quote for o in wrong)  # role questions: the quote names only the key


def _as_query(item: QuizItem) -> str:
    """The question as a reader would ask the app."""
    q = item.question.removeprefix("True or false? ").removeprefix("Fill in the blank: ")
    if "“" in q and BLANK in q:
        q = q.split("“", 1)[1].rsplit("”", 1)[0].replace(BLANK, "what")
    return q[:900]


def defect_survey(
    stored: list[StoredArticle],
    n: int = 10,
    seeds: tuple[int, ...] = (1, 2, 3, 4, 5),
    difficulty: str = "mixed",
) -> DefectReport:
    """The defect classes over quizzes of `n` at each seed on each article (no QA round trip)."""
    report = DefectReport()
    for article in stored:
        for seed in seeds:
            quiz = generate_quiz(article, QuizRequest(n=n, seed=seed, difficulty=difficulty))
            judge_quiz(quiz, article.article.body, report, asked=n, title=article.article.title)
    return report


def main(argv: list[str] | None = None) -> int:
    """python -m bot.dev.quiz_check --home DIR [--n 10] [--difficulty hard] ARTICLE...:
    the defect classes per article and over all of them."""
    import argparse
    from pathlib import Path

    from bot.app.engine import Briefbot
    from bot.app.settings import Settings

    p = argparse.ArgumentParser(prog="python -m bot.dev.quiz_check")
    p.add_argument("articles", nargs="+")
    p.add_argument("--home", required=True)
    p.add_argument("--n", type=int, default=10)
    p.add_argument("--difficulty", default="mixed")
    p.add_argument("--examples", action="store_true")
    args = p.parse_args(argv)
    bot = Briefbot(Settings(home=Path(args.home)))
    total = DefectReport()
    for name in args.articles:
        one = defect_survey([bot.stored(name)], args.n, difficulty=args.difficulty)
        print(f"{name}: {one.rate():.1f}% ({one.defective}/{one.items})", flush=True)
        if args.examples:
            print("\n".join(f"    {e}" for e in one.examples))
        for f in ("items", "defective", "tf_true", "tf_total", "asked", "delivered"):
            setattr(total, f, getattr(total, f) + getattr(one, f))
        total.counts.update(one.counts)
    print(f"all {len(args.articles)} articles:\n{total.format()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
