"""The `briefbot` commands a user runs (add, remove, reindex, list, ask, chat, brief, quiz,
serve): each parses nothing, takes the parsed flags and calls the engine. The parser is in
`bot/app/cli.py`; the developer commands (eval, bench, quiz --check) in `bot/dev/commands.py`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.app.engine import Briefbot
    from bot.qa.answer import Answer


class UserError(Exception):
    """Raised for anything the user can fix; printed as one line."""


def progress(message: str) -> None:
    print(f"briefbot: {message}", file=sys.stderr, flush=True)


def make_bot(args: argparse.Namespace) -> Briefbot:
    from bot.app.engine import Briefbot
    from bot.app.settings import Settings

    settings = Settings.load(args.home, args.chroma_url, getattr(args, "reader", None))
    return Briefbot(settings, progress=progress)


# ---- output ----------------------------------------------------------------------------------


def format_answer(answer: Answer) -> str:
    """Human output: the short answer (or the sentence) with its passage id, then each quote
    as a Markdown block quote, the answer phrase marked **like this**."""
    reading = f"Reading this as: {answer.read_as}\n" if answer.read_as else ""
    if answer.abstained:
        return reading + answer.answer
    ids = "".join(f"[{c.label}]" for c in answer.citations[:1])
    head = f"{answer.short_answer or answer.answer} {ids}"
    lines = [head, ""]
    for i, c in enumerate(answer.citations):
        quote = c.quote
        if i == 0 and answer.short_answer and answer.short_answer in quote:
            quote = quote.replace(answer.short_answer, f"**{answer.short_answer}**", 1)
        lines.append(f"> [{c.label}] {quote}")
    return reading + "\n".join(lines)


# ---- commands --------------------------------------------------------------------------------


def cmd_index(args: argparse.Namespace) -> int:
    bot = make_bot(args)
    report = bot.add(args.path, args.name)
    if report.unchanged:
        progress(f"{report.name}: already indexed, nothing changed")
    else:
        progress(
            f"{report.name}: {report.added} added, {report.updated} updated, "
            f"{report.removed} removed"
        )
    print(report.name)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    bot = make_bot(args)
    bot.remove(args.name)
    progress(f"{args.name}: removed (its passages, vectors and saved text)")
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    bot = make_bot(args)
    for report in bot.reindex(args.name):
        progress(f"{report.name}: rebuilt, {report.added} records embedded")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    bot = make_bot(args)
    summaries = bot.articles()
    if args.json:
        print(json.dumps([s.__dict__ for s in summaries], ensure_ascii=False))
        return 0
    for s in summaries:
        mark = "*" if s.default else " "
        print(f"{mark} {s.name}  ({s.passages} passages)  {s.title or ''}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.qa.answer import QuestionError

    bot = make_bot(args)
    articles = args.article or []
    if args.batch:
        questions = _read_batch(args.batch)
        name = bot.resolve(_one(articles, "--batch"))
        for q, history in questions:
            try:  # a line's "history": its earlier questions, asked first, in that order
                out: dict[str, Any] = bot.ask_in_turn([*history, q], name)[-1].to_dict()
            except QuestionError as e:
                out = {"question": q, "error": str(e)}
            print(json.dumps(out, ensure_ascii=False), flush=True)
        return 0
    if not args.question:
        raise UserError("give a question, or --batch FILE.jsonl")
    question = " ".join(args.question)
    backend = backend_for(args)
    if backend is not None:
        return _ask_llm(bot, question, backend, _one(articles, "--llm"), args)
    if len(articles) > 1:
        answer = bot.ask_across(question, articles)
    else:
        answer = bot.ask(question, _one(articles))
    print(json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else format_answer(answer))
    return 0


def _one(articles: list[str], what: str = "") -> str | None:
    """The single article a command works on (None: the default)."""
    if len(articles) > 1:
        raise UserError(f"{what or 'this command'} works on one article at a time")
    return articles[0] if articles else None


def _ask_llm(
    bot: Briefbot, question: str, backend: Any, article: str | None, args: argparse.Namespace
) -> int:
    """Stream the model's words to stderr, then print the verified answer."""

    def show(piece: str) -> None:
        if not args.json:
            print(piece, end="", file=sys.stderr, flush=True)

    result = bot.ask_llm(question, backend, article, show)
    if not args.json:
        print(file=sys.stderr)
        for removed in result.removed:
            progress(f"removed: {removed}")
        if result.note:
            progress(result.note)
    answer = result.answer
    print(json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else format_answer(answer))
    return 0


def _read_batch(path: str) -> list[tuple[str, list[str]]]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()  # noqa: SIM115
    except OSError as e:
        raise UserError(f"cannot read {path}: {e.strerror}") from e
    out = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            raise UserError(f"{path}:{n}: not JSON ({e.msg})") from e
        q = item.get("q", item.get("question")) if isinstance(item, dict) else None
        if not isinstance(q, str):
            raise UserError(f'{path}:{n}: expected {{"q": "..."}} or {{"question": "..."}}')
        history = item.get("history", [])
        if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
            raise UserError(f'{path}:{n}: "history" must be a list of earlier questions')
        out.append((q, history))
    return out


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.qa.answer import QuestionError
    from bot.qa.followup import Turn, turn_of

    bot = make_bot(args)
    name = bot.resolve(_one(args.article or []))
    stored = bot.stored(name)
    print(f"briefbot: {stored.article.title or name}")
    print("Ask a question about the article (empty line or Ctrl-D to quit).\n")
    turns: list[Turn] = []  # follow-ups ("Who is he?") are read in their context
    while True:
        try:
            question = input("? ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not question:
            return 0
        try:
            answer, offers = bot.chat(question, name, turns)
            turns.append(turn_of(answer))
            print(format_answer(answer))
            if offers:
                print("It does answer: " + " / ".join(offers))
            print()
        except QuestionError as e:
            print(f"({e})\n")


def cmd_brief(args: argparse.Namespace) -> int:
    bot = make_bot(args)
    backend = backend_for(args)
    if backend is not None:
        progress(f"writing the bottom line with {backend.name}")
    articles = args.article or [None]
    briefs = []
    for article in dict.fromkeys(articles):  # several: one briefing each, in order
        brief, removed, note = bot.brief(article, backend)
        for line in removed:
            progress(f"removed: {line}")
        if note:
            progress(note)
        briefs.append(brief)
    if args.json:
        data: Any = briefs[0].to_dict() if len(briefs) == 1 else [b.to_dict() for b in briefs]
        print(json.dumps(data, ensure_ascii=False))
    else:
        print("\n".join(b.to_markdown() for b in briefs), end="")
    return 0


def cmd_quiz(args: argparse.Namespace) -> int:
    from bot.quiz.model import QuizError, QuizRequest

    bot = make_bot(args)
    backend = backend_for(args)
    articles = args.article or []
    if len(articles) > 1 and backend is not None:
        raise UserError("--llm works on one article at a time")
    try:
        request = QuizRequest.of(args.n, args.types, args.difficulty, args.seed, articles)
        quiz, report = bot.quiz(request, backend, progress)
    except QuizError as e:
        raise UserError(str(e)) from e
    if quiz.note:
        progress(quiz.note)  # fewer questions than asked, and why
    if report is not None:
        for reason in report.rejected:
            progress(f"rejected: {reason}")
        if report.note:
            progress(report.note)
        progress(
            f"{report.generated} questions written by {backend.name}, "
            f"{report.kept_extractive} extractive"
        )
    if args.take:
        return _take_quiz(quiz)
    from bot.quiz.export import export_quiz

    text = export_quiz(quiz, "json" if args.json else args.format)
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as e:
            raise UserError(f"cannot write {args.out}: {e.strerror}") from e
        progress(f"wrote {len(quiz.questions)} questions to {args.out}")
    else:
        print(text, end="")
    return 0


def _take_quiz(quiz: Any) -> int:
    from bot.quiz.grading import grade
    from bot.quiz.model import LETTERS

    print(f"Quiz on {quiz.article}: {len(quiz.questions)} questions. Ctrl-D to stop.\n")
    responses: dict[str, str | int] = {}
    for n, item in enumerate(quiz.questions, start=1):
        print(f"{n}. {item.question}")
        if item.options is not None:
            for i, option in enumerate(item.options):
                print(f"   {LETTERS[i]}. {option}")
        try:
            responses[item.id] = input("your answer: ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            break
        print()
    result = grade(quiz, responses)
    print(f"Score: {result.score}/{result.total}\n")
    for n, r in enumerate(result.results, start=1):
        if not r.correct:
            given = r.given or "(no answer)"
            print(f"{n}. you said {given}; the answer is {r.expected}.")
            print(f"   {r.explanation}\n")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.app.ui import serve

    bot = make_bot(args)
    backend = backend_for(args)
    progress(f"starting the web app on http://{args.host}:{args.port} (Ctrl-C to stop)")
    serve(bot, args.host, args.port, backend)
    return 0


def backend_for(args: argparse.Namespace) -> Any:
    """The chat backend asked for with --llm / $BRIEFBOT_LLM, or None (extractive)."""
    spec = args.llm or os.environ.get("BRIEFBOT_LLM")
    if not spec:
        return None
    from bot.llm.backends import DEFAULT_TIMEOUT, LLMError, make_backend

    timeout = os.environ.get("BRIEFBOT_LLM_TIMEOUT", "")
    try:
        seconds = float(timeout) if timeout else DEFAULT_TIMEOUT
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < 86_400:
        raise UserError(f"BRIEFBOT_LLM_TIMEOUT={timeout[:40]!r}: give a number of seconds")
    try:
        return make_backend(spec, args.llm_base_url, timeout=seconds)
    except LLMError as e:
        raise UserError(str(e)) from e
