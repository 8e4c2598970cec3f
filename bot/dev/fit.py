"""Fitting the answer pipeline's two small learned models on an evaluation run
(`briefbot eval squad FILE --fit`): the decline model and the short-answer span model.

Both are linear models over general evidence features, fitted with plain gradient descent
(small, deterministic, no extra dependency). Both are also checked across articles: fitted on
half of the articles and measured on the other half, so a gain that only holds on the texts it
was fitted on shows up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from bot.dev.eval import EvalRecord, EvalReport, f1_score
from bot.qa.answer import expected_types
from bot.qa.retrieve import SentenceHit
from bot.qa.span import scored_spans
from bot.qa.weights import LinearModel, load, save

Group = tuple[str, np.ndarray, np.ndarray]  # article, candidate features, candidate targets


def _logistic(
    records: list[EvalRecord], names: list[str], max_wrongly_declined: float
) -> tuple[np.ndarray, float, float]:
    """Weights, bias and threshold of a logistic regression (answerable vs not) whose threshold
    wrongly declines `max_wrongly_declined` of the answerable questions in `records`."""
    x = np.array([[r.answer.features[n] for n in names] for r in records])
    y = np.array([1.0 if r.answerable else 0.0 for r in records])
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / scale
    w, b = np.zeros(len(names)), 0.0
    for _ in range(3000):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        w -= 0.5 * (z.T @ (p - y) / len(y) + 1e-3 * w)
        b -= 0.5 * float((p - y).mean())
    weights = w / scale
    bias = b - float((mean / scale) @ w)
    p = 1 / (1 + np.exp(-(x @ weights + bias)))
    threshold = float(np.sort(p[y == 1])[int(max_wrongly_declined * (y == 1).sum())])
    # rounded down, so the threshold never declines more than the share asked for
    return weights, bias, float(np.floor(threshold * 1000) / 1000)


def fit_decline(report: EvalReport, max_wrongly_declined: float = 0.10) -> dict[str, float]:
    """Fit the decline model's weights on the features every answer carries, and the threshold
    that wrongly declines `max_wrongly_declined` of the answerable questions. Returns the
    weights with "bias" and "threshold"."""
    records = [r for r in report.records if r.answer.features]
    names = sorted(records[0].answer.features)
    weights, bias, threshold = _logistic(records, names, max_wrongly_declined)
    out = {n: round(float(v), 3) for n, v in zip(names, weights, strict=True)}
    return {"bias": round(bias, 3), **out, "threshold": threshold}


def decline_held_out(
    report: EvalReport, max_wrongly_declined: float = 0.10
) -> list[dict[str, Any]]:
    """The decline model fitted (weights and threshold) on half of the articles and measured on
    the other half: the shares of answerable and unanswerable questions it declines there."""
    records = [r for r in report.records if r.answer.features]
    names = sorted(records[0].answer.features)
    articles = sorted({r.article for r in records})
    out = []
    for half in (articles[0::2], articles[1::2]):
        train = [r for r in records if r.article not in half]
        test = [r for r in records if r.article in half]
        if not train or not test:
            continue
        weights, bias, threshold = _logistic(train, names, max_wrongly_declined)
        x = np.array([[r.answer.features[n] for n in names] for r in test])
        declined = 1 / (1 + np.exp(-(x @ weights + bias))) < threshold
        answerable = np.array([r.answerable for r in test])
        out.append(
            {
                "articles": len(half),
                "answerable_declined": round(100 * float(declined[answerable].mean()), 1),
                "unanswerable_declined": round(100 * float(declined[~answerable].mean()), 1),
            }
        )
    return out


def _cited_hit(record: EvalRecord) -> SentenceHit | None:
    if record.found is None or not record.answer.citations:
        return None
    c = record.answer.citations[0]
    return next(
        (
            h
            for h in record.found.sentences
            if h.passage.id == c.passage and h.sentence.start <= c.start <= h.sentence.end
        ),
        None,
    )


def span_groups(report: EvalReport) -> list[Group]:
    """For every answered, answerable question whose phrase comes from the span model: each
    candidate phrase of the cited sentence with its features and its SQuAD F1 against gold."""
    names = sorted(load("span").weights)
    groups: list[Group] = []
    for r in report.records:
        hit = _cited_hit(r) if r.answerable and not r.answer.abstained else None
        types = expected_types(r.question)
        if hit is None or types in (("REASON",), ("ROLE",)):
            continue
        qterms = set(r.found.question_terms) if r.found else set()
        scored = [(cand, f) for _, cand, f in scored_spans(r.question, hit, types, qterms)]
        if not scored:
            continue
        x = np.array([[f[n] for n in names] for _, f in scored])
        y = np.array(
            [max(f1_score(hit.passage.text[a:b], g) for g in r.golds) for (a, b, _), _ in scored]
        )
        groups.append((r.article, x, y))
    return groups


def fit_listwise(groups: list[Group], iterations: int = 400) -> np.ndarray:
    """Weights of a linear scorer whose softmax over each group's candidates puts its mass on
    the candidates with the highest targets (targets sharpened with temperature 0.2)."""
    x_all = np.concatenate([x for _, x, _ in groups])
    mean, scale = x_all.mean(0), x_all.std(0) + 1e-9
    data = []
    for _, x, y in groups:
        if y.max() > 0:
            t = np.exp(y / 0.2) * (y > 0)
            data.append(((x - mean) / scale, t / t.sum()))
    w = np.zeros(x_all.shape[1])
    for _ in range(iterations):
        grad = np.zeros_like(w)
        for z, t in data:
            s = z @ w
            p = np.exp(s - s.max())
            grad += z.T @ (p / p.sum() - t)
        w -= 0.5 * (grad / max(len(data), 1) + 1e-3 * w)
    return w / scale


def _chosen_f1(groups: list[Group], w: np.ndarray) -> float:
    return 100.0 * float(np.mean([y[int(np.argmax(x @ w))] for _, x, y in groups]))


def fit_span(report: EvalReport) -> dict[str, Any]:
    """Span model weights fitted on the whole run, plus a cross-article check: the short-answer
    F1 of the chosen phrase on held-out articles, shipped weights against weights fitted on the
    other half."""
    names = sorted(load("span").weights)
    groups = span_groups(report)
    shipped = np.array([load("span").weights[n] for n in names])
    articles = sorted({a for a, _, _ in groups})
    held_out = []
    for half in (articles[0::2], articles[1::2]):
        train = [g for g in groups if g[0] not in half]
        test = [g for g in groups if g[0] in half]
        if train and test:
            fitted = fit_listwise(train)
            held_out.append(
                {
                    "articles": len(half),
                    "shipped_f1": round(_chosen_f1(test, shipped), 1),
                    "fitted_on_other_half_f1": round(_chosen_f1(test, fitted), 1),
                }
            )
    w = fit_listwise(groups)
    return {
        "weights": {n: round(float(v), 3) for n, v in zip(names, w, strict=True)},
        "held_out": held_out,
        "questions": len(groups),
    }


def write_weights(decline: dict[str, float], span: dict[str, Any], fitted_on: str) -> list[Path]:
    """Save what `fit_decline` and `fit_span` return where the answer pipeline loads it."""
    weights = {k: v for k, v in decline.items() if k not in ("bias", "threshold")}
    models = [
        LinearModel("decline", weights, decline["bias"], decline["threshold"], fitted_on),
        LinearModel("span", dict(span["weights"]), fitted_on=fitted_on),
    ]
    return [save(m) for m in models]
