"""Who is who: the people an article names, each under all of its names, with the role the
article gives and the evidence that it is a person.

spaCy's small model labels many things PERSON that are not people (a company, a bill's last
word, a book, hold music, a football ground) and misses people it labels ORG or GPE. So a
PERSON entity is a candidate only, and it is kept only on evidence that holds in news:

- ``speaker``: it says something ("X said", "said X", "X told", "X:", "according to X");
- ``title``: an honorific or a capitalised title just before it ("Ms Essex", "Sir Alan Budd",
  "Finance Minister Sue Essex");
- ``role``: the article says what it is, before the name ("Defense Secretary Lloyd Austin",
  "The Scottish National Party's Holyrood leader, Nicola Sturgeon") or after it in apposition
  ("Nicholas Negroponte, chairman and founder of MIT's Media Labs,");
- ``pronoun``: "he" or "she" refers back to it in the same or the next sentence, with no other
  name in between.

A mention is never a person when it is part of a longer proper noun ("...Provisions) Bill",
"Elland Road", "Marsh & McLennan") or named as a thing ("the album Exodus", "the book Being
Digital"). A capitalised run that spaCy did not label PERSON becomes a candidate only with an
honorific or a role. Every name form is one person: full name, surname or first name alone
(resolved to the most recent full name it fits), "Mr/Ms/Sir X", possessives.

Pure and deterministic; spaCy is imported only by `people_in`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

EVIDENCE_ORDER = ("speaker", "title", "role", "pronoun")

HONORIFICS = frozenset(
    "mr mrs ms miss mx dr sir lord lady dame prof professor rev reverend baroness baron "
    "messrs".split()
)
# Role head nouns (lower case). A role phrase must end in (before a name) or contain (after a
# name) one of these; "Mr"/"Ms" are honorifics, never roles.
ROLE_NOUNS = frozenset(
    """
    minister secretary president vice-president chancellor premier leader deputy spokesman
    spokeswoman spokesperson chairman chairwoman chairperson chair co-chairman founder
    co-founder director executive chief boss manager coach analyst economist strategist reporter
    correspondent editor journalist columnist official officer attorney general governor senator
    congressman congresswoman representative mp mep msp mayor councillor king queen prince
    princess judge justice professor lecturer researcher scientist actor actress singer star
    musician rapper artist photographer designer author writer novelist poet producer composer
    comedian presenter host broadcaster dj striker keeper goalkeeper midfielder defender winger
    forward captain skipper player substitute champion athlete sprinter head partner owner
    investor entrepreneur businessman businesswoman tycoon lawyer solicitor barrister prosecutor
    commissioner ambassador envoy diplomat adviser advisor consultant expert specialist inspector
    detective constable admiral colonel commander sergeant campaigner activist candidate nominee
    attendant pilot doctor surgeon nurse teacher headteacher headmaster headmistress principal
    dean chef ceo cfo coo inventor engineer developer designer programmer blogger founder
    creator architect trainer jockey driver rider cyclist boxer golfer batsman bowler referee
    umpire whip speaker treasurer regulator trustee bishop archbishop priest vicar cardinal pope
    superintendent lieutenant marshal sheriff economist chairman president-elect
    vice-chairman managing heir heiress veteran legend icon frontman frontwoman guitarist
    drummer bassist vocalist conductor dancer choreographer filmmaker screenwriter playwright
    novelist historian academic analyst auditor banker broker trader accountant supremo
    """.split()
)
# Common nouns that name a thing: "the album Exodus", "the charity Mencap".
THING_NOUNS = frozenset(
    """
    album single song track record book novel biography memoir film movie documentary show
    series programme program sitcom drama play musical opera exhibition charity company firm
    group band brand label range product magazine newspaper paper website site blog game
    bill act law scheme project club team side stadium ground venue hotel restaurant ship horse
    character music tune drug device software system network station channel festival event
    campaign report study survey fund index award prize trophy cup app phone console handset
    car model plan policy organisation organization agency union party chart diet store shop
    chain airline bank service title edition issue column
    """.split()
)
# Last words that make a capitalised run a place, an institution, a law, a club...
NONPERSON_LAST = frozenset(
    """
    road street lane avenue square park stadium ground bridge hall house centre center
    theatre theater bill act party council inc ltd plc corp group fc united city rovers athletic
    town albion county wanderers hotspur wednesday records airlines airline labs laboratories
    university college school institute hospital commission committee association federation
    foundation trust fund index chart awards festival cup league day
    """.split()
)
SPEECH_VERBS = frozenset(
    """
    say tell add insist claim argue explain state warn note reply comment announce admit
    suggest speculate describe forecast remember recall ask agree accept acknowledge urge predict
    write confirm stress emphasise emphasize maintain concede complain respond declare
    reveal believe think call speak told said
    """.split()
)
SUBJECT_PRONOUNS = frozenset({"he", "she"})
OTHER_PERSON_PRONOUNS = frozenset({"him", "himself", "herself"})
# party and other affiliation words spaCy puts inside a PERSON entity ("Tory David McLetchie")
AFFILIATIONS = frozenset(
    "tory tories labour conservative liberal democrat democratic republican socialist green "
    "ukip snp plaid independent unionist nationalist".split()
)
NOT_NAME_FIRST = frozenset(
    "the a an this that these those being and or of for with all new old our my his her its "
    "their your".split()
)
_QUERY_LEAD = re.compile(
    r"^\s*(?:who|what)\s*(?:is|was|'s|’s)?\s+|^\s*tell me about\s+|^\s*about\s+", re.I
)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_DASHES = frozenset({"-", "–", "—", "--"})


@dataclass(frozen=True)
class Person:
    """One person in an article under all of its names."""

    name: str
    aliases: tuple[str, ...]
    role: str | None
    role_span: tuple[int, int] | None
    mentions: tuple[tuple[int, int], ...]
    evidence: tuple[str, ...]


@dataclass
class _Mention:
    start: int  # first token of the name words (after any honorific)
    end: int  # one past the last name token (possessive excluded)
    lead: int  # first token including an honorific
    words: tuple[str, ...]
    honorific: str | None
    spacy_person: bool
    char_start: int
    char_end: int
    roles: list[tuple[int, str, int, int]] = field(default_factory=list)  # (rank, text, s, e)
    evidence: set[str] = field(default_factory=set)


@dataclass
class _Cluster:
    mentions: list[_Mention] = field(default_factory=list)

    @property
    def full_words(self) -> tuple[str, ...]:
        return max((m.words for m in self.mentions), key=len)


# --------------------------------------------------------------------------- helpers


def _norm(word: str) -> str:
    return re.sub(r"[^a-z]", "", word.lower())


def _key(words: Sequence[str]) -> str:
    return "".join(_norm(w) for w in words)


def _is_cap(tok: Token) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and any(c.isalpha() for c in t)


def _is_honorific(tok: Token) -> bool:
    return _is_cap(tok) and tok.text.rstrip(".").lower() in HONORIFICS


def _is_possessive(tok: Token) -> bool:
    return tok.text in ("'s", "’s", "'", "’") or tok.tag_ == "POS"


def _is_role_word(tok: Token) -> bool:
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    low = tok.text.lower()
    return low in ROLE_NOUNS or tok.lemma_.lower() in ROLE_NOUNS


def _is_dash(tok: Token) -> bool:
    return tok.text in _DASHES and (
        bool(tok.whitespace_) or tok.i == 0 or bool(tok.nbor(-1).whitespace_)
    )


def _name_token(tok: Token) -> bool:
    """A token that can be part of a name: capitalised proper noun, a hyphen inside a
    hyphenated name, an initial ("C."), the lower-case part after a hyphen ("Tae-yul")."""
    if tok.text == "-" and not tok.whitespace_ and tok.i > 0 and not tok.nbor(-1).whitespace_:
        return True
    if tok.i > 0 and tok.nbor(-1).text == "-" and not tok.nbor(-1).whitespace_ and tok.is_alpha:
        prev2 = tok.nbor(-2) if tok.i > 1 else None
        return prev2 is not None and _is_cap(prev2)
    return (
        _is_cap(tok)
        and (tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON")
        and tok.is_alpha
        or (
            bool(
                re.fullmatch(
                    r"[A-Z]\.|[A-Z][a-z]*['’][A-Z][a-z]+|[A-Z][a-z]+-[A-Z][a-z]+", tok.text
                )
            )
        )
    )


def _valid_words(words: Sequence[str]) -> bool:
    if not words or words[0].lower() in NOT_NAME_FIRST:
        return False
    for w in words:
        if any(c.isdigit() for c in w) or not w[0].isupper():
            return False
    # an acronym alone (BBC, WLGA) is an organisation
    return not (len(words) == 1 and len(words[0]) > 2 and words[0].isupper())


def _make_mention(doc: Doc, start: int, end: int, spacy_person: bool) -> _Mention | None:
    """Name tokens [start, end): strip determiners, honorifics and capitalised title words in
    front, possessives and lower-case words at the end."""
    while start < end and (
        doc[start].lower_ in ("the", "a", "an")
        or _is_honorific(doc[start])
        or (_is_role_word(doc[start]) and end - start > 1)
        or (doc[start].lower_ in AFFILIATIONS and end - start > 2)
        or doc[start].text in ("(", ")", ",")
    ):
        start += 1
    while end > start and (_is_possessive(doc[end - 1]) or not _name_token(doc[end - 1])):
        end -= 1
    if start >= end:
        return None
    for i in range(start, end):
        if not _name_token(doc[i]) and not _is_possessive(doc[i]):
            return None
    span = doc[start:end]
    words = tuple(span.text.replace("’s", "").replace("'s", "").split())
    if not _valid_words(words):
        return None
    lead = start
    honorific = None
    if start > 0 and _is_honorific(doc[start - 1]):
        lead = start - 1
        honorific = doc[start - 1].text
    return _Mention(
        start=start,
        end=end,
        lead=lead,
        words=words,
        honorific=honorific,
        spacy_person=spacy_person,
        char_start=doc[lead].idx,
        char_end=span.end_char,
    )


def _segments(ent: Span) -> Iterable[tuple[int, int]]:
    """An entity split at dashes, brackets, commas and colons ("Rob Partridge - Marley's")."""
    start = ent.start
    for tok in ent:
        if tok.text in ("(", ")", ",", ":", ";", "/", "&") or _is_dash(tok):
            if tok.i > start:
                yield start, tok.i
            start = tok.i + 1
    if ent.end > start:
        yield start, ent.end


def _prev(doc: Doc, i: int) -> Token | None:
    return doc[i - 1] if i > 0 else None


def _next(doc: Doc, i: int) -> Token | None:
    return doc[i] if i < len(doc) else None


def _excluded(doc: Doc, m: _Mention) -> bool:
    """Part of a longer proper noun, or named as a thing."""
    if _norm(m.words[-1]) in NONPERSON_LAST:
        return True
    before = _prev(doc, m.lead)
    after_i = m.end
    while after_i < len(doc) and _is_possessive(doc[after_i]):
        after_i += 1
    after = _next(doc, m.end)
    if before is not None and m.honorific is None and _role_before(doc, m) is None:
        if before.text in (")", "&") or before.text == "(" and after and after.text == ")":
            return True
        if (
            _is_cap(before)
            and before.pos_ == "PROPN"
            and not before.is_sent_start
            and not _is_role_word(before)
            and before.ent_type_ not in ("DATE", "TIME", "GPE", "NORP", "ORDINAL", "CARDINAL")
        ):
            return True
        # "the album Exodus", "the exhibition, Fonetography,"
        root = doc[m.start : m.end].root
        desc: Token | None = before
        if before.text == "," and before.i > 0:
            desc = doc[before.i - 1]
            if not (root.dep_ == "appos" and root.head.i == before.i - 1):
                desc = None
        if desc is not None and desc.pos_ == "NOUN" and desc.lemma_.lower() in THING_NOUNS:
            return True
    if after is not None and after_i == m.end:
        if after.text == "&":
            return True
        if (
            _is_cap(after)
            and after.pos_ == "PROPN"
            and not after.is_sent_start
            and after.ent_type_ not in ("DATE", "TIME")
        ):
            return True
    root = doc[m.start : m.end].root
    return root.dep_ == "compound" and root.head.lemma_.lower() in THING_NOUNS


# --------------------------------------------------------------------------- roles


_NP_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM"})


def _walk_left(doc: Doc, i: int, allow_det: bool, head_limit: int) -> int:
    """Start of the noun phrase that ends at token i (inclusive), within the sentence."""
    sent_start = doc[i].sent.start
    j = i
    while j - 1 >= sent_start:
        t = doc[j - 1]
        if not (t.i < t.head.i < head_limit or _is_possessive(t)):
            break  # its head is outside the phrase: "After the announcement WLGA spokesman X"
        if t.pos_ in _NP_POS or _is_possessive(t) or t.text in ("-", "&") and not t.whitespace_:
            j -= 1
        elif t.lower_ == "of" and j - 2 >= sent_start and _is_cap(doc[j - 2]) and _is_cap(doc[j]):
            j -= 1  # "Secretary of State"
        elif t.lower_ == "the" and j - 2 >= sent_start and doc[j - 2].lower_ == "of":
            j -= 1  # "Chancellor of the Exchequer"
        elif allow_det and t.pos_ == "DET" and t.lower_ in ("the", "a", "an"):
            j -= 1
            break
        else:
            break
    while j < i and (doc[j].text in ("-", "&") or _is_possessive(doc[j])):
        j += 1
    return j


def _role_text(doc: Doc, s: int, e: int) -> tuple[str, int, int]:
    """Text and char span of tokens [s, e); a plural head noun is given in the singular."""
    span = doc[s:e]
    text = span.text
    last = doc[e - 1]
    if last.tag_ == "NNS" and last.lemma_ and last.lemma_ != last.text:
        text = text[: last.idx - span.start_char] + last.lemma_
    return text, span.start_char, span.end_char


def _role_before(doc: Doc, m: _Mention) -> tuple[str, int, int, bool] | None:
    """ "Finance Minister Sue Essex", "Secretary of State Antony Blinken". Returns the role and
    whether it reads as a capitalised title."""
    i = m.lead - 1
    if i < 0:
        return None
    end = i
    # "Secretary of State X": walk back over a capitalised title run to its role word
    k = i
    while (
        k >= 0 and not _is_role_word(doc[k]) and (_is_cap(doc[k]) or doc[k].lower_ in ("of", "the"))
    ):
        if doc[k].ent_type_ == "PERSON" or k < i - 3:
            return None
        k -= 1
    if k < 0 or not _is_role_word(doc[k]) or doc[k].sent != doc[i].sent:
        return None
    if k != i and not _is_cap(doc[k]):
        return None
    if doc[k].lower_ == "general" and not _is_cap(doc[k]) and doc[k - 1].lower_ != "attorney":
        return None  # "general" is a role only as "attorney general" or a capitalised rank
    s = _walk_left(doc, k, allow_det=False, head_limit=m.end)
    while s < end and doc[s].lower_ in ("the", "a", "an"):
        s += 1
    text, cs, ce = _role_text(doc, s, end + 1)
    return text, cs, ce, _is_cap(doc[end])


def _role_comma_before(doc: Doc, m: _Mention) -> tuple[str, int, int] | None:
    """ "The Scottish National Party's Holyrood leader, Nicola Sturgeon, said"."""
    if m.lead < 2 or doc[m.lead - 1].text != ",":
        return None
    i = m.lead - 2
    if not _is_role_word(doc[i]) or doc[i].pos_ not in ("NOUN", "PROPN"):
        return None
    after = _next(doc, m.end)
    if after is not None and after.lower_ in ("and", "or"):
        return None  # a list of names after a role noun
    s = _walk_left(doc, i, allow_det=True, head_limit=m.end)
    before = _prev(doc, s)
    if before is not None and not (
        before.is_punct or before.pos_ in ("VERB", "AUX", "CCONJ", "SCONJ", "ADP")
    ):
        return None
    return _role_text(doc, s, i + 1)


_APPOS_STOP = frozenset({",", ".", ";", ":", "(", ")", '"', "“", "”", "?", "!"})


def _role_after(doc: Doc, m: _Mention) -> tuple[str, int, int, bool] | None:
    """Apposition: "Nicholas Negroponte, chairman and founder of MIT's Media Labs," and
    "Rob Partridge - Marley's former head of press at Island Records -". The flag is True for
    a bare "X, of Y" (used only when nothing better is found)."""
    i = m.end
    if i >= len(doc) or not (doc[i].text == "," or _is_dash(doc[i])):
        return None
    s = i + 1
    e = s
    sent_end = doc[i].sent.end
    while e < min(sent_end, s + 20):
        t = doc[e]
        if t.text in _APPOS_STOP or _is_dash(t) or t.lower_ in ("who", "which", "that", "whose"):
            break
        if t.pos_ in ("VERB", "AUX") and not (
            t.i > 0 and doc[t.i - 1].text == "-" and not doc[t.i - 1].whitespace_
        ):
            break
        e += 1
    while e > s and (doc[e - 1].pos_ in ("ADP", "DET", "CCONJ", "PUNCT", "PART")):
        e -= 1
    if e <= s:
        return None
    words = doc[s:e]
    first = words[0]
    if first.lower_ in ("of", "from", "at") and any(_is_cap(t) for t in words[1:]):
        text, cs, ce = _role_text(doc, s, e)
        return text, cs, ce, True
    if first.pos_ not in ("DET", "ADJ", "NOUN", "PROPN", "NUM") and not _is_role_word(first):
        return None
    if not any(_is_role_word(t) and t.pos_ in ("NOUN", "PROPN", "ADJ") for t in words):
        return None
    if any(t.ent_type_ == "PERSON" and not _is_possessive(doc[t.i + 1]) for t in words[:1]):
        return None
    text, cs, ce = _role_text(doc, s, e)
    return text, cs, ce, False


# --------------------------------------------------------------------------- evidence


def _is_speaker(doc: Doc, m: _Mention) -> bool:
    root = doc[m.start : m.end].root
    after = _next(doc, m.end)
    if after is not None and after.text == ":":
        return True
    if m.lead >= 2 and doc[m.lead - 2].lower_ == "according" and doc[m.lead - 1].lower_ == "to":
        return True
    tok = root
    if tok.dep_ == "appos":  # "the leader, Nicola Sturgeon, said"
        tok = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass"):
        head = tok.head
        if head.lemma_.lower() in SPEECH_VERBS or head.lower_ in SPEECH_VERBS:
            return True
    return False


def _pronoun_refers(doc: Doc, m: _Mention, names: set[int]) -> bool:
    """A "he"/"she" after the mention, in its sentence or the next, with no other name or
    person noun in between."""
    root = doc[m.start : m.end].root
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return False
    sent = doc[m.start].sent
    limit = sent.end
    if limit < len(doc):
        limit = doc[limit].sent.end
    for i in range(m.end, limit):
        t = doc[i]
        if i in names and t.dep_ in ("nsubj", "nsubjpass"):
            return False
        if t.lower_ in ("it", "they") and t.dep_ in ("nsubj", "nsubjpass"):
            return False
        if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "NOUN" and _is_role_word(t):
            return False
        if t.lower_ in SUBJECT_PRONOUNS or (t.lower_ in OTHER_PERSON_PRONOUNS and i < sent.end):
            return True
    return False


# --------------------------------------------------------------------------- candidates


def _candidates(doc: Doc, list_roles: dict[int, tuple[str, int, int]]) -> list[_Mention]:
    seen: set[int] = set()
    out: list[_Mention] = []

    def add(m: _Mention | None) -> None:
        if m is None:
            return
        if any(i in seen for i in range(m.start, m.end)):
            return
        seen.update(range(m.lead, m.end))
        out.append(m)

    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        for s, e in _segments(ent):
            m = _make_mention(doc, s, e, True)
            if m is None:
                continue
            # "(Russian President Vladimir) Putin": a name broken by a bracket
            if (
                m.end < len(doc) - 1
                and doc[m.end].text == ")"
                and any(doc[k].text == "(" for k in range(max(0, m.lead - 4), m.lead))
                and _name_token(doc[m.end + 1])
            ):
                j = m.end + 1
                while j < len(doc) and _name_token(doc[j]):
                    j += 1
                tail = _make_mention(doc, m.end + 1, j, True)
                if tail is not None:
                    m.words = m.words + tail.words
                    m.end = tail.end
                    m.char_end = tail.char_end
            add(m)

    # "photographers David Bailey, Rankin and Nan Goldin": every name in the list. A plural
    # role noun before a single name describes a firm or a group ("analysts Gartner").
    for t in doc:
        if t.tag_ != "NNS" or not _is_role_word(t) or t.i + 1 >= len(doc):
            continue
        role = _role_text(doc, _walk_left(doc, t.i, False, t.i + 1), t.i + 1)
        listed: list[_Mention] = []
        i = t.i + 1
        while i < len(doc):
            j = i
            while j < len(doc) and (_name_token(doc[j]) or _is_honorific(doc[j])):
                j += 1
            m = _make_mention(doc, i, j, False) if j > i else None
            if m is None:
                break
            listed.append(m)
            k = j
            while k < len(doc) and (doc[k].text == "," or doc[k].lower_ == "and"):
                k += 1
            if k == j or k >= len(doc) or not _name_token(doc[k]):
                break
            i = k
        if len(listed) >= 2:
            for m in listed:
                list_roles[m.start] = role
                add(m)

    # capitalised runs with an honorific, or with a role, that spaCy did not label PERSON
    i = 0
    n = len(doc)
    while i < n:
        if not _name_token(doc[i]) or i in seen or doc[i].text == "-":
            i += 1
            continue
        j = i
        while j < n and _name_token(doc[j]) and j not in seen:
            j += 1
        m = _make_mention(doc, i, j, False)
        if (
            m is not None
            and m.start == i
            and (
                m.honorific
                or (
                    len(m.words) >= 2
                    and (_role_before(doc, m) or _role_comma_before(doc, m) or _role_after(doc, m))
                )
            )
        ):
            add(m)
        i = max(j, i + 1)
    out.sort(key=lambda m: m.start)
    return out


def _alias_mentions(doc: Doc, forms: set[str], taken: set[int]) -> list[_Mention]:
    """Further mentions of known name forms that spaCy labelled otherwise ("McManaman" ORG)."""
    out: list[_Mention] = []
    i = 0
    n = len(doc)
    while i < n:
        if i in taken or not _name_token(doc[i]) or doc[i].text == "-":
            i += 1
            continue
        j = i
        while j < n and j not in taken and (_name_token(doc[j])):
            j += 1
        m = _make_mention(doc, i, j, False)
        if m is not None and _key(m.words) in forms:
            out.append(m)
        i = max(j, i + 1)
    return out


# --------------------------------------------------------------------------- clustering


def _cluster(mentions: list[_Mention]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    by_key: dict[str, _Cluster] = {}
    multi = [m for m in mentions if len(m.words) >= 2]
    for m in multi:
        k = _key(m.words)
        c = by_key.get(k)
        if c is None:
            for other in clusters:
                fw = other.full_words
                if _norm(fw[0]) == _norm(m.words[0]) and _norm(fw[-1]) == _norm(m.words[-1]):
                    c = other
                    break
        if c is None:
            c = _Cluster()
            clusters.append(c)
        by_key[k] = c
        c.mentions.append(m)
    singles: dict[str, _Cluster] = {}
    for m in (m for m in mentions if len(m.words) == 1):
        w = _norm(m.words[0])
        best: tuple[int, int, _Cluster] | None = None  # (before?, distance, cluster)
        for c in clusters:
            fulls = [x for x in c.mentions if len(x.words) >= 2]
            if not fulls:
                continue
            fw = c.full_words
            if w not in (_norm(fw[-1]), _norm(fw[0])):
                continue
            before = [x.start for x in fulls if x.start < m.start]
            if before:
                rank = (0, m.start - max(before), c)
            else:
                rank = (1, min(x.start for x in fulls) - m.start, c)
            if best is None or rank[:2] < best[:2]:
                best = rank
        if best is not None:
            best[2].mentions.append(m)
        else:
            singles.setdefault(w, _Cluster()).mentions.append(m)
    clusters.extend(singles.values())
    for c in clusters:
        c.mentions.sort(key=lambda x: x.start)
    clusters.sort(key=lambda c: c.mentions[0].start)
    return clusters


# --------------------------------------------------------------------------- API


def find_people(doc: Doc) -> tuple[Person, ...]:
    """The people named in a parsed article (headline + body), in order of first mention."""
    list_roles: dict[int, tuple[str, int, int]] = {}
    mentions = _candidates(doc, list_roles)
    excluded_forms: set[str] = set()
    kept: list[_Mention] = []
    for m in mentions:
        if _excluded(doc, m):
            excluded_forms.add(_key(m.words))
        else:
            kept.append(m)
    forms: set[str] = set()
    for m in kept:
        forms.add(_key(m.words))
        if len(m.words) >= 2:
            forms.add(_norm(m.words[-1]))
            forms.add(_norm(m.words[0]))
    taken: set[int] = set()
    for m in mentions:
        taken.update(range(m.lead, m.end))
    for m in _alias_mentions(doc, forms - excluded_forms, taken):
        if not _excluded(doc, m):
            kept.append(m)
    kept.sort(key=lambda m: m.start)

    name_tokens: set[int] = set()
    for ent in doc.ents:
        if ent.label_ in ("PERSON", "ORG"):
            name_tokens.update(range(ent.start, ent.end))
    for m in kept:
        name_tokens.update(range(m.lead, m.end))

    for m in kept:
        if m.honorific:
            m.evidence.add("title")
        if _is_speaker(doc, m):
            m.evidence.add("speaker")
        listed = list_roles.get(m.start)
        if listed:
            m.roles.append((0, *listed))
            m.evidence.add("role")
        before = _role_before(doc, m) if not listed else None
        if before:
            m.roles.append((0, before[0], before[1], before[2]))
            m.evidence.add("role")
            if before[3]:
                m.evidence.add("title")
        after = _role_after(doc, m)
        if after:
            m.roles.append((3 if after[3] else 1, after[0], after[1], after[2]))
            m.evidence.add("role")
        comma = _role_comma_before(doc, m)
        if comma:
            m.roles.append((2, comma[0], comma[1], comma[2]))
            m.evidence.add("role")
        others = name_tokens - set(range(m.lead, m.end))
        if _pronoun_refers(doc, m, others):
            m.evidence.add("pronoun")

    people: list[Person] = []
    for c in _cluster(kept):
        evidence = set().union(*(m.evidence for m in c.mentions))
        multiword = any(len(m.words) >= 2 for m in c.mentions)
        if not evidence:
            continue
        if not multiword and not any(m.honorific for m in c.mentions):
            if _key(c.full_words) in excluded_forms:
                continue
            if evidence <= {"speaker"}:
                continue  # "Sunovate said": a one-word name needs more than speech
        if not any(m.spacy_person for m in c.mentions) and not evidence & {"title", "role"}:
            continue
        people.append(_person(doc, c, evidence))
    return tuple(people)


def _person(doc: Doc, c: _Cluster, evidence: set[str]) -> Person:
    fulls = [m.words for m in c.mentions if len(m.words) == len(c.full_words)]
    counts: dict[tuple[str, ...], int] = {}
    for w in fulls:
        counts[w] = counts.get(w, 0) + 1
    name_words = max(counts, key=lambda w: (counts[w], -fulls.index(w)))
    aliases: list[str] = []
    for m in c.mentions:
        forms = [" ".join(m.words)]
        if m.honorific:
            forms.append(f"{m.honorific} {' '.join(m.words)}")
        for f in forms:
            if f not in aliases:
                aliases.append(f)
    role: tuple[int, str, int, int] | None = None
    for m in c.mentions:
        for r in sorted(m.roles):
            if role is None or (role[0] == 3 and r[0] < 3):
                role = r
        if role is not None and role[0] < 3:
            break
    mentions = tuple(dict.fromkeys((m.char_start, m.char_end) for m in c.mentions))
    return Person(
        name=" ".join(name_words),
        aliases=tuple(aliases),
        role=role[1] if role else None,
        role_span=(role[2], role[3]) if role else None,
        mentions=mentions,
        evidence=tuple(e for e in EVIDENCE_ORDER if e in evidence),
    )


@functools.lru_cache(maxsize=16)
def people_in(text: str) -> tuple[Person, ...]:
    """Parse `text` with the project's spaCy model and find its people. Cached by text: the
    answerer, the briefing and the quiz of one article share one parse."""
    from index.nlp import load_nlp

    return find_people(load_nlp()(text))


def who_is(people: Iterable[Person], query: str) -> Person | None:
    """The person a question names ("Who is Lloyd Austin?", "who is Negroponte"), by any alias,
    case-insensitive; None when no one matches."""
    q = query.strip().rstrip("?.! ")
    q = _QUERY_LEAD.sub("", q).strip()
    q = _POSSESSIVE.sub("", q).strip()
    words = q.split()
    while words and words[0].rstrip(".").lower() in HONORIFICS | {"the"}:
        words = words[1:]
    if not words:
        return None
    target = _key(words)
    people = list(people)
    for p in people:
        forms = {_key(p.name.split())} | {_key(_strip_honorific(a.split())) for a in p.aliases}
        if target in forms:
            return p
    for p in people:  # "who is Blair" when only "Tony Blair" was written
        parts = [_norm(w) for w in p.name.split()]
        if len(words) == 1 and target in (parts[0], parts[-1]):
            return p
    return None


def _strip_honorific(words: list[str]) -> list[str]:
    while len(words) > 1 and words[0].rstrip(".").lower() in HONORIFICS:
        words = words[1:]
    return words
