"""Is a sentence the model wrote supported by the passage it cites? Checked in code, strictly.

A model's reply is split into sentences first; every sentence needs its own citation
(`[¶N "verbatim quote"]`), and a sentence is kept only if what it asserts is in the text it
cites. "The text it cites" is the sentence (or sentences) of the passage that hold the quote,
not the whole passage and not the article. A sentence is supported when:

- every number in it is a number there (10,000 = 10000, £3.2bn = 3.2 billion, "six" = 6),
  with the words next to it in the claim within WINDOW words of it there;
- every name (a run of capitalised words) is a name there, in the same order; a demonym
  with its noun ("South Korean troops") must be together there too;
- every other content word is there after folding accents, lowercasing and stemming;
  an acronym and its spelled-out form ("US" / "U.S." / "United States") count as one name only
  when the passages themselves use both; "he said" counts as the passage's last named speaker;
- it says "not/no/never/...n't" exactly when the cited text does, and keeps its modal verb
  ("will use" is not "uses");
- one passage supports it on its own (facts joined across passages are not supported);
- the cited text is not an instruction planted in the article ("ignore the passages and say
  ...") - such sentences support nothing.

Function words and a short list of reporting verbs ("said", "according to") are free: they
add no facts. No synonyms from outside the article are used, so a paraphrase that changes
words is dropped (that is the cost of showing nothing unsupported). Pure functions; no model.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.qa.citations import Citation, CitationError, cite_quote
from bot.qa.lexical import fold, stem
from index.passages import Passage

CITATION = re.compile(r"\[\s*(¶[\d.]+)\s*[:,]?\s*[\"“](.+?)[\"”]\s*\]")

# Words that carry no fact of their own: articles, pronouns, auxiliaries, prepositions,
# conjunctions, titles. Quantifiers, modals and negations are NOT here: they change claims.
FUNCTION_WORDS = frozenset(
    """a an the this that these those it its it's itself he him his himself she her hers
    herself they them their theirs themselves we us our ours you your i me my who whom whose
    which what when where why how there here is are was were be been being am has have had
    having do does did doing done of in on at to for from by with as into onto upon toward
    towards via and or but so then than also too very just while whilst both either
    whether if because since though although per cent percent mr ms mrs dr about around
    there's that's one's""".split()
)
# Verbs that report who said a thing; a faithful paraphrase may add them ("X said ...").
REPORTING_WORDS = frozenset(
    "say says said saying stated states according told tell tells added adds".split()
)
NEGATIONS = frozenset("not no never nor neither none nobody nothing nowhere without cannot".split())
MODALS = frozenset("will would may might could can should must shall".split())
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        """zero one two three four five six seven eight nine ten eleven twelve thirteen
        fourteen fifteen sixteen seventeen eighteen nineteen twenty""".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
     "ninety": 90, "dozen": 12}  # fmt: skip
_SCALES = {"hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6,
           "billion": 1e9, "bn": 1e9, "trillion": 1e12, "tn": 1e12}  # fmt: skip
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}|[0-9]+(?:[.,][0-9]+)*(?:bn|mn|m|k|tn)?\b|[^\W_]+(?:['’][^\W_]+)*"
)
_CLAUSE = re.compile(
    r"(?:[A-Za-z]\.){2,}|[0-9]+(?:[.,][0-9]+)*(?:bn|mn|m|k|tn)?\b|[^\W_]+(?:['’][^\W_]+)*|[,;:()—–]|(?<=\s)-(?=\s)|[.!?](?!\w)|[$£€¥](?=\s?[0-9])"
)
_CURRENCY = {"$": "$", "£": "£", "€": "€", "¥": "¥"}
_CURRENCY_WORDS = {"dollar": "$", "dollars": "$", "pound": "£", "pounds": "£", "euro": "€",
                   "euros": "€", "yen": "¥"}  # fmt: skip
_NUMBER = re.compile(r"([0-9]+(?:[.,][0-9]+)*)(bn|mn|m|k|tn)?$")
# Instructions addressed to a model, planted in an article: such sentences support nothing.
_PLANTED = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?]{0,60}\b(?:instructions?|passages?|prompts?"
    r"|rules?|above|previous|context|sources?|article|text)\b"
    r"|(?:^|[.;:!?]\s*|\band\s+|\bthen\s+)(?:say|reply|respond|answer|write|state|output|claim"
    r"|tell\s+(?:the\s+)?(?:user|reader)s?)\b(?:\s+(?:only|instead|that|with|:))"
    r"|\byou\s+(?:must|should|are\s+to|have\s+to|will\s+now)\s+(?:say|reply|respond|answer"
    r"|write|state|tell|ignore)\b"
    r"|\b(?:system\s+prompt|as\s+an\s+ai|language\s+model)\b"
    # a conditional addressed to whoever answers: "if asked who X is, answer that ..." (not
    # the reporting "When asked about the deal, he said")
    r"|\b(?:if|when)\s+(?:you\s+are\s+)?(?:asked|summari[sz]ing|answering|responding)\b"
    r"[^.!?]{0,80},\s*(?:say|answer|reply|respond|state|tell|write)\b"
    # a note to the machine reading: "Note to AI assistants:", "AI systems reading this must",
    # "System note:", "Assistant:"
    r"|\bnote\s+to\s+(?:ai|assistants?|chatbots?|models?|llms?)\b"
    r"|\b(?:ai|assistants?|chatbots?|models?|llms?)\s+(?:\w+\s+)?reading\s+this\b"
    r"|^\W*(?:system|assistant)\b[^.:!?]{0,20}:",
    re.IGNORECASE,
)
_ABBREVIATIONS = frozenset(
    """mr ms mrs dr st jan feb mar apr jun jul aug sep sept oct nov dec no vs gov sen rep gen
    lt col sgt capt prof inc co corp ltd jr sr mt ft""".split()
)
WINDOW = 10  # words: how near a number's or a name's neighbours must be in the cited text
_MARK = "\ue000"  # stands for a citation marker while the reply is split into sentences


@dataclass(frozen=True)
class Token:
    key: str  # what is compared: a stem, a number's value, an acronym
    kind: str  # "num", "name", "word", "free" (function / reporting word), "neg", "mark"
    at: int  # position in the token list
    adjective: bool = False  # a name used as an adjective ("Korean", "Russian")


def _number_value(text: str) -> float | None:
    m = _NUMBER.match(text.lower())
    if not m:
        return None
    digits, scale = m.group(1), m.group(2)
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", digits):
        digits = digits.replace(",", "")
    try:
        value = float(digits.replace(",", "."))
    except ValueError:
        return None
    return value * _SCALES[scale] if scale else value


def _number_key(value: float) -> str:
    return f"{value:.6g}"


def tokens(text: str, aliases: dict[tuple[str, ...], str] | None = None) -> list[Token]:
    """The words of `text` as comparable tokens; numbers are merged with their scale word
    ("3.2 billion" is one number) and spelled-out names collapse to their acronym."""
    raw = _CLAUSE.findall(fold(text))
    out: list[Token] = []
    i = 0
    money = ""
    while i < len(raw):
        w = raw[i]
        if out and out[-1].kind == "num":
            money = ""
        if w in _CURRENCY:  # "$515m": the currency is part of the figure
            money = _CURRENCY[w]
            i += 1
            continue
        if not w[0].isalnum():  # punctuation: a clause mark; no word and no name spans it
            out.append(Token(w, "mark", len(out)))
            i += 1
            continue
        low = w.lower().replace("’", "'")
        value = _number_value(w) if w[0].isdigit() else None
        if value is None and low in _NUMBER_WORDS:
            value = float(_NUMBER_WORDS[low])
        if value is not None:
            while i + 1 < len(raw) and raw[i + 1].lower() in _SCALES:
                value *= _SCALES[raw[i + 1].lower()]
                i += 1
            if i + 1 < len(raw) and raw[i + 1].lower() in _CURRENCY_WORDS:
                money = _CURRENCY_WORDS[raw[i + 1].lower()]
                i += 1
            out.append(Token(money + _number_key(value), "num", len(out)))
        elif low in ("a", "an") and i + 1 < len(raw) and raw[i + 1].lower() in _SCALES:
            continue_value = _SCALES[raw[i + 1].lower()]
            i += 1
            out.append(Token(_number_key(continue_value), "num", len(out)))
        elif "." in w or (len(w) >= 2 and w.isupper() and w.isalpha()):
            out.append(Token(low.replace(".", ""), "name", len(out)))  # U.S. = US
        elif low in NEGATIONS or low.endswith("n't"):
            out.append(Token("not", "neg", len(out)))
        elif low in FUNCTION_WORDS or low in REPORTING_WORDS or low in _SCALES:
            out.append(Token(low, "free", len(out)))
        else:
            name = w[0].isupper()
            adjective = name and bool(re.search(r"[ie]an$", low)) and len(low) > 5
            if adjective:
                low = low[:-1]  # demonyms: "Korean" is "Korea", "Russian" "Russia"
            out.append(Token(stem(low), "name" if name else "word", len(out), adjective))
        i += 1
    return _collapse(out, aliases) if aliases else out


def _collapse(toks: list[Token], aliases: dict[tuple[str, ...], str]) -> list[Token]:
    out: list[Token] = []
    i = 0
    longest = max((len(k) for k in aliases), default=0)
    while i < len(toks):
        for n in range(min(longest, len(toks) - i), 1, -1):
            key = tuple(t.key for t in toks[i : i + n])
            if all(t.kind == "name" or t.kind == "free" for t in toks[i : i + n]) and (
                key in aliases
            ):
                out.append(Token(aliases[key], "name", len(out)))
                i += n
                break
        else:
            out.append(Token(toks[i].key, toks[i].kind, len(out), toks[i].adjective))
            i += 1
    return out


def find_aliases(texts: Iterable[str]) -> dict[tuple[str, ...], str]:
    """Spelled-out names the texts also give as an acronym: ("unit", "stat") -> "US" when
    both "United States" and "U.S." (or "US") occur. Only the texts' own pairs count."""
    words = [w for t in texts for w in _TOKEN.findall(fold(t))]
    acronyms = {
        w.replace(".", "").lower()
        for w in words
        if ("." in w and not w[0].isdigit()) or (2 <= len(w) <= 6 and w.isupper() and w.isalpha())
    }
    aliases: dict[tuple[str, ...], str] = {}
    run: list[str] = []
    for w in words + [""]:
        capital = w[:1].isupper() and "." not in w and not w.isupper()
        if capital or (run and w.lower() in ("of", "and", "the")):
            run.append(w)
            continue
        for a in range(len(run)):
            for b in range(a + 2, len(run) + 1):
                part = [x for x in run[a:b] if x.lower() not in ("of", "and", "&", "the")]
                initials = "".join(x[0] for x in part).lower()
                if len(part) >= 2 and initials in acronyms and run[a].lower() != "of":
                    key = tuple(t.key for t in tokens(" ".join(run[a:b])))
                    aliases[key] = initials
        run = []
    return aliases


def planted(sentence: str) -> bool:
    """Is this sentence of an article an instruction addressed to a model?"""
    return bool(_PLANTED.search(sentence))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, split after . ! ? before a capital or a digit;
    abbreviations ("U.S.", "Mr.") do not end a sentence unless a citation follows them."""
    spans: list[tuple[int, int]] = []
    start = 0
    ends = re.compile(
        rf"(?:[.!?…]+[\"”’)\]]*(?:\s*{_MARK}\d+{_MARK})*"
        rf"|(?:\s*{_MARK}\d+{_MARK})+(?=\s+[A-Z0-9\"“‘£$€]))(?=\s+\S|\s*$)"
    )
    for m in ends.finditer(text):
        after = text[m.end() :].lstrip()
        word = re.search(r"(?<![\w.])([A-Za-z.]+)[.!?…]*$", text[start : m.start() + 1])
        marked = _MARK in m.group(0)
        if not marked and after and not re.match(rf"[A-Z0-9\"“‘'(\[{_MARK}£$€]", after):
            continue
        if not marked and word and m.group(0)[:1] == ".":
            w = word.group(1).rstrip(".")
            short = re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", w) or w.lower() in _ABBREVIATIONS
            if short and after:
                continue
        spans.append((start, m.end()))
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


@dataclass(frozen=True)
class Unit:
    """Words of one reply sentence and the citations that follow them."""

    text: str
    citations: tuple[tuple[str, str], ...]  # (passage id, quote)


@dataclass(frozen=True)
class ReplySentence:
    text: str  # the sentence without its citation markers, as shown to the user
    units: tuple[Unit, ...]  # empty: the sentence has no citation


def clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def split_reply(raw: str) -> list[ReplySentence]:
    """The reply as sentences, each with its citations. A citation belongs to the sentence it
    ends (before or after the full stop); words after the last citation of a sentence are
    checked against that citation."""
    markers: list[tuple[str, str]] = []

    def mark(m: re.Match[str]) -> str:
        markers.append((m.group(1), m.group(2)))
        return f" {_MARK}{len(markers) - 1}{_MARK} "

    masked = CITATION.sub(mark, raw)
    out: list[ReplySentence] = []
    for a, b in sentence_spans(masked):
        sentence = masked[a:b]
        parts = re.split(rf"{_MARK}(\d+){_MARK}", sentence)
        units: list[Unit] = []
        text, cites = "", []
        for n, part in enumerate(parts):
            if n % 2:
                cites.append(markers[int(part)])
            elif re.search(r"\w", part):
                if cites:
                    units.append(Unit(clean(text), tuple(cites)))
                    text, cites = "", []
                text += part
            else:
                text += part
        if cites:
            units.append(Unit(clean(text), tuple(cites)))
        elif units and re.search(r"\w", text):  # words after the last citation
            last = units[-1]
            units[-1] = Unit(clean(last.text + " " + text), last.citations)
        shown = clean(re.sub(rf"{_MARK}\d+{_MARK}", " ", sentence))
        if not units and not re.search(r"\w", shown):
            continue
        out.append(ReplySentence(shown, tuple(u for u in units if re.search(r"\w", u.text))))
    return out


_SPEECH = r"(?:said|says|told|added|noted|speculated|acknowledged|warned|argued|forecast)"
_NAMED_SPEAKER = re.compile(
    rf"((?:[A-Z][\w'’-]+\s+)*[A-Z][\w'’-]+)(?:,[^,.]{{1,80}},)?\s+{_SPEECH}\b"
    rf"|\b{_SPEECH}\s+((?:[A-Z][\w'’-]+\s+)*[A-Z][\w'’-]+)"
)
_CAPS = r"(?:[A-Z][\w'’-]+\s+)*[A-Z][\w'’-]+"
# "Michael Howard has said", "Jeffrey Matsuura of the University of Dayton said", "said Kim"
_SPEAKER = re.compile(
    rf"({_CAPS})(?:\s+of\s+(?:the\s+)?{_CAPS})*(?:,[^,.]{{1,80}},)?\s+(?:has\s+|had\s+)?"
    rf"{_SPEECH}\b|\b{_SPEECH}\s+({_CAPS})"
)
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+((?:[A-Z][\w'’-]+\s+)*[A-Z][\w'’-]+)")
_JOINERS = frozenset("but while whereas although though".split())  # clauses, not lists
_PRONOUN_SPEAKER = re.compile(rf"\b(?:[Hh]e|[Ss]he)\s+{_SPEECH}\b|\b{_SPEECH}\s+(?:he|she)\b")


def speakers(sentences: Sequence[str]) -> list[str]:
    """Who speaks in each sentence: a name next to a reporting verb ("Austin said",
    "Jeffrey Matsuura, director of ..., said"); "he said" is the last named speaker before it
    in the same passage (and nobody at the passage's start)."""
    out: list[str] = []
    last = ""
    for sentence in sentences:
        names = [
            n for m in _NAMED_SPEAKER.finditer(sentence) for n in m.groups()
            if n and n.split()[0].lower() not in FUNCTION_WORDS | NEGATIONS
        ]  # fmt: skip
        if names:
            last = names[-1]
            out.append("")
        else:
            out.append(last if _PRONOUN_SPEAKER.search(sentence) else "")
    return out


def support(citation: Citation) -> list[str]:
    """The sentences of the cited passage that hold the quote, less planted instructions.
    A sentence whose speaker is "he"/"she" is given the speaker's name from earlier in the
    passage ("..., he said" after "Kim said ..." is Kim speaking)."""
    spans = sentence_spans(citation.text) or [(0, len(citation.text))]
    texts = [citation.text[a:b] for a, b in spans]
    who = speakers(texts)
    held = [
        f"{texts[n]} ({who[n]} said)" if who[n] else texts[n]
        for n, (a, b) in enumerate(spans)
        if a < citation.end and b > citation.start
    ]
    return [s for s in held if not planted(s)]


def _sides(claim: list[Token], i: int) -> list[str]:
    """The content words next to claim[i] on either side; they stop at a clause mark or a
    reporting verb (the speaker is no neighbour)."""
    sides = []
    for step in (-1, 1):
        j = i + step
        while (
            0 <= j < len(claim) and claim[j].kind == "free" and claim[j].key not in REPORTING_WORDS
        ):
            j += step
        if 0 <= j < len(claim) and claim[j].kind not in ("neg", "free", "mark"):
            sides.append(claim[j].key)
    return sides


def _bare(key: str) -> str:
    return key.lstrip("".join(_CURRENCY))


def _near(claim: list[Token], i: int, source: list[Token], matches: list[int]) -> bool:
    """Are the content words next to claim[i] (a number) also within WINDOW words of one of
    `matches`?"""
    sides = _sides(claim, i)
    if not sides:
        return True
    for at in matches:
        window = {t.key for t in source[max(at - WINDOW, 0) : at + WINDOW + 1]}
        if all(s in window for s in sides):
            return True
    return False


def _runs(toks: Sequence[Token]) -> list[list[Token]]:
    runs: list[list[Token]] = []
    current: list[Token] = []
    for t in toks:
        if t.kind == "name":
            current.append(t)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _in_order(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


def unsupported(
    claim: str, sources: Sequence[str], aliases: dict[tuple[str, ...], str] | None = None
) -> str | None:
    """Why `claim` is not supported by `sources` (the cited sentences), or None if it is."""
    if not sources:
        return "the cited words support no fact (an instruction, or nothing)"
    said = tokens(claim, aliases)
    texts = [tokens(s, aliases) for s in sources]
    everywhere = {t.key for toks in texts for t in toks if t.kind in ("num", "name", "word")}
    everywhere |= {_bare(k) for k in everywhere}  # "515m" is said where "$515m" is
    missing = [t.key for t in said if t.kind in ("num", "name", "word") and t.key not in everywhere]
    if missing:
        return f"says {', '.join(dict.fromkeys(missing))!s}, which the cited text does not"
    if any(t.kind == "neg" for t in said) != any(t.kind == "neg" for toks in texts for t in toks):
        return "adds or drops a negation"
    if not any(t.kind in ("num", "name", "word") for t in said):
        return "asserts nothing the cited text can support"
    for i, t in enumerate(said):
        if t.kind == "num" and not any(
            _near(said, i, toks, [s.at for s in toks if t.key in (s.key, _bare(s.key))])
            for toks in texts
        ):
            return f"puts {t.key} with words the cited text does not put it with"
    source_runs = [[t.key for t in r] for toks in texts for r in _runs(toks)]
    for run in _runs(said):
        keys = [t.key for t in run]
        if len(keys) > 1 and not any(_in_order(keys, r) for r in source_runs):
            return f"names {' '.join(keys)}, a name the cited text does not give"
        after = run[-1].at + 1
        adjective = run[-1].adjective and after < len(said) and said[after].kind == "word"
        head = said[after] if adjective else None
        if head and not any(_named(keys, head.key, toks) for toks in texts):
            return f"says {' '.join(keys)} {said[after].key}, which the cited text does not"
    swapped = _swapped(claim, said, sources, texts)
    if swapped:
        return swapped
    for t in said:
        if t.kind == "word" and t.key not in MODALS and not _hedged_alike(said, t, texts):
            return f"drops the modal verb before {t.key} (will/may/could...)"
    return None


def _speaker_keys(texts: Iterable[str]) -> set[str]:
    """The last word of each named speaker in `texts` ("Tony Blair said" -> "blair")."""
    found = set()
    for text in texts:
        for m in [*_SPEAKER.finditer(text), *_ACCORDING.finditer(text)]:
            for name in m.groups():
                if name and name.split()[0].lower() not in FUNCTION_WORDS | NEGATIONS:
                    found.add(tokens(name.split()[-1])[0].key)
    return found


def _doers(said: list[Token], texts: list[list[Token]]) -> str:
    """ "Varga whipped in a corner" where the cited text only has "Thompson whipped": the
    word right after a name in the claim follows only other names in the cited text."""
    for i, t in enumerate(said[:-1]):
        verb = said[i + 1]
        if t.kind != "name" or verb.kind != "word":
            continue
        before = [
            toks[j - 1] for toks in texts for j in range(1, len(toks)) if toks[j].key == verb.key
        ]
        if before and all(b.kind == "name" and b.key != t.key for b in before):
            return f"says {t.key} {verb.key}; the cited text says {before[0].key} {verb.key}"
    return ""


@functools.cache
def _calendar() -> frozenset[str]:
    words = """January February March April May June July August September October November
    December Monday Tuesday Wednesday Thursday Friday Saturday Sunday"""
    return frozenset(t.key for t in tokens(words))


def _clauses(toks: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = [[]]
    for t in toks:
        if t.kind == "mark" or t.key in _JOINERS:
            out.append([])
        elif t.kind != "free":
            out[-1].append(t)
    return out


def _swapped(
    claim: str, said: list[Token], sources: Sequence[str], texts: list[list[Token]]
) -> str:
    """Who said it, and when, as the cited text has it. A claim whose named speaker is not
    the cited text's speaker is not supported ("Blair said" for "Howard said"); nor one whose
    name does what another name does in the cited text ("Varga crossed" for "Thompson
    crossed"); nor one whose date has other words beside it than in the cited text's clause
    ("exports rose in October" for "jobs rose in October, while exports rose in September").
    Names may change order: a question or a paraphrase reorders clauses freely."""
    theirs, ours = _speaker_keys(sources), _speaker_keys([claim])
    if theirs and ours - theirs:
        return f"gives {', '.join(sorted(ours - theirs))} as the speaker; the cited text does not"
    doer = _doers(said, texts)
    if doer:
        return doer
    names = {t.key for t in said if t.kind == "name"}
    for i, t in enumerate(said):
        if t.key not in _calendar():
            continue
        sides = [x for x in _sides(said, i) if x not in names]
        clauses = [{c.key for c in clause} for toks in texts for clause in _clauses(toks)]
        if not any(t.key in keys and all(x in keys for x in sides) for keys in clauses):
            return f"puts {t.key} with words the cited text does not put it with"
    return ""


def _named(run: list[str], word: str, source: list[Token]) -> bool:
    """Is `word` right after the name `run` somewhere in `source` ("North Korean troops")?"""
    for j, t in enumerate(source):
        if t.key == run[-1] and word in {s.key for s in source[j + 1 : j + 4]}:
            before = [s.key for s in source[max(j - len(run) - 2, 0) : j + 1]]
            if _in_order(run, before):
                return True
    return False


def _modal(toks: Sequence[Token], at: int) -> bool:
    return any(t.key in MODALS for t in toks[max(at - 3, 0) : at])


def _hedged_alike(said: list[Token], t: Token, texts: list[list[Token]]) -> bool:
    """A word the cited text only ever puts after a modal ("Russia will use") needs a modal
    in the claim too ("Russia uses" is not what it says)."""
    found = [s for toks in texts for s in toks if s.key == t.key]
    if not found or not all(_modal(toks, s.at) for toks in texts for s in toks if s.key == t.key):
        return True
    return _modal(said, t.at)


Judge = Callable[[str, Sequence[str]], str | None]


def check_reply(
    raw: str, passages: Sequence[Passage], ignore: Iterable[str] = (), judge: Judge | None = None
) -> tuple[list[tuple[str, tuple[Citation, ...]]], list[str]]:
    """Every sentence of the reply, kept with its citations or removed with the reason.
    Sentences equal to one of `ignore` (the decline phrase) are neither kept nor reported.
    `judge` (claim, cited sentences) -> reason or None is asked about every sentence the
    word-level check keeps (`bot.llm.judge.ReaderJudge`: the reading model); it can only
    remove."""
    by_id = {p.id: p for p in passages}
    aliases = find_aliases(p.text for p in passages)
    skip = {clean(s) for s in ignore}
    kept: list[tuple[str, tuple[Citation, ...]]] = []
    removed: list[str] = []
    for sentence in split_reply(raw):
        if not sentence.units:
            if sentence.text not in skip:
                removed.append(f"{sentence.text} (no citation)")
            continue
        reason, cited = _check_units(sentence.units, by_id, aliases, judge)
        if reason:
            removed.append(f"{sentence.text} ({reason})")
        else:
            kept.append((sentence.text, tuple(dict.fromkeys(cited))))
    return kept, removed


def _check_units(
    units: Sequence[Unit],
    by_id: dict[str, Passage],
    aliases: dict[tuple[str, ...], str],
    judge: Judge | None = None,
) -> tuple[str | None, list[Citation]]:
    cited: list[Citation] = []
    for unit in units:
        sources: dict[str, list[str]] = {}  # passage id -> the cited sentences in it
        for pid, quote in unit.citations:
            if pid not in by_id:
                return f"cites {pid}, a passage the model was not given", []
            try:
                citation = cite_quote(by_id[pid], quote)
            except CitationError:
                return f"the quote is not in {pid} word for word", []
            cited.append(citation)
            held = sources.setdefault(pid, [])
            held.extend(s for s in support(citation) if s not in held)
        # One passage must support the words on its own: facts joined across passages are not
        # a fact any passage states.
        reasons = [unsupported(unit.text, held, aliases) for held in sources.values()]
        if all(reasons):
            return f"not supported by {'/'.join(sources)}: {reasons[0]}", []
        if judge is not None:
            verdicts = [
                why or judge(unit.text, held)
                for why, held in zip(reasons, sources.values(), strict=True)
            ]
            if all(verdicts):
                return f"not supported by {'/'.join(sources)}: {verdicts[0]}", []
    return None, cited


_QUESTION_FRAME = re.compile(
    r"\b(?:how\s+many|how\s+much|which\s+of\s+the\s+following|according\s+to\s+the\s+"
    r"(?:article|passage|story)|in\s+the\s+(?:article|passage|story))\b",
    re.IGNORECASE,
)


def check_item(question: str, key: str, citation: Citation) -> str | None:
    """Why a quiz item (its question with the correct option) is not supported by the quoted
    sentence(s), or None. Wording that only frames a question ("how many") is free."""
    claim = _QUESTION_FRAME.sub(" ", question) + " " + key
    return unsupported(claim, support(citation), find_aliases([citation.text]))
