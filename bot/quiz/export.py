"""Quiz export: JSON, Markdown (answer key at the end), Moodle GIFT and Anki CSV."""

from __future__ import annotations

import csv
import io
import json
import re

from bot.quiz.model import LETTERS, Quiz, QuizItem

FORMATS = ("json", "md", "gift", "csv")


def export_quiz(quiz: Quiz, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(quiz.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return _markdown(quiz)
    if fmt == "gift":
        return _gift(quiz)
    if fmt == "csv":
        return _anki_csv(quiz)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def _cited(item: QuizItem) -> str:
    return "".join(f"[{c.label}]" for c in item.citations)


def _markdown(quiz: Quiz) -> str:
    lines = [f"# Quiz: {quiz.article} (seed {quiz.seed})", ""]
    for n, item in enumerate(quiz.questions, start=1):
        lines.append(f"{n}. {item.question}")
        if item.options is not None:
            lines += [f"   - {LETTERS[i]}. {o}" for i, o in enumerate(item.options)]
        else:
            lines.append("   - Answer: ____________")
        lines.append("")
    lines += ["## Answer key", ""]
    for n, item in enumerate(quiz.questions, start=1):
        given = (
            f"{LETTERS[item.answer]}. {item.answer_text}"
            if isinstance(item.answer, int)
            else item.answer_text
        )
        lines.append(f"{n}. **{given}** {_cited(item)}: {item.explanation}")
    return "\n".join(lines) + "\n"


_GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


def gift_escape(text: str) -> str:
    """GIFT reserves ~ = # { } : (and the backslash that escapes them)."""
    return _GIFT_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _gift(quiz: Quiz) -> str:
    blocks = [f"// briefbot quiz on {quiz.article}, seed {quiz.seed}"]
    for item in quiz.questions:
        title = f"::{gift_escape(item.id)}::"
        question = gift_escape(item.question)
        feedback = "####" + gift_escape(item.explanation)
        if item.type == "tf":
            answer = "TRUE" if item.answer_text == "True" else "FALSE"
            body = f"{{{answer}{feedback}}}"
        elif item.options is not None:
            options = " ".join(
                ("=" if i == item.answer else "~") + gift_escape(o)
                for i, o in enumerate(item.options)
            )
            body = f"{{{options} {feedback}}}"
        else:
            body = f"{{={gift_escape(item.answer_text)} {feedback}}}"
        blocks.append(f"{title} {question} {body}")
    return "\n\n".join(blocks) + "\n"


def _anki_csv(quiz: Quiz) -> str:
    """Two columns, front and back, one row per question: Anki's "Basic" note type."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for item in quiz.questions:
        front = item.question
        if item.options is not None:
            front += "\n" + "\n".join(f"{LETTERS[i]}. {o}" for i, o in enumerate(item.options))
        back = f"{item.answer_text}\n{item.explanation} {_cited(item)}"
        writer.writerow([front, back])
    return out.getvalue()
