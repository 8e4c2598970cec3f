"""Evaluate a reader checkpoint on SQuAD 2.0 dev (article by article, as the app would see it).

    python -m bot.dev.eval_reader --weights /work/reader-run/ckpt/reader.safetensors
        [--dev /work/shared/squad/dev-v2.0.json] [--k 6] [--articles N] [--per-article N]
        [--mode fp32|bf16|int8] [--timing-k 4,6,8] [--threads 2]

For each question the article's sentences are ranked by IDF-weighted word overlap with the
question (bot.dev.reader_data.SentenceIndex), the top K windows go through the reader in one
pass, and the best span over them is the answer (null score: the smallest over the windows;
margin = null - best span).

Reported:
- sentence hit: answerable questions whose predicted span's sentence contains a gold answer;
- F1 / EM of the span against the gold answers (SQuAD normalisation, bot.eval);
- retrieval recall@K: a gold answer is in one of the K windows' candidate sentences;
- decline, with article-level folds: the threshold on the margin is chosen on half of the
  articles (maximising answered-right + unanswerable-declined) and measured on the other half,
  and vice versa; pooled: unanswerable declined, answerable wrongly declined, accuracy;
- ms per question for each K in --timing-k.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.dev.eval import exact_match, f1_score, normalize_answer
from bot.dev.reader_data import SentenceIndex, window_at
from bot.qa.reader import Reader
from bot.qa.reader_inputs import sentence_spans

DEFAULT_DEV = "../shared/squad/dev-v2.0.json"


@dataclass
class Item:
    article: int
    question: str
    golds: list[str]
    recall: bool
    hit: bool
    f1: float
    em: float
    margin: float
    ms: float


def contains(text: str, gold: str) -> bool:
    g = normalize_answer(gold)
    return bool(g) and f" {g} " in f" {normalize_answer(text)} "


class Article:
    def __init__(self, paragraphs: list[str], spans: list[list[tuple[int, int]]]) -> None:
        self.keys = [(pi, k) for pi, sp in enumerate(spans) for k in range(len(sp))]
        self.sents = [paragraphs[pi][slice(*spans[pi][k])] for pi, k in self.keys]
        self.windows = [window_at(paragraphs[pi], spans[pi], k)[0] for pi, k in self.keys]
        self.index = SentenceIndex(self.sents)

    def top(self, question: str, k: int) -> list[int]:
        sc = self.index.scores(question)
        return sorted(range(len(sc)), key=lambda i: (-sc[i], i))[:k]


def evaluate(
    reader: Reader,
    data: list[dict],
    k: int,
    per_article: int,
) -> list[Item]:
    items = []
    for ai, art in enumerate(data):
        paras = [p["context"] for p in art["paragraphs"]]
        doc = Article(paras, sentence_spans(paras))
        qas = [qa for p in art["paragraphs"] for qa in p["qas"]]
        if per_article:
            qas = qas[:: max(1, len(qas) // per_article)][:per_article]
        for qa in qas:
            golds = [a["text"] for a in qa.get("answers", []) if a["text"].strip()]
            if qa.get("is_impossible"):
                golds = []
            top = doc.top(qa["question"], k)
            t = time.perf_counter()
            res = reader.read(qa["question"], [doc.windows[i] for i in top])
            ms = (time.perf_counter() - t) * 1000
            best = max(res, key=lambda r: r.span_score)
            null = min(r.null_score for r in res)
            items.append(
                Item(
                    ai,
                    qa["question"],
                    golds,
                    any(contains(doc.sents[i], g) for i in top for g in golds),
                    any(contains(best.sentence_text, g) for g in golds),
                    max((f1_score(best.text, g) for g in golds), default=0.0),
                    max((exact_match(best.text, g) for g in golds), default=0.0),
                    null - best.span_score,
                    ms,
                )
            )
    return items


def _correct(it: Item, th: float) -> bool:
    declined = it.margin > th
    return declined if not it.golds else (not declined and it.hit)


def choose_threshold(items: Sequence[Item]) -> float:
    cands = sorted({it.margin for it in items})
    cands = [cands[0] - 1.0] + [(a + b) / 2 for a, b in zip(cands, cands[1:], strict=False)]
    cands.append(max(it.margin for it in items) + 1.0)
    return max(cands, key=lambda th: sum(_correct(it, th) for it in items))


def report(items: list[Item], n_articles: int) -> dict[str, Any]:
    ans = [it for it in items if it.golds]
    una = [it for it in items if not it.golds]
    out: dict[str, Any] = {
        "questions": len(items),
        "answerable": len(ans),
        "unanswerable": len(una),
        "recall_at_k": sum(it.recall for it in ans) / max(1, len(ans)),
        "sentence_hit": sum(it.hit for it in ans) / max(1, len(ans)),
        "f1": sum(it.f1 for it in ans) / max(1, len(ans)),
        "em": sum(it.em for it in ans) / max(1, len(ans)),
        "ms_per_question": sum(it.ms for it in items) / max(1, len(items)),
    }
    half = {a: (a % 2) for a in range(n_articles)}  # alternate articles: two folds
    un_decl = an_decl = correct = 0
    ths = []
    for fold in (0, 1):
        fit = [it for it in items if half[it.article] != fold]
        test = [it for it in items if half[it.article] == fold]
        if not fit or not test:
            continue
        th = choose_threshold(fit)
        ths.append(th)
        un_decl += sum(it.margin > th for it in test if not it.golds)
        an_decl += sum(it.margin > th for it in test if it.golds)
        correct += sum(_correct(it, th) for it in test)
    out["thresholds"] = ths
    out["unanswerable_declined"] = un_decl / max(1, len(una))
    out["answerable_wrongly_declined"] = an_decl / max(1, len(ans))
    out["accuracy_with_decline"] = correct / max(1, len(items))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bot.dev.eval_reader", description=__doc__)
    p.add_argument("--weights", required=True, help="reader.safetensors (or its folder)")
    p.add_argument("--sha256", default=None, help="check the weights file against this")
    p.add_argument("--dev", default=DEFAULT_DEV)
    p.add_argument("--k", type=int, default=6, help="windows per question")
    p.add_argument("--articles", type=int, default=0, help="first N articles only (0: all)")
    p.add_argument("--per-article", type=int, default=0, help="questions per article (0: all)")
    p.add_argument(
        "--mode", default="fp32", help="fp32, bf16 or int8; comma-separated to compare them"
    )
    p.add_argument("--timing-k", default="4,6,8", help="K values to time ('' to skip)")
    p.add_argument("--timing-questions", type=int, default=40)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--json", default=None, help="also write the report here")
    args = p.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    torch.set_num_threads(args.threads)
    data = json.loads(Path(args.dev).read_text())["data"]
    if args.articles:
        data = data[: args.articles]
    reports = []
    for mode in [m.strip() for m in args.mode.split(",") if m.strip()]:
        reader = Reader.load(args.weights, sha256=args.sha256, mode=mode)
        reader.read("warm up?", [Article(["Warm up."], [[(0, 8)]]).windows[0]])
        t = time.time()
        items = evaluate(reader, data, args.k, args.per_article)
        rep = report(items, len(data))
        rep["k"] = args.k
        rep["mode"] = mode
        rep["seconds"] = time.time() - t
        for kk in [int(x) for x in args.timing_k.split(",") if x.strip()]:
            sub = evaluate(reader, data[:2], kk, max(1, args.timing_questions // 2))
            rep[f"ms_per_question_k{kk}"] = sum(it.ms for it in sub) / max(1, len(sub))
        for key, v in rep.items():
            print(f"{key}: {v:.4f}" if isinstance(v, float) else f"{key}: {v}", flush=True)
        print(flush=True)
        reports.append(rep)
    if args.json:
        Path(args.json).write_text(json.dumps(reports, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
