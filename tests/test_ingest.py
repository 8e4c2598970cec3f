"""Ingestion: page chrome removed by general rules, article parts found, offsets exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.library import seed_article
from index.ingest import IngestError, decode_bytes, parse_article
from index.sources import read_article_file


def test_seed_article_parts() -> None:
    a = seed_article()
    assert a.title == "North Korean troops in Russian uniforms are heading toward Ukraine, US says"
    assert a.byline == "Tara Copp And Lolita C. Baldor, The Associated Press"
    assert a.dateline == "WASHINGTON (AP)"
    assert a.date == "2024-10-30"
    assert a.caption and a.caption.endswith("(AP Photo/Kevin Wolf)")
    assert a.notes == ("AP reporter Kim Tong-hyung contributed from Seoul, South Korea.",)
    assert len(a.paragraphs) == 15
    assert a.paragraphs[0].startswith("WASHINGTON (AP) — Defense Secretary Lloyd Austin")
    assert a.paragraphs[-1].startswith("Austin and Kim are scheduled")


def test_seed_chrome_is_gone() -> None:
    body = seed_article().body
    for chrome in ("Skip to content", "push icon", "No thanks", "push notifications", "—-"):
        assert chrome not in body
    assert "f161cae2" not in body


def test_chrome_rules_generalise_to_another_page() -> None:
    page = "\n".join(
        [
            "Menu",
            "Sign in",
            "Scientists find water ice on a distant asteroid, study says",
            "a9f8e7d6c5b4a3928170f6e5d4c3b2a1",
            "The asteroid seen from orbit on Monday, March 3, 2025. (NASA Photo/Jane Roe)",
            "PASADENA, Calif. (Reuters) — Researchers said Monday they found ice on an asteroid.",
            "",
            "The finding surprised the team, which had expected dry rock.",
            "***",
            "Subscribe to our newsletter. Sign up for daily updates.",
            "By Jane Smith",
        ]
    )
    a = parse_article(page)
    assert a.title == "Scientists find water ice on a distant asteroid, study says"
    assert a.paragraphs == (
        "PASADENA, Calif. (Reuters) — Researchers said Monday they found ice on an asteroid.",
        "The finding surprised the team, which had expected dry rock.",
    )
    assert a.dateline == "PASADENA, Calif. (Reuters)"
    assert a.date == "2025-03-03"
    assert a.byline == "Jane Smith"
    assert a.caption and "NASA Photo" in a.caption


@pytest.mark.parametrize(
    ("first", "title"),
    [
        ("Clyde 0-5 Celtic", "Clyde 0-5 Celtic"),  # a match report's headline is short
        ("Dundee Utd 4-1 Aberdeen", "Dundee Utd 4-1 Aberdeen"),
        ("Home News Sport", None),  # three words of navigation are still chrome
        ("Skip to content", None),
    ],
)
def test_a_score_line_heads_a_match_report(first: str, title: str | None) -> None:
    body = "Celtic brushed aside Clyde to reach the Scottish Cup semi-final on Sunday afternoon."
    article = parse_article(f"{first}\n\n{body}\n\nVarga scored twice for the visitors.")
    assert article.title == title
    assert article.paragraphs[0] == body


def test_passage_offsets_point_into_the_cleaned_text(bot) -> None:  # noqa: ANN001
    stored = bot.stored()
    body = stored.article.body
    assert [p.id for p in stored.passages] == [f"¶{i}" for i in range(1, 16)]
    for p in stored.passages:
        assert body[p.start : p.end] == p.text
        for s in p.sentences:
            assert p.text[s.start : s.end] == s.text
            for a, b, _label in s.entities + s.chunks:
                assert s.start <= a < b <= s.end


def test_long_paragraph_is_split_not_cut(bot) -> None:  # noqa: ANN001
    from index.ingest import Article
    from index.nlp import load_nlp
    from index.passages import build_passages

    sentence = "The committee reviewed the budget for the new harbour bridge in great detail. "
    long_paragraph = (sentence * 40).strip()
    article = Article.from_paragraphs("Budget", [long_paragraph, "A short closing paragraph."])
    emb = bot.embedder
    passages = build_passages(article, load_nlp(), emb.count_tokens, emb.max_tokens)
    parts = [p for p in passages if p.paragraph == 1]
    assert len(parts) > 1
    assert [p.id for p in parts] == [f"¶1.{i}" for i in range(1, len(parts) + 1)]
    assert all(emb.count_tokens(p.text) <= emb.max_tokens - 2 for p in parts)
    covered = "".join(long_paragraph[p.start : p.end] for p in parts)
    assert covered.replace(" ", "") == long_paragraph.replace(" ", "")  # nothing dropped
    assert passages[-1].id == "¶2"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\t  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
    ],
)
def test_bad_bytes_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        decode_bytes(data, "x.txt")


def test_encodings_and_invisible_characters() -> None:
    text = "Caf\u00e9 owners met on Friday.\n\nThey agreed to open later."
    assert decode_bytes(text.encode("utf-16"), "x") == text
    assert decode_bytes(text.encode("cp1252"), "x") == text
    nfd = "Cafe\u0301 owners met\u200b on Friday.\u202e"
    a = parse_article("Owners of cafés meet to discuss hours today\n" + nfd)
    assert a.paragraphs == ("Café owners met on Friday.",)


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file"):
        read_article_file(tmp_path / "missing.txt")
    png = tmp_path / "image.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(500))
    with pytest.raises(IngestError, match="binary"):
        read_article_file(png)
    other = tmp_path / "notes.pdf"
    other.write_text("hello")
    with pytest.raises(IngestError, match="only .txt, .md and .html"):
        read_article_file(other)


def test_giant_words_and_run_on_sentences_are_split_verbatim(bot) -> None:  # noqa: ANN001
    from index.ingest import Article
    from index.nlp import load_nlp
    from index.passages import build_passages

    giant = "x" * 10_000
    run_on = " ".join(f"word{i}" for i in range(600))  # one "sentence" far over the window
    article = Article.from_paragraphs("Edge cases", [f"Start {giant} end.", run_on])
    emb = bot.embedder
    passages = build_passages(article, load_nlp(), emb.count_tokens, emb.max_tokens)
    body = article.body
    for p in passages:
        assert body[p.start : p.end] == p.text
        assert emb.count_tokens(p.text) <= emb.max_tokens - 2
        for s in p.sentences:
            assert p.text[s.start : s.end] == s.text
    first = "".join(p.text for p in passages if p.paragraph == 1)
    assert first.replace(" ", "") == f"Start {giant} end.".replace(" ", "")
    assert {p.paragraph for p in passages} == {1, 2}


def test_unreadable_paths_get_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="cannot read|no such file"):
        read_article_file(tmp_path / ("n" * 9000 + ".md"))
    with pytest.raises(IngestError, match="no such file"):
        read_article_file(tmp_path / "../../x.html")


def test_a_parse_is_spacys_and_is_read_once_per_text() -> None:
    from index.nlp import load_nlp, parse

    text = "The mayor opened the bridge in May. It cost £4m."
    fresh = load_nlp()(text)
    assert [(w.text, w.pos_, w.dep_) for w in parse(text)] == [
        (w.text, w.pos_, w.dep_) for w in fresh
    ]
    assert parse(text) is parse(text)  # kept: the claim check reads one sentence many ways
    assert parse(text + " ") is not parse(text)
