"""Train the support model (`bot.dev.support_model`) on pairs built by `bot.dev.support_data`.

    python -m bot.dev.train_support --pack .gpu/support.npz.xz [--paragraphs N]
    python -m bot.dev.train_support --features .gpu/support.npz.xz --base .gpu/sbase \
        --from-reader --out DIR [--device cuda] [--epochs N] [--time-budget MIN]

`--pack` parses the training paragraphs with spaCy, builds and encodes the pairs and writes them
compactly with the base model's config and word embeddings beside them (`.gpu/sbase`; the
rest of the encoder comes from the shipped reader, `--from-reader`), so that a GPU machine
needs neither spaCy nor the base package. Training keeps 2% of the pairs out and logs the
model's accuracy on them by kind at the end; the weights go to DIR/support.safetensors.
"""

from __future__ import annotations

import argparse
import io
import lzma
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.dev.reader_data import log
from bot.dev.train_reader import DEFAULT_TRAIN, _optimizer, _schedule, batches

READER = Path(__file__).resolve().parents[1] / "qa" / "reader_model" / "reader.safetensors"
EXCLUDE = Path(__file__).resolve().parents[2] / "tests" / "data" / "claims_wiki"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bot.dev.train_support", description=__doc__)
    p.add_argument("--pack", help="build and encode the pairs into this .npz.xz and stop")
    p.add_argument("--features", help="train on pairs written by --pack")
    p.add_argument("--base", help="base model folder (default: the packaged MiniLM)")
    p.add_argument(
        "--from-reader",
        nargs="?",
        const=str(READER),
        help="start the encoder from the reader's trained weights (default file: the shipped one)",
    )
    p.add_argument("--out", help="folder for the final support.safetensors")
    p.add_argument("--train", default=DEFAULT_TRAIN, help="SQuAD-format training JSON")
    p.add_argument("--paragraphs", type=int, default=12000, help="paragraphs to build from")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=5e-5)
    p.add_argument("--warmup", type=float, default=0.06, help="share of steps")
    p.add_argument("--time-budget", type=float, default=0.0, help="minutes (0: by steps)")
    p.add_argument("--steps", type=int, default=0, help="stop after N steps (0: all epochs)")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--log-every", type=int, default=200)
    p.add_argument("--log", help="log file (default: beside --out or --pack)")
    return p.parse_args(argv)


def pack(args: argparse.Namespace, logp: Path) -> None:
    import numpy as np

    from bot.dev.support_data import build_pairs
    from bot.dev.support_net import encode
    from bot.qa.reader_net import load_tokenizer
    from index.nlp import load_nlp

    exclude = [p.read_text(encoding="utf-8") for p in sorted(EXCLUDE.glob("*.txt"))]
    t = time.time()
    pairs = build_pairs(
        args.train, args.paragraphs, args.seed, exclude, load_nlp(), lambda m: log(m, logp)
    )
    log(
        f"built {len(pairs)} pairs in {time.time() - t:.0f}s: "
        f"{dict(Counter((p['kind'], p['label']) for p in pairs))}",
        logp,
    )
    tokenizer = load_tokenizer()
    ids = encode(tokenizer, [p["claim"] for p in pairs], [p["cited"] for p in pairs])
    names = sorted({p["kind"] for p in pairs})
    buf = io.BytesIO()
    np.savez(
        buf,
        ids=np.fromiter((t for x in ids for t in x), dtype=np.uint16),
        lengths=np.array([len(x) for x in ids], dtype=np.uint16),
        label=np.array([p["label"] for p in pairs], dtype=np.uint8),
        kind=np.array([names.index(p["kind"]) for p in pairs], dtype=np.uint8),
        kind_names=np.array(names),
        sep=np.array([tokenizer.sep_token_id]),
    )
    Path(args.pack).parent.mkdir(parents=True, exist_ok=True)
    Path(args.pack).write_bytes(lzma.compress(buf.getvalue(), preset=6))
    pack_embeddings(Path(args.pack).parent / "sbase")
    log(f"packed {len(ids)} pairs -> {args.pack}", logp)


def pack_embeddings(out: Path) -> None:
    """The base model's config and word-embedding matrix (fp16): what `--base` needs when the
    rest of the encoder comes from the reader (`--from-reader`). 23 MB, not the base's 45."""
    from bot.dev.reader_pack import pack_base

    pack_base(out, keep=lambda k: k == "embeddings.word_embeddings.weight")


def unpack(path: str) -> dict[str, Any]:
    import numpy as np

    z = np.load(io.BytesIO(lzma.decompress(Path(path).read_bytes())))
    ends = np.cumsum(z["lengths"].astype(np.int64)).tolist()
    flat = z["ids"].astype(np.int64).tolist()
    names = [str(x) for x in z["kind_names"]]
    return {
        "ids": [flat[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)],
        "label": z["label"].tolist(),
        "kind": [names[k] for k in z["kind"].tolist()],
        "sep": int(z["sep"][0]),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.pack and not (args.features and args.out):
        raise SystemExit("train_support: give --pack F, or --features F and --out DIR")
    logp = Path(args.log or Path(args.out or Path(args.pack).parent) / "train-support.log")
    logp.parent.mkdir(parents=True, exist_ok=True)
    log(f"args: {' '.join(sys.argv[1:]) if argv is None else ' '.join(argv)}", logp)
    if args.pack:
        pack(args, logp)
        return 0
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    data = unpack(args.features)
    order = list(range(len(data["ids"])))
    random.Random(args.seed).shuffle(order)
    held = order[: len(order) // 50]
    train_ix = order[len(order) // 50 :]
    log(f"pairs: {len(train_ix)} to train, {len(held)} held out", logp)
    model = train(args, data, train_ix, logp)
    report(model, data, held, args, logp)
    from bot.qa.reader_net import save_weights

    sha = save_weights(model, Path(args.out) / "support.safetensors")
    log(f"weights -> {Path(args.out) / 'support.safetensors'} sha256 {sha}", logp)
    return 0


def _batch(data: dict[str, Any], idx: Sequence[int], sep: int, dev: Any) -> dict[str, Any]:
    from bot.dev.support_net import collate

    return {k: v.to(dev) for k, v in collate([data["ids"][i] for i in idx], sep).items()}


def train(args: argparse.Namespace, data: dict[str, Any], ix: list[int], logp: Path) -> Any:
    """Binary cross-entropy on the label, AdamW, linear warmup and decay (by steps, or by time
    with --time-budget)."""
    import torch

    from bot.dev.support_net import build_support_model

    dev = torch.device(args.device)
    sep = data["sep"]
    model = build_support_model(args.base)
    if args.from_reader:
        from safetensors.torch import load_file

        state = {
            k: v.float() for k, v in load_file(args.from_reader).items() if k.startswith("encoder.")
        }
        missing = [k for k in model.state_dict() if k.startswith("encoder.") and k not in state]
        model.load_state_dict(state, strict=False)
        log(f"encoder from {args.from_reader} ({len(state)} tensors; not there: {missing})", logp)
    model = model.to(dev)
    opt = _optimizer(model, args.lr)
    lengths = [len(data["ids"][i]) for i in ix]
    plan = [[ix[j] for j in b] for e in range(args.epochs) for b in batches(lengths, args.batch, e)]
    total = min(len(plan), args.steps) if args.steps else len(plan)
    progress, lr_factor = _schedule(args, total)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    log(f"training: {total} steps of {args.batch} on {dev}, lr {args.lr}", logp)
    model.train()
    t0, step, run = time.time(), 0, 0.0
    while step < total and (p := progress(step, time.time() - t0)) < 1:
        for g in opt.param_groups:
            g["lr"] = args.lr * lr_factor(p)
        idx = plan[step]
        y = torch.tensor([float(data["label"][i]) for i in idx], device=dev)
        with torch.autocast(dev.type, dtype=torch.bfloat16):
            logits = model(**_batch(data, idx, sep, dev))
        loss = loss_fn(logits.float(), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        run += float(loss.detach())
        if step % args.log_every == 0:
            el = time.time() - t0
            log(
                f"step {step}/{total} loss {run / args.log_every:.4f} "
                f"{step * args.batch / el:.0f} pairs/s",
                logp,
            )
            run = 0.0
    log(f"trained {step} steps in {(time.time() - t0) / 60:.1f} min", logp)
    return model


def report(model: Any, data: dict[str, Any], held: list[int], args: Any, logp: Path) -> None:
    """Accuracy at p = 0.5 on the held-out pairs, by kind."""
    import torch

    dev = next(model.parameters()).device
    sep = data["sep"]
    model.eval()
    right: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with torch.no_grad():
        for a in range(0, len(held), 256):
            idx = held[a : a + 256]
            p = torch.sigmoid(model(**_batch(data, idx, sep, dev))).tolist()
            for i, q in zip(idx, p, strict=True):
                r = right[data["kind"][i]]
                r[0] += int((q > 0.5) == bool(data["label"][i]))
                r[1] += 1
    for kind, (ok, n) in sorted(right.items()):
        log(f"held out {kind}: {ok}/{n} right ({100 * ok / n:.1f}%)", logp)


if __name__ == "__main__":
    raise SystemExit(main())
