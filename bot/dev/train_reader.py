"""Train the extractive reader on windows built from SQuAD-format JSON (bot.dev.reader_data).

    python -m bot.dev.train_reader --out DIR [--device cpu|cuda] [--max-windows N] [--steps N]
                                   [--epochs N] [--work .reader-run] [--resume]
                                   [--pack FILE.npz.xz | --features FILE.npz.xz] [--base DIR]

The windows (positives, hard negatives, unanswerable ones) are described in bot/dev/reader_data.py.
Built windows and encoded features are cached under --work; checkpoints go to --work/ckpt
every --ckpt-minutes and --resume continues from the last one.

For a machine without spaCy or the base package (a rented GPU): `--pack F.npz.xz` writes the
encoded windows compactly and stops; `--features F.npz.xz --base DIR` trains from them, with the
base model (config, weights, tokenizer) read from DIR.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.dev.reader_data import build_examples, featurize, log, off_topic
from bot.dev.reader_pack import pack_base, pack_features, unpack_features
from bot.qa.reader_inputs import collate
from bot.qa.reader_net import FROZEN, build_model, load_tokenizer, save_weights, trainable_state

DEFAULT_TRAIN = "../shared/squad/train-collected.json"
DEFAULT_WORK = ".reader-run"


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
    p.add_argument("--steps", type=int, default=0, help="stop after N steps (0: all epochs)")
    p.add_argument("--epochs", type=int, default=1, help="passes over the windows")
    p.add_argument("--pack", help="write the encoded windows to this .npz.xz and stop")
    p.add_argument("--features", help="train on windows packed by --pack (.npz.xz; no build)")
    p.add_argument("--base", help="base model folder (default: the packaged MiniLM)")
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
    p.add_argument("--off-topic", type=int, default=0, help="off-topic negatives to add")
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
            + ([args.off_topic] if args.off_topic else [])
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
    if args.off_topic:
        examples = examples + off_topic(examples, args.off_topic, args.seed)
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

    if args.features:
        feats = unpack_features(args.features)
    else:
        feats = load_features(args, load_tokenizer(args.base), logp)
    n = len(feats["input_ids"])
    kinds = Counter(feats["kind"])
    log(f"windows: {n} {dict(kinds)}", logp)
    if args.pack:
        pack_features(feats, args.pack)
        base = Path(args.pack).parent / "base"
        pack_base(base)
        log(f"packed -> {args.pack} ({os.path.getsize(args.pack) / 1e6:.1f} MB), {base}", logp)
        return 0
    if args.build_only:
        return 0
    lengths = [len(x) for x in feats["input_ids"]]
    plan = [b for e in range(args.epochs) for b in batches(lengths, args.batch, args.seed + e)]
    total = min(len(plan), args.steps) if args.steps else len(plan)
    train(args, feats, plan, total, logp)
    return 0


def _optimizer(model: Any, lr: float) -> Any:
    """AdamW over the trainable parameters; no weight decay on biases and norms."""
    import torch

    for name, prm in model.named_parameters():
        prm.requires_grad_(name not in FROZEN)
    decay = [p for n_, p in model.named_parameters() if p.requires_grad and p.ndim > 1]
    no_decay = [p for n_, p in model.named_parameters() if p.requires_grad and p.ndim <= 1]
    return torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
        lr=lr,
    )


def _schedule(
    args: argparse.Namespace, total: int
) -> tuple[Callable[[int, float], float], Callable[[float], float]]:
    """(progress, lr_factor): the share of the run done and the learning rate's factor at it."""
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

    return progress, lr_factor


def train(
    args: argparse.Namespace,
    feats: dict[str, Any],
    plan: list[list[int]],
    total: int,
    logp: Path,
) -> None:
    """The training loop: `total` steps of `plan` (or until --time-budget), checkpoints every
    --ckpt-minutes and at the end, then the weights written to --out."""
    import torch

    work = Path(args.work)
    dev = torch.device(args.device)
    model = build_model(args.base).to(dev)
    opt = _optimizer(model, args.lr)
    progress, lr_factor = _schedule(args, total)

    ckpt = work / "ckpt" / "ckpt.pt"
    step, elapsed0 = _resume(ckpt, model, opt, dev, logp) if args.resume else (0, 0.0)

    def checkpoint() -> None:
        _save_checkpoint(ckpt, model, opt, step, elapsed0 + time.time() - t0, total, logp)

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
        loss = _loss(model, ce, feats, idx, dev, args.fp32)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        seen += len(idx)
        loss_sum += float(loss.detach())
        loss_n += 1
        if step % args.log_every == 0 or step == total:
            lr = opt.param_groups[0]["lr"]
            el = time.time() - t0
            _log_step(args, step, total, loss_sum / loss_n, lr, seen, el, elapsed0, logp)
            loss_sum, loss_n = 0.0, 0
        if time.time() - last_ck > args.ckpt_minutes * 60:
            checkpoint()
            last_ck = time.time()
    checkpoint()  # always: the run's end is resumable and inspectable, however short it was
    _export(model, Path(args.out), step, args.batch, logp)


def _log_step(
    args: argparse.Namespace,
    step: int,
    total: int,
    loss: float,
    lr: float,
    seen: int,
    el: float,
    elapsed0: float,
    logp: Path,
) -> None:
    """The mean loss since the last line, the rate and the time left (`el`: seconds of this
    run, `elapsed0`: of the runs it resumed)."""
    budget = args.time_budget * 60
    rate = seen / el
    eta = (total - step) * args.batch / rate
    if budget:
        eta = min(eta, budget - elapsed0 - el)
    log(
        f"step {step}/{total} loss {loss:.4f} "
        f"lr {lr:.2e} "
        f"{rate:.1f} windows/s ({seen} seen) eta {eta / 60:.1f} min",
        logp,
    )


def _resume(ckpt: Path, model: Any, opt: Any, dev: Any, logp: Path) -> tuple[int, float]:
    """(step, seconds trained) of the last checkpoint, loaded into model and opt;
    (0, 0.0) when there is none."""
    import torch

    step, elapsed0 = 0, 0.0
    if ckpt.is_file():
        state = torch.load(ckpt, map_location=dev)
        model.load_state_dict(state["model"], strict=False)
        opt.load_state_dict(state["opt"])
        step, elapsed0 = state["step"], state.get("elapsed", 0.0)
        log(f"resumed from {ckpt} at step {step} ({elapsed0 / 60:.1f} min trained)", logp)
    return step, elapsed0


def _save_checkpoint(
    ckpt: Path, model: Any, opt: Any, step: int, elapsed: float, total: int, logp: Path
) -> None:
    import torch

    tmp = ckpt.with_suffix(".tmp")
    torch.save(
        {
            "model": trainable_state(model),
            "opt": opt.state_dict(),
            "step": step,
            "elapsed": elapsed,
            "total": total,
        },
        tmp,
    )
    tmp.replace(ckpt)
    sha = save_weights(model, ckpt.parent / "reader.safetensors")
    log(f"checkpoint step {step}/{total} -> {ckpt} (weights sha256 {sha})", logp)


def _loss(model: Any, ce: Any, feats: dict[str, Any], idx: list[int], dev: Any, fp32: bool) -> Any:
    """The batch's loss: start and end cross-entropy, averaged."""
    import torch

    b = collate([feats["input_ids"][i] for i in idx], [feats["ctx"][i] for i in idx])
    b = {k: v.to(dev) for k, v in b.items()}
    ys = torch.tensor([feats["start"][i] for i in idx], device=dev)
    ye = torch.tensor([feats["end"][i] for i in idx], device=dev)
    with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=not fp32):
        s, e = model(**b)
    return (ce(s.float(), ys) + ce(e.float(), ye)) / 2


def _export(model: Any, out: Path, step: int, batch: int, logp: Path) -> None:
    """The final weights written to `out`, with their size and sha256 logged."""
    sha = save_weights(model, out / "reader.safetensors")
    size = (out / "reader.safetensors").stat().st_size
    log(
        f"done after {step} steps ({step * batch} windows): {out / 'reader.safetensors'} "
        f"({size / 1e6:.1f} MB) sha256 {sha}",
        logp,
    )


if __name__ == "__main__":
    raise SystemExit(main())
