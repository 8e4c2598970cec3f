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

A place (spaCy's GPE/LOC/FAC, or spelled as one of the article's places) is a person only on
evidence that only a person has: a title, "he"/"she", or a role noun right before the name
("blogger Morquendi"); an apposition ("In Sri Lanka, blogger ...") or "X said" is not enough.

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from index.people_evidence import _gather_evidence
from index.people_roles import (
    _excluded,
    _role_after,
    _role_before,
    _role_comma_before,
    _role_text,
    _walk_left,
    aka_after,
)
from index.people_words import (
    HONORIFICS,
    _is_honorific,
    _is_possessive,
    _is_role_word,
    _key,
    _make_mention,
    _Mention,
    _name_token,
    _norm,
    _segments,
    tail_name,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

EVIDENCE_ORDER = ("speaker", "title", "role", "pronoun")
SAYS_OR_HE = frozenset({"speaker", "pronoun"})

_QUERY_LEAD = re.compile(
    r"^\s*(?:who|what)\s*(?:is|was|'s|’s)?\s+|^\s*tell me about\s+|^\s*about\s+", re.I
)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass(frozen=True)
class Person:
    """One person in an article under all of its names."""

    name: str
    aliases: tuple[str, ...]
    role: str | None
    role_span: tuple[int, int] | None
    mentions: tuple[tuple[int, int], ...]
    evidence: tuple[str, ...]
    aka: tuple[str, ...] = ()  # other names it goes by ("aka Fatboy Slim")


@dataclass
class _Cluster:
    mentions: list[_Mention] = field(default_factory=list)

    @property
    def full_words(self) -> tuple[str, ...]:
        return max((m.words for m in self.mentions), key=len)


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
            if m is not None:
                add(_join_bracketed(doc, m))

    for m in _listed_names(doc, list_roles):
        add(m)
    for m in _unlabelled_names(doc, seen):
        add(m)
    out.sort(key=lambda m: m.start)
    return out


def _join_bracketed(doc: Doc, m: _Mention) -> _Mention:
    """ "(Russian President Vladimir) Putin": a name broken by a bracket is one name."""
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
    return m


def _unlabelled_names(doc: Doc, seen: set[int]) -> list[_Mention]:
    """Capitalised runs with an honorific, or with a role, that spaCy did not label PERSON
    (tokens already taken by a mention, `seen`, are skipped)."""
    out: list[_Mention] = []
    i, n = 0, len(doc)
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
                or _named_after_role(doc, m)
            )
        ):
            out.append(m)
        i = max(j, i + 1)
    return out


def _named_after_role(doc: Doc, m: _Mention) -> bool:
    """ "blogger Morquendi": one word right after a singular role noun, that spaCy took for a
    place or left unlabelled (an organisation, "regulator Ofcom", is not a person). It stays a
    person only with more evidence (`find_people`)."""
    before = doc[m.lead - 1] if m.lead > 0 else None
    return (
        len(m.words) == 1
        and before is not None
        and before.tag_ in ("NN", "NNP")
        and _is_role_word(before)
        and all(doc[k].ent_type_ in ("", "GPE", "LOC") for k in range(m.start, m.end))
        and _role_before(doc, m) is not None
    )


_QUANTIFIERS = frozenset("other several various many few some both all".split())


def _listed_names(doc: Doc, list_roles: dict[int, tuple[str, int, int]]) -> list[_Mention]:
    """ "photographers David Bailey, Rankin and Nan Goldin": every name in the list. A plural
    role noun before a single name describes a firm or a group ("analysts Gartner")."""
    out: list[_Mention] = []
    for t in doc:
        if t.tag_ != "NNS" or not _is_role_word(t) or t.i + 1 >= len(doc):
            continue
        s = _walk_left(doc, t.i, False, t.i + 1)
        while s < t.i and (doc[s].pos_ == "NUM" or doc[s].lower_ in _QUANTIFIERS):
            s += 1  # "three other ex-managers": how many is not the role
        role = _role_text(doc, s, t.i + 1)
        listed: list[_Mention] = []
        i = t.i + 1
        if doc[i].text == "," and i + 1 < len(doc):
            i += 1  # "three other ex-managers, Peter Martin, Erik Gustafson and Joseph Palombo"
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
                out.append(m)
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
                if tail_name(fw, m.words) or tail_name(m.words, fw):
                    c = other  # "Parker Bowles" of "Camilla Parker Bowles": a long surname
                    break
        if c is None:
            c = _Cluster()
            clusters.append(c)
        by_key[k] = c
        c.mentions.append(m)
    singles: dict[str, _Cluster] = {}
    for m in (m for m in mentions if len(m.words) == 1):
        w = _norm(m.words[0])
        # "Prince Charles", "Mr Howard": a title goes with a surname or a name known alone,
        # never with someone else's first name ("Charles Kennedy")
        title = _title_of(m)
        best: tuple[int, int, _Cluster] | None = None  # (before?, distance, cluster)
        for c in clusters:
            fulls = [x for x in c.mentions if len(x.words) >= 2]
            if not fulls:
                continue
            fw = c.full_words
            first_only = w == _norm(fw[0]) and w != _norm(fw[-1])
            if w not in (_norm(fw[-1]), _norm(fw[0])):
                continue
            if first_only and (w in singles or title and title not in map(_title_of, fulls)):
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


def _title_of(m: _Mention) -> str | None:
    """The title right before the name ("Sir", "Prince"), lower case, if any."""
    before = [r[1] for r in m.roles if 0 <= m.char_start - r[3] <= 2]
    return (m.honorific or (before[0] if before else "")).lower() or None


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
        _gather_evidence(doc, m, list_roles, name_tokens)

    places = _place_keys(doc)
    people: list[Person] = []
    for c, aka in _with_akas(doc, _cluster(kept)):
        evidence = set().union(*(m.evidence for m in c.mentions))
        multiword = any(len(m.words) >= 2 for m in c.mentions)
        if not evidence:
            continue
        if _is_place(doc, c, places) and not _person_evidence(c, evidence):
            continue  # "In Sri Lanka, blogger Morquendi": a place with an apposition
        unlabelled = not any(
            m.spacy_person or m.honorific or m.start in list_roles for m in c.mentions
        )
        if unlabelled and not multiword and not ("role" in evidence and evidence & SAYS_OR_HE):
            continue  # "blogger Morquendi" only when he or she then writes or says something
        if not multiword and not any(m.honorific for m in c.mentions):
            if _key(c.full_words) in excluded_forms:
                continue
            if evidence <= {"speaker"}:
                continue  # "Sunovate said": a one-word name needs more than speech
        if not any(m.spacy_person for m in c.mentions) and not evidence & {"title", "role"}:
            continue
        people.append(_person(doc, c, evidence, aka))
    return tuple(people)


_PLACE_LABELS = ("GPE", "LOC", "FAC")


def _place_keys(doc: Doc) -> set[str]:
    """The article's place names ("Sri Lanka", "Kent"), as name keys."""
    out = set()
    for ent in doc.ents:
        if ent.label_ in _PLACE_LABELS:
            words = [t.text for t in ent if t.lower_ != "the" and not _is_possessive(t)]
            if words:
                out.add(_key(words))
    return out


def _is_place(doc: Doc, c: _Cluster, places: set[str]) -> bool:
    """Every mention is labelled a place by spaCy or spelled as one of the article's places."""
    return all(
        _key(m.words) in places
        or all(doc[k].ent_type_ in _PLACE_LABELS for k in range(m.start, m.end))
        for m in c.mentions
    )


def _person_evidence(c: _Cluster, evidence: set[str]) -> bool:
    """Evidence that only a person has: an honorific or capitalised title, "he"/"she", or a
    role noun right before the name ("blogger Morquendi"); an apposition after a name or "X
    said" is said of places too ("Kent, a county ...", "Washington said")."""
    return bool(evidence & {"title", "pronoun"}) or any(
        r[0] == 0 for m in c.mentions for r in m.roles
    )


def _with_akas(doc: Doc, clusters: list[_Cluster]) -> list[tuple[_Cluster, tuple[str, ...]]]:
    """Each cluster with the other names it goes by ("aka Fatboy Slim"); a cluster of that
    other name alone is folded into it."""
    akas: dict[int, list[str]] = {}
    for n, c in enumerate(clusters):
        for m in c.mentions:
            words = aka_after(doc, m)
            if words and " ".join(words) not in akas.setdefault(n, []):
                akas[n].append(" ".join(words))
    folded: set[int] = set()
    for n, names in akas.items():
        keys = {_key(a.split()) for a in names}
        for k, other in enumerate(clusters):
            if k != n and _key(other.full_words) in keys:
                clusters[n].mentions.extend(other.mentions)
                clusters[n].mentions.sort(key=lambda x: x.start)
                folded.add(k)
    return [(c, tuple(akas.get(n, ()))) for n, c in enumerate(clusters) if n not in folded]


def _person(doc: Doc, c: _Cluster, evidence: set[str], aka: tuple[str, ...] = ()) -> Person:
    own = [m for m in c.mentions if " ".join(m.words) not in aka] or c.mentions
    longest = max(len(m.words) for m in own)
    fulls = [m.words for m in own if len(m.words) == longest]
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
    aliases += [a for a in aka if a not in aliases]
    mentions = tuple(dict.fromkeys((m.char_start, m.char_end) for m in c.mentions))
    return Person(
        name=" ".join(name_words),
        aliases=tuple(aliases),
        role=role[1] if role else None,
        role_span=(role[2], role[3]) if role else None,
        mentions=mentions,
        evidence=tuple(e for e in EVIDENCE_ORDER if e in evidence),
        aka=aka,
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
