"""The developer commands behind `briefbot eval`, `briefbot bench` and `briefbot quiz
--check`. The runtime never imports this package; the CLI loads it only for these commands."""

from __future__ import annotations

import argparse
import functools
import json
from typing import Any

from bot.app.commands import UserError, make_bot, progress


def quiz_check(args: argparse.Namespace) -> int:
    from bot.dev.quiz_check import CheckReport, check_quizzes

    bot = make_bot(args)
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


def cmd_eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.dev.eval import format_metrics, load_squad, run_squad

    if not Path(args.file).is_file():
        raise UserError(f"{args.file}: no such file")
    if args.dataset == "news":
        return _news_eval(args)
    try:
        articles = load_squad(args.file)
    except ValueError as e:
        raise UserError(str(e)) from e
    if args.articles:
        articles = articles[: args.articles]
    # A store of its own, so evaluation never touches the user's articles.
    bot = _eval_bot(args)
    chosen = bot.settings
    if args.fit and chosen.reader != "none":
        raise UserError("--fit refits the older models: add --reader none")
    report = run_squad(bot, articles, progress, limit=args.limit, keep_found=args.fit)
    report.all_quotes_verbatim()
    if chosen.reader != "none":
        return _reader_eval(report, args, f"{Path(args.file).name} ({len(articles)} articles)")
    metrics = report.metrics()
    print(json.dumps(metrics) if args.json else format_metrics(metrics))
    if args.fit:
        from bot.dev.fit import decline_held_out, fit_decline, fit_span, write_weights

        decline = fit_decline(report)
        print("decline model fitted on this run:", json.dumps(decline))
        print("decline model, fitted on half the articles:", json.dumps(decline_held_out(report)))
        span = fit_span(report)
        print("span model fitted on this run:", json.dumps(span))
        if args.write_weights:
            fitted_on = f"{Path(args.file).name} ({len(articles)} articles)"
            for path in write_weights(decline, span, fitted_on):
                progress(f"wrote {path}")
    return 0


def _eval_bot(args: argparse.Namespace) -> Any:
    """An engine with a store of its own (evaluation never touches the user's articles),
    the reader in --reader-mode when given."""
    from bot.app.engine import Briefbot
    from bot.app.settings import Settings

    chosen = Settings.load(args.home, reader=getattr(args, "reader", None))
    reader = None
    if args.reader_mode and chosen.reader != "none":
        from bot.qa.reader import Reader

        reader = Reader.load(mode=args.reader_mode)
    settings = Settings(home=chosen.home / "eval", reader=chosen.reader)
    return Briefbot(settings, progress=progress, reader=reader)


def _news_eval(args: argparse.Namespace) -> int:
    """News questions written by a reader over ../shared/news; the reader declines with the
    shipped threshold (chosen on SQuAD dev), so these figures are out of sample."""
    from pathlib import Path

    from bot.dev.eval import format_metrics, load_news, run_news

    if not Path(args.news_dir).is_dir():
        raise UserError(f"{args.news_dir}: no such folder (set --news-dir)")
    try:
        questions = load_news(args.file, None if args.split == "all" else args.split)
    except ValueError as e:
        raise UserError(str(e)) from e
    bot = _eval_bot(args)
    report = run_news(bot, questions, Path(args.news_dir), progress)
    report.all_quotes_verbatim()
    metrics = report.metrics()
    print(json.dumps(metrics) if args.json else format_metrics(metrics))
    if getattr(args, "misses", None):
        n = report.write_misses(Path(args.misses))
        progress(f"wrote {n} wrong replies to {args.misses}")
    return 0


def _reader_eval(report: Any, args: argparse.Namespace, fitted_on: str) -> int:
    """The reader's figures with every decline decided out of fold (threshold chosen on the
    other half of the articles); --write-weights ships the threshold chosen on all of them."""
    from bot.dev.eval import format_metrics, reader_out_of_fold, reader_threshold
    from bot.qa import reading

    held_out, thresholds = reader_out_of_fold(report)
    metrics = held_out.metrics()
    if args.json:
        print(json.dumps(metrics | {"fold_thresholds": thresholds}))
    else:
        print("reader; declines decided out of fold (threshold chosen on the other articles)")
        print(format_metrics(metrics))
        print("fold thresholds: " + ", ".join(f"{t:.3f}" for t in thresholds))
    if args.write_weights:
        threshold = reader_threshold(report.records)
        path = reading.write_decision(threshold, fitted_on, args.reader_mode)
        progress(f"wrote {path}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    if args.scale:
        return _bench_scale(args)
    if args.load or args.soak:
        return _bench_load(args)
    from bot.dev.bench import format_bench, run_bench

    results = run_bench(make_bot(args), rounds=args.rounds)
    print(json.dumps(results) if args.json else format_bench(results))
    return 0


def _bench_load(args: argparse.Namespace) -> int:
    import tempfile
    from pathlib import Path

    from bot.dev import bench_load

    if args.load:
        if args.load < 1 or args.seconds <= 0:
            raise UserError("--load N needs N >= 1 users and --seconds > 0")
        with tempfile.TemporaryDirectory() as tmp, bench_load.served(Path(tmp)) as (url, _):
            progress(f"app at {url}; {args.load} users for {args.seconds:g} s")
            result = bench_load.run_load(url, args.load, args.seconds)
        print(json.dumps(result) if args.json else bench_load.format_load(result))
    if args.soak:
        if args.soak < 10:
            raise UserError("--soak Q needs at least 10 questions")
        soak = bench_load.run_soak(args.soak, progress)
        print(json.dumps(soak) if args.json else bench_load.format_soak(soak))
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
    rows = run_scale(embedder, articles, sizes, None, progress)
    with running_chroma(progress) as url:
        rows += run_scale(embedder, articles, sizes, url, progress)
    print(json.dumps(rows) if args.json else format_scale(rows))
    return 0
