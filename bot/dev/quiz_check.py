"""`briefbot quiz --check`: every generated item run back through the checks a teacher would
make, and through the question-answering pipeline, with a pass rate per check."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.brief.facts import article_sentences, find_people, name_key
from bot.qa.answer import Answer
from bot.quiz.distractors import same_name
from bot.quiz.grading import normalise
from bot.quiz.items import generate_quiz
from bot.quiz.model import BLANK, Quiz, QuizItem, QuizRequest
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
    return report


def check_quiz(
    quiz: Quiz, stored: StoredArticle, ask: Callable[[str], Answer], report: CheckReport
) -> None:
    body = stored.article.body
    people = find_people(article_sentences(stored))
    person_keys = [name_key(a) for p in people for a in p.aliases | {p.name}]
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


def _key_supported(item: QuizItem, quote: str, body: str) -> bool:
    key = item.answer_text
    if item.type == "tf":
        statement = item.question.removeprefix("True or false? ")
        return (
            statement == quote if key == "True" else (statement not in body and statement != quote)
        )
    if item.type == "who_said":
        return any(part in quote for part in key.split() if len(part) > 2)
    return key in quote


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
