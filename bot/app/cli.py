"""`briefbot` command line: the parser and the error policy. Each subcommand's handler is in
`bot/app/commands.py` (or, for the developer commands, `bot/dev/commands.py`).

Errors a user can act on (missing file, unknown article, empty question, ...) exit with
status 2 and one clear line on stderr; nothing is written to the store before input is valid.
An internal invariant breaking (`CitationError`: a quote that is not verbatim) is a bug: status
70 and one line asking for a bug report.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from bot.app import commands
from bot.app.settings import READERS

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE: an internal invariant broke (a bug), not the input


def _quiet_libraries() -> None:
    # Progress bars and INFO chatter from the model stack would bury the answer.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def _llm_options(p: argparse.ArgumentParser, what: str = "the answer") -> None:
    p.add_argument(
        "--llm",
        metavar="SPEC",
        help=f"write {what} with openai:MODEL, ollama:MODEL or llamacpp:PATH.gguf "
        "(or $BRIEFBOT_LLM); every citation is still verified; $BRIEFBOT_LLM_TIMEOUT: the "
        "longest wait for the server in seconds (default 60; a whole reply gets 5x that)",
    )
    p.add_argument("--llm-base-url", help="OpenAI-compatible server URL (or $OPENAI_BASE_URL)")


Handler = Callable[[argparse.Namespace], int]
Add = Callable[[str, Handler, str], argparse.ArgumentParser]
ARTICLES_HELP = "article name (default: the packaged AP story); repeat to use several"


def _dev(name: str) -> Handler:
    """A developer command, imported only when it runs (the runtime never loads bot.dev)."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module("bot.dev.commands"), name)(args))

    return run


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
    parser.add_argument(
        "--reader",
        choices=READERS,
        help="who reads the article: minilm, the trained reading model (default), or none, "
        "the older hand-fitted models (default: $BRIEFBOT_READER, else minilm)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--home", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        p.add_argument("--chroma-url", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        p.add_argument(
            "--reader", choices=READERS, default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
        p.set_defaults(handler=handler)
        return p

    _library_commands(add)
    _question_commands(add)
    _quiz_command(add)
    _dev_commands(add)
    return parser


def _library_commands(add: Add) -> None:
    for command in ("add", "index"):
        p = add(
            command,
            commands.cmd_index,
            "add an article: a .txt, .md or .html file, or a URL; prints its name",
        )
        p.add_argument("path", metavar="FILE|URL")
        p.add_argument("--name", help="article name (default: from the title)")

    p = add(
        "remove", commands.cmd_remove, "remove an article: its passages, vectors and saved text"
    )
    p.add_argument("name")

    p = add("reindex", commands.cmd_reindex, "rebuild the vectors of one article (default: all)")
    p.add_argument("name", nargs="?")

    p = add("list", commands.cmd_list, "list the indexed articles (* marks the default)")
    p.add_argument("--json", action="store_true")

    p = add("serve", commands.cmd_serve, "start the web app (chat, quiz, briefing, sources)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860)
    _llm_options(p, "answers, quiz questions and the bottom line")


def _question_commands(add: Add) -> None:
    p = add("ask", commands.cmd_ask, "ask a question; prints a short cited answer")
    p.add_argument("question", nargs="*")
    p.add_argument("--article", action="append", help=ARTICLES_HELP)
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument("--batch", metavar="FILE.jsonl", help='one {"q": ...} per line; JSON out')
    _llm_options(p)

    p = add("chat", commands.cmd_chat, "ask questions interactively in the terminal")
    p.add_argument("--article", action="append", help="article name (one)")

    p = add("brief", commands.cmd_brief, "a cited briefing of the article (Markdown, or --json)")
    p.add_argument("--article", action="append", help=ARTICLES_HELP)
    p.add_argument("--json", action="store_true", help="one key per section")
    p.add_argument("--format", choices=["md"], default="md", help="text format (Markdown)")
    _llm_options(p, "the bottom line")


def _quiz_command(add: Add) -> None:
    p = add("quiz", _quiz, "make a cited quiz; export it, take it, or check it")
    p.add_argument("--article", action="append", help=ARTICLES_HELP)
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


def _quiz(args: argparse.Namespace) -> int:
    return (_dev("quiz_check") if args.check else commands.cmd_quiz)(args)


def _dev_commands(add: Add) -> None:
    p = add("eval", _dev("cmd_eval"), "measure cited answering on SQuAD 2.0 or news questions")
    p.add_argument("dataset", choices=["squad", "news"])
    p.add_argument("file", help="a SQuAD 2.0 JSON file, or news questions (JSON Lines)")
    p.add_argument(
        "--news-dir",
        default=os.environ.get("BRIEFBOT_NEWS_DIR", "../shared/news"),
        help="news: folder of the articles the questions name (default ../shared/news)",
    )
    p.add_argument("--split", default="report", help="news: which split to ask (report, tune, all)")
    p.add_argument(
        "--reader-mode",
        choices=["fp32", "bf16", "int8"],
        help="run the reader in this mode instead of the shipped choice (to compare them)",
    )
    p.add_argument("--articles", type=int, help="only the first N articles")
    p.add_argument("--limit", type=int, help="only the first N questions of each article")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--misses",
        metavar="FILE.jsonl",
        help="also write every wrong reply (gold missed, wrongly declined, not declined) to FILE",
    )
    for flag, text in (
        (
            "--fit",
            "also fit the decline and short-answer models on this run (held-out check included)",
        ),
        (
            "--write-weights",
            "write what this run chose to bot/qa/weights/ (the reader's decline threshold; "
            "with --reader none --fit, the older models' weights)",
        ),
    ):
        p.add_argument(flag, action="store_true", help=text)

    p = add("bench", _dev("cmd_bench"), "measure speed on the default article")
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
    p.add_argument(
        "--load",
        type=int,
        metavar="N",
        help="instead: N gradio_client users at once against a web app started on loopback",
    )
    p.add_argument("--seconds", type=float, default=30, help="with --load: how long (default 30)")
    p.add_argument(
        "--soak",
        type=int,
        metavar="Q",
        help="instead: Q questions through one engine (CLI batch, then web app); memory growth",
    )


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
    except CitationError as e:  # a ValueError, but never the user's fault: caught first
        if os.environ.get("BRIEFBOT_DEBUG"):
            raise
        print(
            f"briefbot: internal error: {e}; this is a bug in briefbot, please report it with "
            "the command you ran (BRIEFBOT_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL_ERROR
    except (commands.UserError, QuestionError, IngestError, StoreError, FetchError) as e:
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
