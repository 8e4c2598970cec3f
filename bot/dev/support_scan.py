"""How the support model (`bot.dev.support_model`) would judge the claim sets' sentences:
alone, and as a veto after the word-level check, at a range of thresholds.

    python -m bot.dev.support_scan --sets dev heldout ... --weights F [--out F.json]
    python -m bot.dev.support_scan --rows F.json ... [--misses F]   # reread a scan

Every reply sentence of the chosen sets is scored against the sentences its citations hold
(the lowest score over its cited parts; a part citing several passages takes the best).
Faithful replies' sentences count as supported; red-team sentences not listed as expected
as unsupported. "After the check" counts only the sentences the shipped checker (with the
reading model as judge) shows. The runs and their output: docs/support-training/.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.dev.support_model import judged

GRID = (0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5)


def sentence_rows(name: str, which: str, model: Any, judge: Any) -> list[dict[str, Any]]:
    """One row per cited reply sentence of a set: its score, label and whether it is shown."""
    from bot.dev.redteam import load, passages_for, run_in_process
    from bot.llm.claim_sentences import split_reply, support
    from bot.qa.citations import CitationError, cite_quote

    records, _ = load(name if which == "dev" else f"{name}_{which}")
    rows = []
    for r in records:
        by_id = {p.id: p for p in passages_for(r)}
        shown = set(run_in_process(r, judge=judge).shown)
        expected = r.get("expected_kept")
        for s in split_reply(r["reply"]):
            pairs: list[list[tuple[str, str]]] = []
            for unit in s.units:
                texts = []
                for pid, quote in unit.citations:
                    try:
                        held = support(cite_quote(by_id[pid], quote))
                    except (KeyError, CitationError):
                        continue
                    texts.append(judged(unit.text, held))
                if texts:
                    pairs.append(texts)
            if not pairs:
                continue
            scored = [max(zip(model.scores(t), t, strict=True)) for t in pairs]
            p, cited = min(scored)
            good = expected is None or s.text in expected
            rows.append(
                {"set": which, "kind": name, "id": r["id"], "text": s.text, "p": p, "pair": cited,
                 "good": good, "shown": s.text in shown}
            )  # fmt: skip
    return rows


def table(rows: Sequence[dict[str, Any]]) -> str:
    good = [r for r in rows if r["kind"] == "faithful"]
    bad = [r for r in rows if not r["good"]]
    kept = [r for r in good if r["shown"]]
    shown = [r for r in bad if r["shown"]]
    lines = [
        f"{len(good)} faithful, {len(bad)} unsupported red-team sentences; after the check: "
        f"{len(kept)} faithful kept, {len(shown)} unsupported shown",
        "threshold | alone: faithful kept, unsupported caught | after the check: "
        "faithful kept, unsupported shown",
    ]
    for t in GRID:
        a = sum(r["p"] >= t for r in good)
        c = sum(r["p"] < t for r in bad)
        k = sum(r["p"] >= t for r in kept)
        s = sum(r["p"] >= t for r in shown)
        lines.append(
            f"{t:<9} | {a}/{len(good)} ({100 * a / max(len(good), 1):.1f}%), "
            f"{c}/{len(bad)} ({100 * c / max(len(bad), 1):.1f}%) | "
            f"{k}/{len(good)} ({100 * k / max(len(good), 1):.1f}%), {s}"
        )
    return "\n".join(lines)


def misses_table(rows: Sequence[dict[str, Any]], misses: Sequence[str]) -> str:
    """The threshold's trade on what the word-level check missed on its first, blind runs
    (`misses`: "SHOWN id category sentence" lines, as `redteam -v` prints them): the misses
    the model would catch as a veto against the faithful sentences it would drop after the
    check; marked, the threshold with the most caught less dropped (the lower on a tie)."""
    p = {(r["id"], r["text"]): r["p"] for r in rows}
    found = [p[(m.split(" ", 3)[1], m.split(" ", 3)[3])] for m in misses]
    kept = [r["p"] for r in rows if r["kind"] == "faithful" and r["shown"]]
    lines = [f"{len(found)} first-run misses, {len(kept)} faithful sentences kept by the check"]
    best = max(GRID, key=lambda t: (sum(x < t for x in found) - sum(x < t for x in kept), -t))
    for t in GRID:
        c, d = sum(x < t for x in found), sum(x < t for x in kept)
        lines.append(
            f"{t:<9} | misses caught {c}/{len(found)}, faithful dropped {d}, "
            f"net {c - d}{'  <- chosen' if t == best else ''}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bot.dev.support_scan", description=__doc__)
    p.add_argument("--sets", nargs="+", default=["dev"])
    p.add_argument("--weights", help="the support model's weights (train_support's output)")
    p.add_argument("--out", help="write the scored rows here (JSON)")
    p.add_argument("--rows", nargs="+", help="read scored rows written by --out (no scoring)")
    p.add_argument("--misses", help="the check's first-run misses (docs/support-training/)")
    args = p.parse_args(argv)
    if args.rows:
        rows = [r for f in args.rows for r in json.loads(Path(f).read_text())]
        print(table(rows))
        if args.misses:
            print(misses_table(rows, Path(args.misses).read_text().splitlines()))
        return 0
    from bot.dev.redteam import reader_judge
    from bot.dev.support_model import SupportModel

    if not args.weights:
        raise SystemExit("support_scan: give --weights F (or --rows F... to reread a scan)")
    model = SupportModel.load(args.weights)
    judge = reader_judge()
    rows = [r for s in args.sets for r in sentence_rows("redteam", s, model, judge)]
    rows += [r for s in args.sets for r in sentence_rows("faithful", s, model, judge)]
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=1))
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
