"""`python -m bot.dev.review_files OUT NAME...`: one file per story for a human review.

Each file holds the article as briefbot stores it (passages numbered as citations name them:
¶2, and ¶2.1, ¶2.2 for the parts of a long paragraph), then the 10-question quiz of seed 1 with
its answer key, then the briefing, exactly as `briefbot quiz` and `briefbot brief` print them.
NAME is a story of ../shared/news (e.g. sport-107) or "seed" for the packaged article; a
scratch data folder is used, so the user's articles are never touched.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bot.app.engine import Briefbot
from bot.app.settings import Settings
from bot.quiz.export import export_quiz
from bot.quiz.model import QuizRequest


def story_file(bot: Briefbot, name: str) -> str:
    stored = bot.stored(name)
    lines = [f"ARTICLE: {name}", f"TITLE: {stored.article.title or name}", ""]
    for p in stored.passages:
        lines += [f"[{p.id}] {p.text}", ""]
    quiz = bot.quiz(QuizRequest(n=10, seed=1, articles=(name,)))[0]
    quiz_md = export_quiz(quiz, "md")
    lines += ["======== QUIZ (briefbot quiz --n 10 --seed 1) ========", "", quiz_md, ""]
    if quiz.note:  # what `briefbot quiz` says on stderr when the quiz is short
        lines += [f"(briefbot: {quiz.note})", ""]
    brief = bot.cached_brief(name)
    lines += ["======== BRIEFING (briefbot brief) ========", "", brief.to_markdown()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.dev.review_files", description=__doc__)
    parser.add_argument("out", type=Path, help="folder for the files")
    parser.add_argument("names", nargs="+", help="news story file stems, or 'seed'")
    parser.add_argument("--news-dir", type=Path, default=Path("../shared/news"))
    args = parser.parse_args(argv)
    bot = Briefbot(Settings(home=Path(tempfile.mkdtemp(prefix="briefbot-review-"))))
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.names:
        if name == "seed":
            name = bot.default_article()
        else:
            bot.index_file(args.news_dir / f"{name}.txt", name)
        path = args.out / f"{name}.txt"
        path.write_text(story_file(bot, name), encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
