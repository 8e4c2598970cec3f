"""The extractive reader: a tiny real training run (data building, encoding, a few optimiser
steps, checkpoint and export), then loading its weights (checksum checked) and reading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.qa import reader as rd
from bot.qa import reader_inputs as ri
from bot.qa import reader_net as rn

TINY = Path(__file__).parent / "data" / "reader_tiny_squad.json"


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bot.dev import train_reader

    work = tmp_path_factory.mktemp("reader-run")
    out = work / "out"
    args = ["--out", str(out), "--work", str(work), "--train", str(TINY)]
    args += ["--max-windows", "24", "--steps", "2", "--batch", "4", "--no-ner", "--log-every", "1"]
    assert train_reader.main(args) == 0
    log = (work / "train.log").read_text()
    assert "step 2/" in log and "done after 2 steps" in log
    assert (work / "ckpt" / "ckpt.pt").is_file()
    windows = json.loads(next(work.glob("windows-*.json")).read_text())
    kinds = {w["kind"] for w in windows}
    assert {"pos", "neg", "unans"} <= kinds
    # every positive's answer lies inside its window
    data = json.loads(TINY.read_text())["data"]
    golds = {
        qa["question"]: {a["text"] for a in qa["answers"]}
        for art in data
        for p in art["paragraphs"]
        for qa in p["qas"]
    }
    for w in windows:
        if w["kind"] == "pos":
            a, b = w["ans"]
            assert w["text"][a:b] in golds[w["q"]]
        else:
            assert w["ans"] is None
    return out / "reader.safetensors"


def test_packed_windows_train_the_same_way(trained: Path, tmp_path: Path) -> None:
    """The GPU path: windows packed to one .npz.xz, then trained from the pack (no spaCy, no
    build) for two epochs; the pack holds exactly the windows the build encoded."""
    import torch

    from bot.dev import train_reader

    work = trained.parent.parent
    pack = tmp_path / "feats.npz.xz"
    common = ["--train", str(TINY), "--max-windows", "24", "--no-ner"]
    assert (
        train_reader.main(
            ["--out", str(tmp_path), "--work", str(work), *common, "--pack", str(pack)]
        )
        == 0
    )
    built = torch.load(next(work.glob("features-*.pt")))
    packed = train_reader.unpack_features(str(pack))
    assert [list(x) for x in packed["input_ids"]] == [list(x) for x in built["input_ids"]]
    assert packed["start"] == built["start"] and packed["kind"] == built["kind"]
    run = tmp_path / "run"
    base = tmp_path / "base"  # the slim fp16 base copy written beside the pack
    assert (base / "config.json").is_file()
    assert (base / "model.safetensors").stat().st_size < 50e6
    args = ["--out", str(run / "out"), "--work", str(run), "--features", str(pack)]
    args += ["--base", str(base), "--epochs", "2", "--batch", "16", "--log-every", "1"]
    assert train_reader.main(args) == 0
    n = len(built["input_ids"])
    steps = 2 * -(-n // 16)  # ceil(n / 16) batches per epoch, two epochs
    assert f"done after {steps} steps" in (run / "train.log").read_text()
    assert (run / "out" / "reader.safetensors").is_file()


def test_off_topic_negatives_pair_a_question_with_a_window_that_lacks_its_answer() -> None:
    from bot.dev.reader_data import off_topic

    def pos(q: str, text: str, answer: str) -> dict:
        at = text.index(answer)
        return {
            "kind": "pos",
            "q": q,
            "text": text,
            "ss": 0,
            "se": len(text),
            "sents": [],
            "ans": [at, at + len(answer)],
        }

    examples = [
        pos("Who founded Rome?", "Romulus founded Rome.", "Romulus"),
        pos("What is H2O?", "H2O is water.", "water"),
        pos("Who was Romulus's brother?", "Remus was the brother of Romulus.", "Remus"),
    ]
    made = off_topic(examples, 20, seed=3)
    assert len(made) == 20
    for x in made:
        assert x["kind"] == "off" and x["ans"] is None
        own = next(e for e in examples if e["q"] == x["q"])
        answer = own["text"][own["ans"][0] : own["ans"][1]]
        assert x["text"] != own["text"] and answer.lower() not in x["text"].lower()
    # "Romulus" is in the third window: the first question is never paired with it
    assert not any(x["q"] == "Who founded Rome?" and "Remus" in x["text"] for x in made)
    assert off_topic(examples[:1], 5, seed=3) == []  # nothing to pair with: none, and it ends


def test_training_exports_small_weights(trained: Path) -> None:
    from safetensors import safe_open

    assert trained.stat().st_size < 25e6
    with safe_open(str(trained), "pt") as f:
        keys = set(f.keys())
        assert "qa.weight" in keys and rn.FROZEN[0] not in keys
        assert str(f.get_tensor("qa.weight").dtype) == "torch.float16"


def test_bad_checksum_is_a_clear_error(trained: Path, tmp_path: Path) -> None:
    with pytest.raises(rn.ReaderIntegrityError, match="reader.safetensors failed the integrity"):
        rd.Reader.load(trained, sha256="0" * 64)
    with pytest.raises(rn.ReaderIntegrityError, match="not found"):
        rd.Reader.load(tmp_path / "nothing.safetensors")


def test_read_one_forward_pass(trained: Path) -> None:
    reader = rd.Reader.load(trained, sha256=rn.sha256_file(trained))
    assert rd.Reader.load(trained, sha256=rn.sha256_file(trained)) is reader  # cached
    text = (
        "The harbour bridge opened in 1932 after eight years of work. It was designed by "
        "John Bradfield, the chief engineer. About 160,000 vehicles cross it every day."
    )
    windows = ri.paragraph_windows(text, ri.sentence_spans([text])[0])
    assert len(windows) == 3 and windows[1].text == text
    results = reader.read("Who designed the bridge?", windows)
    assert [r.window for r in results] == [0, 1, 2]
    for r, w in zip(results, windows, strict=True):
        assert 0 <= r.start < r.end <= len(w.text) and r.text == w.text[r.start : r.end]
        assert r.sentence[0] <= r.start < r.sentence[1]
        assert r.sentence_text == w.text[r.sentence[0] : r.sentence[1]]
        assert r.margin == pytest.approx(r.null_score - r.span_score)
    assert reader.read("Who?", []) == []


def test_long_window_is_trimmed_around_its_sentence() -> None:
    tok = rn.load_tokenizer()
    filler = "Nothing happened on that day in the small town. " * 20
    text = filler + "The mayor was Ann Lee." + " " + filler
    s = len(filler)
    w = ri.Window(text, s, s + len("The mayor was Ann Lee."))
    enc = ri.encode_pairs(tok, ["Who was the mayor?"], [w])
    assert len(enc.input_ids[0]) <= ri.MAX_LENGTH
    c0, c1 = enc.ctx[0]
    assert enc.offsets[0][c0][0] < s and enc.offsets[0][c1 - 1][1] > w.sent_end


def test_shipped_weights_match_their_checksum() -> None:
    if not rd.WEIGHTS_SHA256:
        pytest.skip("reader weights not shipped yet")
    file = rd.MODEL_DIR / rd.WEIGHTS_FILE
    assert rn.sha256_file(file) == rd.WEIGHTS_SHA256
