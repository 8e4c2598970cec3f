"""`briefbot` command line. Each subcommand parses its flags and calls one `bot/` function.

Errors a user can act on (missing file, unknown article, empty question, ...) exit with
status 2 and one clear line on stderr; nothing is written to the store before input is valid.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.app.engine import Briefbot
    from bot.qa.answer import Answer

EXIT_USER_ERROR = 2


class UserError(Exception):
    """Raised for anything the user can fix; printed as one line."""


def _quiet_libraries() -> None:
    # Progress bars and INFO chatter from the model stack would bury the answer.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def _progress(message: str) -> None:
    print(f"briefbot: {message}", file=sys.stderr, flush=True)


def make_bot(args: argparse.Namespace) -> Briefbot:
    from bot.app.engine import Briefbot
    from bot.app.settings import Settings

    return Briefbot(Settings.load(args.home, args.chroma_url), progress=_progress)


# ---- output ----------------------------------------------------------------------------------


def format_answer(answer: Answer) -> str:
    """Human output: the short answer (or the sentence) with its passage id, then each quote
    as a Markdown block quote, the answer phrase marked **like this**."""
    if answer.abstained:
        return answer.answer
    ids = "".join(f"[{c.label}]" for c in answer.citations[:1])
    head = f"{answer.short_answer or answer.answer} {ids}"
    lines = [head, ""]
    for i, c in enumerate(answer.citations):
        quote = c.quote
        if i == 0 and answer.short_answer and answer.short_answer in quote:
            quote = quote.replace(answer.short_answer, f"**{answer.short_answer}**", 1)
        lines.append(f"> [{c.label}] {quote}")
    return "\n".join(lines)


# ---- commands --------------------------------------------------------------------------------


def cmd_index(args: argparse.Namespace) -> int:
    bot = make_bot(args)
    report = bot.add(args.path, args.name)
    if report.unchanged:
        _progress(f"{report.name}: already indexed, nothing changed")
    else:
        _progress(
            f"{report.name}: {report.added} added, {report.updated} updated, "
            f"{report.removed} removed"
        )
    print(report.name)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    bot = make_bot(args)
    bot.remove(args.name)
    _progress(f"{args.name}: removed (its passages, vectors and saved text)")
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    bot = make_bot(args)
    for report in bot.reindex(args.name):
        _progress(f"{report.name}: rebuilt, {report.added} records embedded")
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
        for q in questions:
            try:
                out: dict[str, Any] = bot.ask(q, name).to_dict()
            except QuestionError as e:
                out = {"question": q, "error": str(e)}
            print(json.dumps(out, ensure_ascii=False), flush=True)
        return 0
    if not args.question:
        raise UserError("give a question, or --batch FILE.jsonl")
    question = " ".join(args.question)
    backend = _backend(args)
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
            _progress(f"removed: {removed}")
        if result.note:
            _progress(result.note)
    answer = result.answer
    print(json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else format_answer(answer))
    return 0


def _read_batch(path: str) -> list[str]:
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
        out.append(q)
    return out


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.qa.answer import QuestionError

    bot = make_bot(args)
    name = bot.resolve(_one(args.article or []))
    stored = bot.stored(name)
    print(f"briefbot: {stored.article.title or name}")
    print("Ask a question about the article (empty line or Ctrl-D to quit).\n")
    while True:
        try:
            question = input("? ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not question:
            return 0
        try:
            print(format_answer(bot.ask(question, name)) + "\n")
        except QuestionError as e:
            print(f"({e})\n")


def cmd_brief(args: argparse.Namespace) -> int:
    bot = make_bot(args)
    backend = _backend(args)
    if backend is not None:
        _progress(f"writing the bottom line with {backend.name}")
    articles = args.article or [None]
    briefs = []
    for article in dict.fromkeys(articles):  # several: one briefing each, in order
        brief, removed, note = bot.brief(article, backend)
        for line in removed:
            _progress(f"removed: {line}")
        if note:
            _progress(note)
        briefs.append(brief)
    if args.json:
        data: Any = briefs[0].to_dict() if len(briefs) == 1 else [b.to_dict() for b in briefs]
        print(json.dumps(data, ensure_ascii=False))
    else:
        print("\n".join(b.to_markdown() for b in briefs), end="")
    return 0


def cmd_quiz(args: argparse.Namespace) -> int:
    from bot.quiz.items import QuizError, parse_types

    bot = make_bot(args)
    if args.check:
        return _quiz_check(bot, args)
    backend = _backend(args)
    articles = args.article or []
    try:
        if len(articles) > 1:
            if backend is not None:
                raise UserError("--llm works on one article at a time")
            quiz = bot.quiz_across(
                articles, args.n, parse_types(args.types), args.difficulty, args.seed
            )
            report = None
        else:
            quiz, report = bot.quiz(
                _one(articles), args.n, parse_types(args.types), args.difficulty, args.seed,
                backend, _progress,
            )  # fmt: skip
    except QuizError as e:
        raise UserError(str(e)) from e
    if report is not None:
        for reason in report.rejected:
            _progress(f"rejected: {reason}")
        if report.note:
            _progress(report.note)
        _progress(
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
        _progress(f"wrote {len(quiz.questions)} questions to {args.out}")
    else:
        print(text, end="")
    return 0


def _take_quiz(quiz: Any) -> int:
    from bot.quiz.items import LETTERS, grade

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


def _quiz_check(bot: Briefbot, args: argparse.Namespace) -> int:
    from bot.dev.quiz_check import CheckReport, check_quizzes

    names = [] if args.squad else [bot.resolve(a) for a in args.article or [None]]
    if args.squad:
        from bot.dev.eval import load_squad
        from index.ingest import Article
        from index.store import slugify

        names = []
        for item in load_squad(args.squad)[: args.articles]:
            title = str(item.get("title", "article")).replace("_", " ")
            name = "squad-" + slugify(title, max_words=8)
            paragraphs = [p["context"] for p in item["paragraphs"]]
            bot.index_article(Article.from_paragraphs(title, paragraphs), name)
            names.append(name)
    for name in names:
        ask = functools.partial(bot.ask, article=name)
        report = check_quizzes(bot.stored(name), ask, n=args.n, report=CheckReport())
        print(f"{name}:\n{report.format()}\n")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.app.ui import serve

    bot = make_bot(args)
    backend = _backend(args)
    _progress(f"starting the web app on http://{args.host}:{args.port} (Ctrl-C to stop)")
    serve(bot, args.host, args.port, backend)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.app.engine import Briefbot
    from bot.app.settings import Settings
    from bot.dev.eval import format_metrics, load_squad, run_squad

    if not Path(args.file).is_file():
        raise UserError(f"{args.file}: no such file")
    try:
        articles = load_squad(args.file)
    except ValueError as e:
        raise UserError(str(e)) from e
    if args.articles:
        articles = articles[: args.articles]
    # A store of its own, so evaluation never touches the user's articles.
    home = Settings.load(args.home).home / "eval"
    bot = Briefbot(Settings(home=home), progress=_progress)
    report = run_squad(bot, articles, _progress, limit=args.limit, keep_found=args.fit)
    report.all_quotes_verbatim()
    metrics = report.metrics()
    print(json.dumps(metrics) if args.json else format_metrics(metrics))
    if args.fit:
        from bot.dev.fit import decline_held_out, fit_decline, fit_span

        print("decline model fitted on this run:", json.dumps(fit_decline(report)))
        print("decline model, fitted on half the articles:", json.dumps(decline_held_out(report)))
        print("span model fitted on this run:", json.dumps(fit_span(report)))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    if args.scale:
        return _bench_scale(args)
    from bot.dev.bench import format_bench, run_bench

    results = run_bench(make_bot(args), rounds=args.rounds)
    print(json.dumps(results) if args.json else format_bench(results))
    return 0


def _bench_scale(args: argparse.Namespace) -> int:
    from bot.dev.bench_scale import format_scale, run_scale, running_chroma, squad_articles
    from index.embed import MiniLMEmbedder

    try:
        sizes = tuple(sorted({1, *(int(x) for x in args.sizes.split(",") if x.strip())}))
    except ValueError as e:
        raise UserError(f"--sizes {args.sizes!r}: give store sizes like 1,50,200") from e
    try:
        articles = squad_articles(args.scale, max(sizes))
    except (OSError, ValueError, KeyError) as e:
        raise UserError(f"cannot read {args.scale}: {e}") from e
    if len(articles) < max(sizes):
        raise UserError(f"{args.scale} gives only {len(articles)} articles of three paragraphs")
    embedder = MiniLMEmbedder()
    rows = run_scale(embedder, articles, sizes, None, _progress)
    with running_chroma(_progress) as url:
        rows += run_scale(embedder, articles, sizes, url, _progress)
    print(json.dumps(rows) if args.json else format_scale(rows))
    return 0


# ---- parser ----------------------------------------------------------------------------------


def _llm_options(p: argparse.ArgumentParser, what: str = "the answer") -> None:
    p.add_argument(
        "--llm",
        metavar="SPEC",
        help=f"write {what} with openai:MODEL, ollama:MODEL or llamacpp:PATH.gguf "
        "(or $BRIEFBOT_LLM); every citation is still verified",
    )
    p.add_argument("--llm-base-url", help="OpenAI-compatible server URL (or $OPENAI_BASE_URL)")


def _backend(args: argparse.Namespace) -> Any:
    """The chat backend asked for with --llm / $BRIEFBOT_LLM, or None (extractive)."""
    spec = args.llm or os.environ.get("BRIEFBOT_LLM")
    if not spec:
        return None
    from bot.llm.backends import LLMError, make_backend

    try:
        return make_backend(spec, args.llm_base_url)
    except LLMError as e:
        raise UserError(str(e)) from e


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefbot",
        description="Ask cited questions about a news article, offline.",
    )
    parser.add_argument(
        "--home", help="data directory (default: $BRIEFBOT_HOME or the user data dir)"
    )
    parser.add_argument(
        "--chroma-url",
        help="use a Chroma server, e.g. http://127.0.0.1:8000 (default: $BRIEFBOT_CHROMA_URL, "
        "else the embedded store in the data directory)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help: str
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--home", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        p.add_argument("--chroma-url", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        p.set_defaults(handler=handler)
        return p

    for command in ("add", "index"):
        p = add(
            command,
            cmd_index,
            "add an article: a .txt, .md or .html file, or a URL; prints its name",
        )
        p.add_argument("path", metavar="FILE|URL")
        p.add_argument("--name", help="article name (default: from the title)")

    p = add("remove", cmd_remove, "remove an article: its passages, vectors and saved text")
    p.add_argument("name")

    p = add("reindex", cmd_reindex, "rebuild the vectors of one article (default: all)")
    p.add_argument("name", nargs="?")

    p = add("list", cmd_list, "list the indexed articles (* marks the default)")
    p.add_argument("--json", action="store_true")

    p = add("ask", cmd_ask, "ask a question; prints a short cited answer")
    p.add_argument("question", nargs="*")
    p.add_argument(
        "--article",
        action="append",
        help="article name (default: the packaged AP story); repeat to use several",
    )
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("--batch", metavar="FILE.jsonl", help='one {"q": ...} per line; JSON out')
    _llm_options(p)

    p = add("chat", cmd_chat, "ask questions interactively in the terminal")
    p.add_argument("--article", action="append", help="article name (one)")

    p = add("brief", cmd_brief, "a cited briefing of the article (Markdown, or --json)")
    p.add_argument(
        "--article",
        action="append",
        help="article name (default: the packaged AP story); repeat to use several",
    )
    p.add_argument("--json", action="store_true", help="one key per section")
    p.add_argument("--format", choices=["md"], default="md", help="text format (Markdown)")
    _llm_options(p, "the bottom line")

    p = add("quiz", cmd_quiz, "make a cited quiz; export it, take it, or check it")
    p.add_argument(
        "--article",
        action="append",
        help="article name (default: the packaged AP story); repeat to use several",
    )
    p.add_argument("--n", type=int, default=10, help="number of questions (default 10)")
    p.add_argument("--seed", type=int, default=1, help="same seed, same quiz (default 1)")
    p.add_argument("--types", help="comma-separated: mcq,tf,who_said,number,fill (default: all)")
    p.add_argument("--difficulty", choices=["easy", "hard", "mixed"], default="mixed")
    p.add_argument("--json", action="store_true", help="print the quiz as JSON")
    p.add_argument("--format", choices=["json", "md", "gift", "csv"], default="md")
    p.add_argument("--out", metavar="FILE", help="write the export to FILE")
    p.add_argument("--take", action="store_true", help="take the quiz in the terminal")
    p.add_argument("--check", action="store_true", help="quality checks over seeds 1-5")
    p.add_argument("--squad", metavar="FILE", help="with --check: SQuAD articles instead")
    p.add_argument("--articles", type=int, default=5, help="with --squad: how many")
    _llm_options(p, "the questions")

    p = add("serve", cmd_serve, "start the web app (chat, quiz, briefing, sources)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860)
    _llm_options(p, "answers, quiz questions and the bottom line")

    p = add("eval", cmd_eval, "measure cited answering on a SQuAD 2.0 file")
    p.add_argument("dataset", choices=["squad"])
    p.add_argument("file")
    p.add_argument("--articles", type=int, help="only the first N articles")
    p.add_argument("--limit", type=int, help="only the first N questions of each article")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--fit",
        action="store_true",
        help="also fit the decline and short-answer models on this run (held-out check included)",
    )

    p = add("bench", cmd_bench, "measure speed on the default article")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--scale",
        metavar="SQUAD.json",
        help="instead: many articles (3 SQuAD paragraphs each), embedded store and Chroma server",
    )
    p.add_argument(
        "--sizes", default="1,50,200", help="with --scale: store sizes (default 1,50,200)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _quiet_libraries()
    args = build_parser().parse_args(argv)
    for option in ("home", "chroma_url"):
        if getattr(args, option, None) is None:
            setattr(args, option, None)
    from bot.qa.answer import QuestionError
    from bot.qa.citations import CitationError
    from index.fetch import FetchError
    from index.ingest import IngestError
    from index.store import StoreError

    try:
        return int(args.handler(args))
    except (UserError, QuestionError, IngestError, StoreError, CitationError, FetchError) as e:
        print(f"briefbot: error: {e}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # anything unexpected: one readable line, the traceback on request
        if os.environ.get("BRIEFBOT_DEBUG"):
            raise
        print(
            f"briefbot: unexpected error: {type(e).__name__}: {e} (set BRIEFBOT_DEBUG=1 to see "
            "the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
