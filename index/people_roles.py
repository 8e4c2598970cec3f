"""Roles of the people resolver (`index/people.py`): a title before a name, an apposition
after it, "Y's leader, X", and what makes a mention part of a longer proper noun or a thing.
The evidence that a mention is a person, and roles from a neighbouring sentence, are in
`index/people_evidence.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.people_words import (
    NONPERSON_LAST,
    THING_NOUNS,
    _is_cap,
    _is_dash,
    _is_possessive,
    _is_role_word,
    _Mention,
    _next,
    _norm,
    _prev,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


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
        if _hyphen_prefix(doc, j) and j - 2 >= sent_start:
            j -= 2  # "ex-managers", "co-founder": spaCy may split the word and its heads
            continue
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


def _hyphen_prefix(doc: Doc, j: int) -> bool:
    """Token j is joined by a hyphen to the word before it, with no spaces ("ex-managers")."""
    return (
        j >= 2
        and doc[j - 1].text == "-"
        and not doc[j - 1].whitespace_
        and not doc[j - 2].whitespace_
        and doc[j - 2].is_alpha
    )


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
    if doc[i].text == ")":
        return _role_in_brackets(doc, i)
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
    if doc[k].lower_ == "general" and not _is_cap(doc[k]) and doc[k - 1].lower_ not in _GENERAL:
        return None  # "general" is a role only as "attorney general" or a capitalised rank
    s = _walk_left(doc, k, allow_det=False, head_limit=m.end)
    while s < end and doc[s].lower_ in ("the", "a", "an"):
        s += 1
    text, cs, ce = _role_text(doc, s, end + 1)
    return text, cs, ce, _is_cap(doc[end])


_GENERAL = frozenset("attorney director secretary solicitor inspector surgeon governor".split())


def _role_of(doc: Doc, m: _Mention) -> tuple[str, int, int] | None:
    """The organisation a person speaks for, right after the name: "Hannah Ward of the
    Refugee Council", "Tom Price from the CBI" (a capitalised name, not "of the year")."""
    i = m.end
    if i >= len(doc) or doc[i].lower_ not in ("of", "from", "at"):
        return None
    j = i + 1 + (i + 1 < len(doc) and doc[i + 1].lower_ == "the")
    e = j
    while (
        e < len(doc)
        and doc[e].sent == doc[i].sent
        and (_is_cap(doc[e]) or doc[e].lower_ in ("of", "for", "and", "&") and e > j)
    ):
        e += 1
    while e > j and not _is_cap(doc[e - 1]):
        e -= 1
    if e <= j or any(doc[k].ent_type_ in ("DATE", "TIME", "PERSON") for k in range(j, e)):
        return None
    return _role_text(doc, i, e)


def _role_comma_before(doc: Doc, m: _Mention) -> tuple[str, int, int] | None:
    """ "The Scottish National Party's Holyrood leader, Nicola Sturgeon, said"."""
    if m.lead < 2 or doc[m.lead - 1].text != ",":
        return None
    end = i = m.lead - 2
    k = i  # "the Archbishop of Canterbury, Dr Rowan Williams": back over "of" + a proper noun
    while k > i - 5 and k > 0 and _is_cap(doc[k]) and not _is_role_word(doc[k]):
        k -= 1
    if k < i and doc[k].lower_ in ("of", "the"):
        k -= doc[k].lower_ == "the" and doc[k - 1].lower_ == "of"
        if doc[k].lower_ == "of" and k > 0 and _is_role_word(doc[k - 1]):
            i = k - 1
    if not _is_role_word(doc[i]) or doc[i].pos_ not in ("NOUN", "PROPN"):
        return None
    after = _next(doc, m.end)
    if after is not None and after.lower_ in ("and", "or"):
        return None  # a list of names after a role noun
    s = _walk_left(doc, i, allow_det=True, head_limit=m.end)
    before = _prev(doc, s)
    if before is not None and not (
        before.is_punct
        or before.pos_ in ("VERB", "AUX", "CCONJ", "SCONJ", "ADP")
        or before.tag_ in ("WDT", "WP")  # "at which the Archbishop of Canterbury, Dr X,"
    ):
        return None
    return _role_text(doc, s, end + 1)


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
        if t.text == "," and _name_list_end(doc, e):
            e = _name_list_end(doc, e)  # "Centre for the Study of Children, Youth and Media"
            continue
        if t.text in _APPOS_STOP or _is_dash(t) or t.lower_ in ("who", "which", "that", "whose"):
            break
        if t.pos_ in ("VERB", "AUX") and not (
            t.i > 0 and doc[t.i - 1].text == "-" and not doc[t.i - 1].whitespace_
        ):
            finite = t.tag_ in ("VBD", "VBZ", "VBP", "MD") and t.lemma_.lower() not in _SAY
            if finite and doc[s].pos_ == "DET":
                return None  # "Gary Speed, the Greek striker found ...": a new clause's subject
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
    if len(words) >= 2 and _is_role_word(words[-2]) and _names_someone(words[-1]):
        return None  # "In Sri Lanka, blogger Morquendi ...": another person, not a role
    text, cs, ce = _role_text(doc, s, e)
    return text, cs, ce, False


def _names_someone(tok: Token) -> bool:
    """A capitalised proper noun that is not itself a role word: after a role noun it is a
    name ("blogger Morquendi"), whatever entity label spaCy gave it."""
    return tok.ent_type_ == "PERSON" or (
        _is_cap(tok) and tok.pos_ == "PROPN" and not _is_role_word(tok) and not _is_possessive(tok)
    )


def _role_in_brackets(doc: Doc, close: int) -> tuple[str, int, int, bool] | None:
    """ "But for (Charlton goalkeeper) Dean Kiely": the role in the brackets before a name."""
    for k in range(close - 1, max(close - 7, -1), -1):
        if doc[k].text == "(":
            if k + 1 < close and _is_role_word(doc[close - 1]):
                text, cs, ce = _role_text(doc, k + 1, close)
                return text, cs, ce, False
            return None
    return None


def _name_list_end(doc: Doc, comma: int) -> int:
    """After a comma inside a proper noun, the end of its capitalised list ("Children, Youth
    and Media"): the comma follows a capitalised word and the list ends in "and" + a
    capitalised word. 0 when it is no such list."""
    if comma == 0 or not _is_cap(doc[comma - 1]):
        return 0
    j = comma + 1
    while j < len(doc) and (_is_cap(doc[j]) or doc[j].text == ","):
        j += 1
    if j + 1 < len(doc) and doc[j].lower_ == "and" and _is_cap(doc[j + 1]) and j > comma + 1:
        j += 1
        while j < len(doc) and _is_cap(doc[j]):
            j += 1
        return j
    return 0


def aka_after(doc: Doc, m: _Mention) -> tuple[str, ...] | None:
    """The other name a person goes by: "Norman Cook - aka Fatboy Slim -", "X, also known as
    Y"."""
    i = m.end
    while i < len(doc) and (doc[i].text in (",", "(") or _is_dash(doc[i])):
        i += 1
    if i < len(doc) and doc[i].lower_.rstrip(".") in ("aka", "a.k.a"):
        i += 1
    elif doc[i : i + 3].text.lower() == "also known as":
        i += 3
    else:
        return None
    j = i
    while j < len(doc) and _is_cap(doc[j]) and doc[j].is_alpha:
        j += 1
    return tuple(t.text for t in doc[i:j]) or None


_SAY = frozenset("say tell add warn admit claim announce insist".split())
