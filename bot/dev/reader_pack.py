"""The reader's training windows packed for a machine without spaCy or the base package (a
rented GPU): the encoded windows in one .npz.xz and a slim fp16 copy of the base model
(`python -m bot.dev.train_reader --pack F.npz.xz`, then `--features F.npz.xz --base DIR`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def pack_features(feats: dict[str, Any], path: str) -> None:
    """The encoded windows as flat arrays (word-piece ids fit in uint16), xz-compressed (the
    windows repeat one another: xz keeps a third of what zip keeps)."""
    import io
    import lzma

    import numpy as np

    names = sorted(set(feats["kind"]))
    buf = io.BytesIO()
    np.savez(
        buf,
        ids=np.fromiter((t for x in feats["input_ids"] for t in x), dtype=np.uint16),
        lengths=np.array([len(x) for x in feats["input_ids"]], dtype=np.uint8),
        ctx=np.array(feats["ctx"], dtype=np.uint8),
        start=np.array(feats["start"], dtype=np.uint8),
        end=np.array(feats["end"], dtype=np.uint8),
        kind=np.array([names.index(k) for k in feats["kind"]], dtype=np.uint8),
        kind_names=np.array(names),
    )
    Path(path).write_bytes(lzma.compress(buf.getvalue(), preset=6))


def pack_base(
    out: Path, keep: Callable[[str], bool] = lambda k: not k.startswith("pooler.")
) -> None:
    """A slim copy of the base model for `--base`: its config and the weights `keep` picks, in
    fp16 (by default all but the pooler: 45 MB instead of 91; `build_model` trains it in fp32).
    The frozen word-embedding matrix is then seen in training rounded to fp16 (at most 1e-3
    off); the app reads the base package's fp32 copy."""
    import shutil

    from safetensors.torch import load_file, save_file

    from bot.qa.reader_net import base_path

    src = Path(base_path())
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(src / "config.json", out / "config.json")
    state = load_file(str(src / "model.safetensors"))
    half = {k: v.half().contiguous() for k, v in state.items() if keep(k)}
    save_file(half, str(out / "model.safetensors"), metadata={"format": "pt"})


def unpack_features(path: str) -> dict[str, Any]:
    import io
    import lzma

    import numpy as np

    z = np.load(io.BytesIO(lzma.decompress(Path(path).read_bytes())))
    ends = np.cumsum(z["lengths"].astype(np.int64))
    flat = z["ids"].astype(np.int64).tolist()
    starts = [0, *ends[:-1].tolist()]
    names = [str(x) for x in z["kind_names"]]
    return {
        "input_ids": [flat[a:b] for a, b in zip(starts, ends.tolist(), strict=True)],
        "ctx": [tuple(x) for x in z["ctx"].tolist()],
        "start": z["start"].tolist(),
        "end": z["end"].tolist(),
        "kind": [names[k] for k in z["kind"].tolist()],
        "dropped": 0,
    }
