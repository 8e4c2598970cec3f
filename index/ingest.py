"""Raw article text -> `Article`: headline, byline, dateline, date, caption and body paragraphs.

Pasted news pages carry page chrome (navigation links, tracking hashes, separator rules,
push-notification prompts). It is removed by general rules about the *shape* of a line
(a very short fragment, a long unbroken token, punctuation only, a call to action), not by
matching the strings of any one site, so the same rules work on other pasted pages.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

_SENTENCE_END = re.compile(r"[.!?…\"”’)\]]\s*$")
_LONG_TOKEN = re.compile(r"^\S{24,}$")  # hashes, ids, tracking tokens: no spaces at all
_RULE = re.compile(r"^[\W_]+$")  # "—-", "***", "-----": punctuation only
_PHOTO_CREDIT = re.compile(r"\((?:[A-Z][\w.&-]*\s+)*(?:Photo|Image|Picture|Foto)s?\b[^)]*\)\s*$")
_CONTRIBUTOR = re.compile(r"\bcontributed\b|\bcontributing\b", re.I)
_BYLINE_PREFIX = re.compile(r"^By\s+[A-Z]")
_DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][\w.' -]{1,30})?\s*(?:\([\w .&-]{1,30}\))?)"
    r"\s*[—–-]{1,2}\s+"
)


def dateline_end(text: str) -> int:
    """Where a leading dateline ("WASHINGTON (AP) — ") ends in `text`; 0 when there is none.
    It says where the story was filed, so it is never an answer or a claim."""
    m = _DATELINE.match(text)
    return m.end() if m and len(m.group("dateline").split()) <= 6 else 0


_CALL_TO_ACTION = re.compile(
    r"\b(?:push notifications?|enable notifications|notifications on your device|"
    r"subscribe|sign up|newsletter|cookies?|advertisement|download (?:our|the) app|"
    r"follow us|share this|read more|disable anytime|log ?in|sign in)\b",
    re.I,
)
_MONTHS = (
    "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|"
    "July|August|September|October|November|December"
)
_DATE = re.compile(rf"\b(?P<month>{_MONTHS})\.?\s+(?P<day>\d{{1,2}}),\s+(?P<year>\d{{4}})\b")
_MONTH_NUMBER = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}


class IngestError(ValueError):
    """Input that cannot become an article; the message is meant for the user."""


@dataclass(frozen=True)
class Article:
    """One article after cleaning. `body` is the cleaned text passages point into."""

    title: str | None
    paragraphs: tuple[str, ...]
    byline: str | None = None
    dateline: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd when the page gives one
    caption: str | None = None
    notes: tuple[str, ...] = field(default=())  # contributor lines and other end matter

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def fingerprint(self) -> str:
        """Hash of everything stored about the article; equal hash, nothing to re-index."""
        parts = [self.title or "", self.byline or "", self.dateline or "", self.date or ""]
        parts += [self.caption or "", *self.notes, "\x00", *self.paragraphs]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    @classmethod
    def from_paragraphs(cls, title: str | None, paragraphs: list[str]) -> Article:
        """An article whose paragraphs are already known (no chrome to remove)."""
        cleaned = tuple(p for p in (normalise_text(p).strip() for p in paragraphs) if p)
        if not cleaned:
            raise IngestError("the article has no text")
        return cls(title=title, paragraphs=cleaned)


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_LINE_BREAK = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def normalise_text(text: str) -> str:
    """NFC, unified newlines, no control characters (terminal escapes, bells, backspaces, C1
    codes), no zero-width or bidi control characters, no NULs."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", _LINE_BREAK.sub("\n", text))
    text = text.replace("\u00a0", " ")
    return re.sub(r"[ \t]+", " ", text)


def decode_bytes(data: bytes, source: str = "input") -> str:
    """Bytes -> text: BOMs honoured, UTF-8 first, cp1252 as the fallback; binary refused."""
    if not data.strip():
        raise IngestError(f"{source} is empty")
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec)
    utf16 = _utf16_without_bom(data[:4096])
    if utf16:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError as e:
            raise IngestError(f"{source} looks like UTF-16 text but does not decode as it") from e
    if b"\x00" in data[:4096] or _looks_binary(data[:4096]):
        raise IngestError(f"{source} looks like a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""  # a byte cp1252 leaves undefined: not Windows text either
    if not text or not _reads_as_latin(text):
        raise IngestError(
            f"{source} is not UTF-8 text and does not read as Windows-1252 either: "
            "save it as UTF-8 and add it again"
        )
    return text


def _utf16_without_bom(head: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when `head` is mostly Latin text in UTF-16 without a BOM (every
    other byte a NUL), else None."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even = head[0 : 2 * pairs : 2].count(0) / pairs
    odd = head[1 : 2 * pairs : 2].count(0) / pairs
    if odd > 0.5 and even < 0.05:
        return "utf-16-le"
    if even > 0.5 and odd < 0.05:
        return "utf-16-be"
    return None


def _reads_as_latin(text: str) -> bool:
    """Text decoded as Windows-1252 reads as a Latin-script language: accented letters are a
    minority of its letters. Text in another encoding (Shift-JIS, GBK, KOI8-R, EBCDIC) decoded
    that way is mostly accented letters and symbols."""
    letters = [c for c in text[:20_000] if c.isalpha()]
    if not letters:
        return False
    foreign = sum(1 for c in letters if not c.isascii())
    return foreign <= 0.2 * len(letters)


def _looks_binary(head: bytes) -> bool:
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > max(2, len(head) // 100)


def parse_article(raw: str, source: str = "input") -> Article:
    """Split pasted page text into article parts. Paragraphs are lines or blank-line blocks."""
    text = normalise_text(raw)
    lines = [_strip_markdown(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise IngestError(f"{source} has no text")

    title: str | None = None
    caption: str | None = None
    byline: str | None = None
    body: list[str] = []
    notes: list[str] = []
    in_end_matter = False
    for line in lines:
        if title is None and not body and _SCORELINE.match(line):
            title = line  # "Clyde 0-5 Celtic": a match report's headline, short as it is
            continue
        if _BYLINE_PREFIX.match(line) and len(line.split()) <= 14:  # "By Jane Smith" is short
            byline = byline or line[3:].strip()
            continue
        if _is_chrome(line):
            if _RULE.match(line) and body:
                in_end_matter = True  # a separator after the story: credits follow
            continue
        if _PHOTO_CREDIT.search(line):
            caption = caption or line
            continue
        if _is_byline(line):
            byline = byline or _BYLINE_PREFIX.sub(lambda m: m.group(0)[-1], line)
            continue
        if in_end_matter or (body and _CONTRIBUTOR.search(line) and len(line.split()) <= 30):
            notes.append(line)
            continue
        if title is None and not body and _is_headline(line):
            title = line
            continue
        body.append(line)

    if not body:
        raise IngestError(f"{source} has no article text after removing page chrome")
    dateline = None
    m = _DATELINE.match(body[0])
    if m and len(m.group("dateline").split()) <= 6:
        dateline = m.group("dateline").strip()
    date = _find_date([caption or "", title or "", body[0]])
    return Article(
        title=title,
        paragraphs=tuple(body),
        byline=byline,
        dateline=dateline,
        date=date,
        caption=caption,
        notes=tuple(notes),
    )


def _strip_markdown(line: str) -> str:
    line = line.strip()
    line = re.sub(r"^#{1,6}\s+", "", line)
    line = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", line)  # images: never fetched, never shown
    line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)  # links: keep the words
    return line.strip()


def _is_chrome(line: str) -> bool:
    words = line.split()
    if _RULE.match(line) or _LONG_TOKEN.match(line):
        return True
    # Navigation and buttons: a fragment of at most three words with no sentence punctuation.
    if len(words) <= 3 and not _SENTENCE_END.search(line):
        return True
    # Calls to action: most sentences of a short line ask the reader to do something with the site.
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", line) if s]
    asks = sum(1 for s in sentences if _CALL_TO_ACTION.search(s))
    return len(words) <= 40 and asks * 2 >= len(sentences)


# two names and a score between them, as sports pages head a match report
_TEAM = r"[A-Z][\w.'&-]*(?: [A-Z][\w.'&-]*){0,3}"
_SCORELINE = re.compile(rf"^{_TEAM} \d{{1,3}} ?[-–] ?\d{{1,3}} {_TEAM}$")


def _is_headline(line: str) -> bool:
    words = line.split()
    return 4 <= len(words) <= 25 and not line.rstrip().endswith((".", ":", ";"))


def _is_byline(line: str) -> bool:
    words = line.split()
    if _BYLINE_PREFIX.match(line) and len(words) <= 14:
        return True
    if len(words) > 15 or "," not in line or line.rstrip().endswith((".", "?", "!", '"', "”")):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or w in ("and", "&"))
    return capitalised / len(words) >= 0.85


def _find_date(texts: list[str]) -> str | None:
    for text in texts:
        m = _DATE.search(text)
        if m:
            month = _MONTH_NUMBER[m.group("month").lower()]
            return f"{int(m.group('year')):04d}-{month:02d}-{int(m.group('day')):02d}"
    return None
