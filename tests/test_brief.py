"""The cited briefing: every section present, every citation verbatim, numbers attributed to
their source, one who's-who entry per person, suggested questions that the app answers."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app.engine import Briefbot
from bot.app.settings import Settings
from bot.brief.briefing import SECTIONS, build_brief
from bot.brief.facts import article_sentences, figure_in, name_key
from bot.brief.qgen import parsed_questions
from bot.qa.citations import verified
from index.ingest import Article

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def seed_brief(bot):  # noqa: ANN001, ANN201
    name = bot.default_article()
    return build_brief(bot.stored(name), lambda q: bot.ask(q, name))


def _texts(brief, section: str) -> list[str]:  # noqa: ANN001
    return [line.text for line in brief.sections[section]]


def test_every_section_present_and_every_citation_verbatim(bot, seed_brief) -> None:  # noqa: ANN001
    d = seed_brief.to_dict()
    for section in SECTIONS:
        assert d[section], f"empty section {section}"
        for line in d[section]:
            assert line["text"] and line["citations"]
    stored = bot.stored()
    for lines in seed_brief.sections.values():
        for line in lines:
            for c in line.citations:
                verified(c)
                assert stored.passage(c.passage).text == c.text
    assert 2 <= len(d["bottom_line"]) <= 3 and 5 <= len(d["key_facts"]) <= 8


def test_briefing_lines_come_from_the_article(bot, seed_brief) -> None:  # noqa: ANN001
    body = bot.stored().article.body
    for section in ("bottom_line", "key_facts", "open_questions"):
        for text in _texts(seed_brief, section):
            assert text in body


def test_numbers_keep_each_estimate_with_its_source(seed_brief) -> None:  # noqa: ANN001
    numbers = _texts(seed_brief, "numbers")
    us = [t for t in numbers if t.startswith("about 10,000")]
    seoul = [t for t in numbers if t.startswith("11,000")]
    assert len(us) == 1 and us[0].endswith("(per the U.S.)")
    assert len(seoul) == 1 and seoul[0].endswith("(per Seoul and its allies)")
    assert any(t.startswith("more than 3,000") for t in numbers)
    assert any(t.startswith("1,000") and "containers" in t for t in numbers)


def test_whos_who_roles_and_one_entry_per_person(seed_brief) -> None:  # noqa: ANN001
    people = _texts(seed_brief, "whos_who")
    assert "Lloyd Austin: Defense Secretary" in people
    assert "Kim Yong-hyun: South Korean Defense Minister" in people
    assert "Antony Blinken: Secretary of State" in people
    assert "Cho Tae-yul: South Korean Foreign Minister" in people
    keys = [name_key(p.split(":")[0]) for p in people]
    assert len(keys) == len(set(keys))
    assert not any(p.split(":")[0] in ("Austin", "Kim") for p in people)  # folded into full names


def test_two_spellings_of_one_name_merge(tmp_path: Path, embedder) -> None:  # noqa: ANN001
    assert name_key("Kim Yong Hyun") == name_key("Kim Yong-hyun") == "kim yong hyun"
    article = Article.from_paragraphs(
        "Ministers meet",
        [
            "South Korean Defense Minister Kim Yong Hyun arrived in Washington on Tuesday.",
            "Kim Yong-hyun met Defense Secretary Lloyd Austin at the Pentagon.",
            "Kim said the talks were useful.",
        ],
    )
    b = Briefbot(Settings(home=tmp_path / "h"), embedder=embedder)
    b.index_article(article, "ministers")
    brief = build_brief(b.stored("ministers"))
    people = [t for t in _texts(brief, "whos_who") if t.lower().startswith("kim")]
    assert len(people) == 1 and people[0].endswith("South Korean Defense Minister")


def test_quotes_have_their_speaker(seed_brief) -> None:  # noqa: ANN001
    quotes = _texts(seed_brief, "key_quotes")
    assert any(
        "the likelihood is pretty high" in q and q.endswith("(Lloyd Austin)") for q in quotes
    )


def test_suggested_questions_are_answerable(bot, seed_brief) -> None:  # noqa: ANN001
    suggested = seed_brief.sections["suggested_questions"]
    assert len(suggested) == 5
    for line in suggested:
        assert line.text.endswith("?")
        answer = bot.ask(line.text)
        assert not answer.abstained and answer.citations


def test_timeline_is_in_time_order(seed_brief) -> None:  # noqa: ANN001
    """Weekdays as the article writes them (never a calendar date it does not state), still
    ordered by when they fall."""
    labels = [t.split(":")[0] for t in _texts(seed_brief, "timeline")]
    assert not any(re.search(r"\d{4}-\d\d-\d\d", t) for t in labels), labels
    assert labels.index("Wednesday") < labels.index("Thursday"), labels
    assert labels.index("earlier this month") < labels.index("Wednesday"), labels


@pytest.mark.parametrize("path", sorted(DATA.glob("brief_*")))
def test_other_articles_get_a_full_cited_briefing(tmp_path: Path, embedder, path: Path) -> None:  # noqa: ANN001
    b = Briefbot(Settings(home=tmp_path / "h"), embedder=embedder)
    name = b.index_file(path).name
    brief = build_brief(b.stored(name), lambda q: b.ask(q, name))
    d = brief.to_dict()
    for section in SECTIONS[:6]:  # all but timeline and suggested questions
        assert d[section], (path.name, section)
    for lines in brief.sections.values():
        for line in lines:
            for c in line.citations:
                verified(c)
    assert all(":" in t and t.split(": ", 1)[1] for t in _texts(brief, "whos_who"))
    assert all(q.endswith(")") for q in _texts(brief, "key_quotes"))  # every quote has a speaker
    json.dumps(d)  # serialisable as the CLI prints it


def test_brief_command(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.app.cli import main

    assert main(["brief", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(SECTIONS) <= set(d)
    assert main(["brief"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# Briefing: North Korean troops")
    assert "## Who's who" in md and "[¶9]" in md


# ---- issue 17 part 3: briefings on news in general ----------------------------------------

NEWS = Path(__file__).parents[1].parent / "shared" / "news"

FOOTBALL = [
    "The takeover of Leeds United by a local consortium was completed on Monday, the club said.",
    "The group paid £25m for the club and will hold 80% of the shares, according to a statement.",
    "Leeds face Sheffield Wednesday at Elland Road next month in front of a crowd of 30,000.",
    "The official did not provide any additional detail about the deal.",
    "It is not yet known whether the manager will stay on, and the board refused to comment.",
    "Supporters said the sale had been expected for weeks and welcomed the new owners.",
]


def test_news_briefing_rules(tmp_path, embedder) -> None:  # noqa: ANN001
    """A weekday inside a club's name is not a date, a reporting formula is not an open
    question, a figure keeps its currency and unit, the bottom line is the event."""
    b = Briefbot(Settings(home=tmp_path / "h"), embedder=embedder)
    b.index_article(Article.from_paragraphs("Leeds takeover completed", FOOTBALL), "leeds")
    brief = build_brief(b.stored("leeds"), lambda q: b.ask(q, "leeds"))
    timeline = _texts(brief, "timeline")
    assert not any(t.startswith("Wednesday") for t in timeline), timeline
    opens = _texts(brief, "open_questions")
    assert any("not yet known" in t for t in opens)
    assert not any("additional detail" in t for t in opens), opens
    numbers = _texts(brief, "numbers")
    assert any(t.startswith("£25m:") for t in numbers), numbers
    assert any(t.startswith("80%:") for t in numbers), numbers
    assert "takeover" in _texts(brief, "bottom_line")[0]


@pytest.mark.skipif(not NEWS.is_dir(), reason="../shared/news/ is absent")
@pytest.mark.parametrize("name", ["politics-102", "sport-104"])  # TUNE split
def test_news_briefings_stand_alone_and_cover_the_story(tmp_path, embedder, name) -> None:  # noqa: ANN001
    b = Briefbot(Settings(home=tmp_path / "h"), embedder=embedder)
    b.index_file(NEWS / f"{name}.txt", name)
    stored = b.stored(name)
    brief = build_brief(stored, lambda q: b.ask(q, name))
    for line in brief.sections["bottom_line"] + brief.sections["key_facts"]:
        first = line.text.split()[0]
        assert first[:1].isupper() and first not in ("He", "She", "It", "They", "But"), line
        assert "(" not in first and line.text.count("”") <= line.text.count("“")
    # paragraphs of running text (a sports report ends with line-ups and bare figures)
    paragraphs = sorted(
        {p.paragraph for p in stored.passages if len(re.findall(r"\b[a-z]{3,}\b", p.text)) >= 8}
    )
    cited = {int(c.passage[1:].split(".")[0]) for line in brief.sections["key_facts"]
             for c in line.citations}  # fmt: skip
    assert max(cited) > paragraphs[len(paragraphs) // 2], cited  # not all from the top
    assert len(brief.sections["suggested_questions"]) == 5


SALES = [
    "Carmaker Volta said on Tuesday that its profits fell to 785m euros in 2004.",
    "Every week the company ships 2,000 cars, a rate it has kept for a full year.",
    "Profits had risen to 1.1bn euros in 2003, when demand in China was strong.",
    "Last week the firm's chief executive, Anna Berg, said prices would rise in 2006.",
]


def test_timeline_holds_only_dates_in_time_order(tmp_path, embedder) -> None:  # noqa: ANN001
    """A frequency ("Every week") or a length ("a full year") is not a date; years and
    relative dates are ordered by when they fall, not by where they are in the article."""
    b = Briefbot(Settings(home=tmp_path / "h"), embedder=embedder)
    article = replace(Article.from_paragraphs("Volta profits fall", SALES), date="2005-02-10")
    b.index_article(article, "v")
    timeline = _texts(build_brief(b.stored("v"), lambda q: b.ask(q, "v")), "timeline")
    labels = [t.split(":")[0] for t in timeline]
    assert not any(re.search(r"(?i)every week|full year", t) for t in labels), timeline
    years = [int(y) for t in labels for y in re.findall(r"\b(?:19|20)\d\d\b", t)[:1]]
    assert years == sorted(years) and 2003 in years, timeline


# ---- issue 17, briefing part: quotes, who's who, timeline, context, questions, numbers ----

QUOTED = [
    "DJ Norman Cook has released a new album, his first in four years.",
    "He was married to Radio One presenter Zoe Ball until last year.",
    "\"I said to Zoe, 'I did this track about us, do you mind if it is on the album?'\" he "
    "recalled.",
    "Home Office minister Hazel Blears said stop and search would change. Later, the prime "
    "minister's official spokesman urged people to put Ms Blears' comments into context.",
    '"It is not aimed at a particular community, it is not police policy," he added.',
    "Mr Tom Baker and Ms Sarah Lane met the club's board on Friday.",
    '"We had a long talk about the future of the club," he said.',
    "Finance Minister Sue Essex said the deal was fair. The money was announced by Chancellor "
    'Gordon Brown. "We are confident councils will cope with the settlement," she said.',
]


def _brief_of(tmp_path: Path, embedder, paragraphs: list[str], title: str, ask: bool = False):  # noqa: ANN001, ANN202
    b = Briefbot(Settings(home=tmp_path / "h"), embedder=embedder)
    b.index_article(Article.from_paragraphs(title, paragraphs), "a")
    return build_brief(b.stored("a"), (lambda q: b.ask(q, "a")) if ask else None)


def test_quotes_go_only_to_the_speaker_the_text_gives(tmp_path, embedder) -> None:  # noqa: ANN001
    """The name inside the quotation (the addressee) is not the speaker; "he added" after a
    spokesman is the spokesman, as described, not the last named person; two people named
    together leave "he said" unattributed rather than guessed."""
    quotes = _texts(_brief_of(tmp_path, embedder, QUOTED, "Quotes"), "key_quotes")
    zoe = [q for q in quotes if "I said to Zoe" in q]
    assert len(zoe) == 1 and zoe[0].endswith("(Norman Cook)"), quotes
    policy = [q for q in quotes if "not police policy" in q]
    assert len(policy) == 1, quotes
    assert policy[0].endswith("(the prime minister's official spokesman)"), policy
    talk = [q for q in quotes if "long talk" in q]  # no speaker: left out, not guessed
    assert not talk, talk
    assert not any(q.endswith(("(Zoe Ball)", "(Hazel Blears)")) for q in quotes), quotes
    councils = [q for q in quotes if "councils will cope" in q]  # Brown is no subject there
    assert len(councils) == 1 and not councils[0].endswith("(Gordon Brown)"), councils


TIMES = [  # one date a sentence: a sentence with two is listed under one of them only
    "Carmaker Volta said on Wednesday that its profits had fallen, down from 1.1bn euros in 2003.",
    "Every week the company ships 2,000 cars, a rate it has kept for a full year.",
    "In 2003 the firm opened a plant in Spain, and that year its sales rose sharply.",
    "The year 2004 was a hard one for the company and for its workers.",
    "The chief executive, Anna Berg, met the unions on Thursday to discuss their pay.",
    "Volta expects prices to rise in 2006 as new models arrive.",
    "In the cup final Smith scored the winner in the 74th minute. Jones had missed a penalty in "
    "the 14th minute.",
]


def test_timeline_dates_as_written_once_each(tmp_path, embedder) -> None:  # noqa: ANN001
    """Only dates the article states, as written ("Wednesday", not the calendar date it falls
    on), each once, not from the sentence where it is only the comparison, in order; a match's
    minute marks in minute order."""
    b = Briefbot(Settings(home=tmp_path / "h"), embedder=embedder)
    article = replace(Article.from_paragraphs("Volta profits fall", TIMES), date="2005-02-10")
    b.index_article(article, "v")
    timeline = _texts(build_brief(b.stored("v")), "timeline")
    labels = [t.split(":")[0] for t in timeline]
    assert not any(re.search(r"\d{4}-\d\d-\d\d", t) for t in timeline), timeline
    assert "Wednesday" in labels and "Thursday" in labels, labels
    assert not any(re.search(r"(?i)every week|full year|that year|the year", t) for t in labels)
    assert len(labels) == len({t.lower() for t in labels}), labels  # each date once
    line_2003 = [t for t in timeline if t.startswith("2003:")]
    assert len(line_2003) == 1 and "opened a plant" in line_2003[0], timeline
    years = [int(t) for t in labels if t.isdigit()]
    assert years == sorted(years) == [2003, 2004, 2006], labels
    assert labels.index("Wednesday") < labels.index("Thursday"), labels
    assert labels.index("14th minute") < labels.index("74th minute"), labels


LEANING = [
    "Defense Secretary Lloyd Austin said North Korean troops are moving to the Kursk region.",
    "Austin said the likelihood is high that Russia will use the troops in combat in Ukraine.",
    "There is a high possibility that Pyongyang will ask for new technologies in exchange, he "
    "said, speaking through an interpreter.",
    "The U.S. has estimated there are about 10,000 North Korean troops now in Russia. Seoul and "
    "its allies, however, assess that the number has increased to 11,000 soldiers.",
    "The researchers conducted two studies into the impact of the deployment on the region.",
    "The second project looked at how the troops could be supplied over the winter months.",
]


def test_facts_never_lean_on_a_sentence_they_do_not_show(tmp_path, embedder) -> None:  # noqa: ANN001
    """ "he said" after a paragraph about someone else, "however" with nothing before it and
    "The second project" alone are left out, or shown with the sentence they lean on."""
    brief = _brief_of(tmp_path, embedder, LEANING, "Troops head toward Ukraine")
    lines = _texts(brief, "bottom_line") + _texts(brief, "key_facts")
    assert len(_texts(brief, "key_facts")) >= 2, lines
    assert not any("speaking through an interpreter" in t for t in lines), lines
    assert all("about 10,000" in t for t in lines if "however" in t), lines
    assert not any(t.startswith(("The second", "Seoul and its allies")) for t in lines), lines


FIRM = [
    "Carmaker Volta has reported a sharp fall in profits for 2004.",
    "Sales of Volta's cars fell 12% in 2004 because demand in China was weak.",
    "For the year as a whole, its operating profits fell 46% to 1.6bn euros from 2.9bn euros.",
    "Volta's new model stayed in the European top 10 for just three weeks, and an event in "
    "Madrid attracted 250,000, buyers.",
    "Volta agreed a deal with partner Mitsubishi Motors last week to buy out its stake.",
    '"We will recover in 2006 with new models," said Tom Reed.',
    "Reed said the company would also cut 2,000 jobs in Germany next year.",
    "Analyst Mark Fox said profits would recover because new models were coming.",
]


def test_numbers_who_and_questions_on_a_business_story(tmp_path, embedder) -> None:  # noqa: ANN001
    """Numbers: no chart name, no stray comma, whose figure "its" is, each figure once.
    Who's who: a quoted person with no role is listed, most named first, no company.
    Questions: no "how many euros are in 2003", no "Who is <company>", "What did X say?" only
    for someone quoted, not all "Who is"."""
    brief = _brief_of(tmp_path, embedder, FIRM, "Volta profits fall", ask=True)
    numbers = _texts(brief, "numbers")
    figures = [t.split(": ", 1)[0] for t in numbers]
    assert not any(f.startswith("10") for f in figures), numbers  # "top 10"
    assert not any(re.search(r"\d,(?:\s|$)", f) for f in figures), numbers
    assert any("250,000" in f for f in figures), numbers
    its = [t for t in numbers if t.startswith("46%")]
    assert len(its) == 1 and "Volta" in its[0].split(": ", 1)[0], its
    assert len(figures) == len(set(figures)), numbers  # one entry per figure
    people = _texts(brief, "whos_who")
    assert people and people[0].startswith("Tom Reed"), people
    assert not any("Mitsubishi" in p for p in people), people
    questions = _texts(brief, "suggested_questions")
    assert questions, questions
    assert not any(re.search(r"(?i)how many (?:euros|dollars)|in \d{4}\?$", q) for q in questions)
    assert not any(q.startswith(("Who is Mitsubishi", "Who is Volta")) for q in questions)
    quoted = {q.rsplit("(", 1)[-1].rstrip(")") for q in _texts(brief, "key_quotes")}
    for q in questions:
        said = re.match(r"What did (.+) say\?$", q)
        assert not said or said.group(1) in quoted, (q, quoted)
    assert not all(q.startswith("Who is") for q in questions), questions


LIMITS = [
    "Shop prices in the country rose at the fastest rate since May last month, official figures "
    "showed.",
    "Ministers will discuss the figures at next week's summit in the capital city.",
    "The firm opened a new plant in 2003 and closed an old factory last year.",
    "Engineers have designed a faster chip for mobile phones. However this is not likely to "
    "appear until 2006.",
    "Sales of the chip will be higher by 2007, the firm hopes, than they were in 2004.",
]


def test_timeline_labels_are_dates_of_events(tmp_path, embedder) -> None:  # noqa: ANN001
    """A label is a whole date as written, without a possessive "'s" ("next week", not "next
    week's"; "last month", not "May last month"); "since", "until", "by" and "than ... in"
    dates are limits, not events; one sentence under one date; no "However this" alone; in
    time order (the article is dated 10 February 2005)."""
    b = Briefbot(Settings(home=tmp_path / "h"), embedder=embedder)
    article = replace(Article.from_paragraphs("Prices rise", LIMITS), date="2005-02-10")
    b.index_article(article, "p")
    timeline = _texts(build_brief(b.stored("p")), "timeline")
    labels = [t.split(": ", 1)[0] for t in timeline]
    assert labels == ["2003", "last month", "next week"], timeline
    assert len({t.split(": ", 1)[1] for t in timeline}) == len(timeline), timeline
    assert not any("However this" in t for t in timeline), timeline


OPINION = [
    "The government has announced new rules for asylum seekers arriving in the country.",
    "Under the rules, asylum claims will be processed at centres outside the European Union.",
    "\"The plan is cruel and unworkable. Michael Howard's policy effectively means there is no "
    'safe haven in the UK. We will fight it," said Hannah Ward of the Refugee Council.',
    "Ministers said the new centres would cut the number of false asylum claims by half. "
    "Officials believe there is little risk of this happening before the general election.",
    "The move is in answer to criticism from opposition parties over the rising number of claims.",
    "Engineers at the Home Office have built a new computer system to track asylum claims. "
    "The software will also check the fingerprints of every asylum applicant.",
    'Analysts said the government "may well consider that the balance of risks has shifted".',
    "Home Secretary Anna Reid said the rules were fair. The rules were drafted by Chancellor "
    'Tom Hale. She said she was "confident that the centres will be ready in time."',
]


def test_facts_are_the_articles_statements_standing_alone(tmp_path, embedder) -> None:  # noqa: ANN001
    """A quoted opinion is not a key fact without its speaker, and the bottom line is never
    a quotation; "the move", "The software will also", "this happening" come with the
    sentence they point back to or not at all; a quotation in Key quotes has its speaker
    (a "she" after another person's name is the last speaker in the paragraph) or is left
    out."""
    brief = _brief_of(tmp_path, embedder, OPINION, "Asylum rules tightened")
    bottom, facts = _texts(brief, "bottom_line"), _texts(brief, "key_facts")
    assert len(facts) >= 2 and bottom, (bottom, facts)
    assert not any('"' in t or "safe haven" in t for t in bottom), bottom
    for t in facts:
        assert "safe haven" not in t or "said Hannah Ward" in t, t
        assert not t.startswith("The move"), t
        assert "The software" not in t or "Engineers at the Home Office" in t, t
        assert "this happening" not in t or "cut the number" in t, t
    quotes = _texts(brief, "key_quotes")
    assert all(q.endswith(")") for q in quotes), quotes
    assert not any("balance of risks" in q for q in quotes), quotes
    confident = [q for q in quotes if "centres will be ready" in q]
    assert len(confident) == 1 and confident[0].endswith("(Anna Reid)"), quotes


ROLES = [
    "Home Secretary Tom Reid announced new asylum rules on Monday.",
    '"The plan is cruel and unworkable," said Hannah Ward of the Refugee Council.',
    "The CBI's director general Digby Jones said the plan would hurt small firms.",
    '"It is a disaster for the whole economy," said Anna Bell.',
    "Mr Reid said the rules were fair. Mr Reid also said the centres would open in May.",
    '"We will not back down on this at all," said Mr Reid.',
]


def test_whos_who_gives_the_role_or_organisation_not_just_quoted(tmp_path, embedder) -> None:  # noqa: ANN001
    """ "X of Y" gives the organisation, "Y's X" the title; someone only quoted, with no role
    and not the story's most named person, is left out rather than listed as "quoted"."""
    people = _texts(_brief_of(tmp_path, embedder, ROLES, "Asylum rules"), "whos_who")
    assert "Hannah Ward: of the Refugee Council" in people, people
    assert "Digby Jones: CBI's director general" in people, people
    assert not any(p.startswith("Anna Bell") or p.endswith(": quoted") for p in people), people
    assert people[0].startswith("Tom Reid"), people


SAID = [
    "Conservative leader Michael Howard has attacked the government over asylum.",
    "The plans were published on Monday and will be debated in parliament next month.",
    '"This is a disgrace and it must stop," said Mr Howard.',
]


def test_what_did_x_say_only_when_the_citation_quotes_x(tmp_path, embedder) -> None:  # noqa: ANN001
    """ "What did Michael Howard say?" is kept only with a citation of a passage that holds a
    quotation credited to him: an answerer citing a passage without his words loses it."""
    from bot.qa.answer import Answer
    from bot.qa.citations import cite

    b = Briefbot(Settings(home=tmp_path / "h"), embedder=embedder)
    b.index_article(Article.from_paragraphs("Asylum row", SAID), "a")
    stored = b.stored("a")
    plans = next(p for p in stored.passages if p.text.startswith("The plans"))
    words = next(p for p in stored.passages if "disgrace" in p.text)

    def questions(passage):  # noqa: ANN001, ANN202
        def ask(q: str) -> Answer:  # an answerer that always cites `passage`
            return Answer(q, passage.text, None, False, (cite(passage, 0, len(passage.text)),))

        brief = build_brief(stored, ask)
        return {line.text: line.citations for line in brief.sections["suggested_questions"]}

    assert "What did Michael Howard say?" not in questions(plans)
    kept = questions(words)
    assert [c.passage for c in kept.get("What did Michael Howard say?", ())] == [words.id], kept


LAUNCH = [
    "Apple launched the iPod in October 2001, three years before its first music store opened.",
    "Sales of legally downloaded songs rose sharply in 2004, the industry body said.",
    "The carmaker paid $850m to settle the lawsuit brought by its former dealers.",
    "Celtic brushed aside Clyde in the Scottish Cup quarter-final at Broadwood on Sunday.",
    "Stan Varga headed Celtic into the lead five minutes before the break.",
]


def test_who_when_and_how_much_questions_are_read_off_the_sentence(tmp_path, embedder) -> None:  # noqa: ANN001
    """Questions made from a sentence's parse: grammatical (a lower-case common subject,
    the verb's base form after "did"), the clause not cut inside a phrase, and each with
    the words of the sentence that answer it; a briefing keeps one only when the answerer
    replies with those words."""
    b = Briefbot(Settings(home=tmp_path / "h"), embedder=embedder)
    b.index_article(Article.from_paragraphs("Music and football", LAUNCH), "a")
    asked = parsed_questions(article_sentences(b.stored("a")))
    pairs = {q: a for kind in asked.values() for q, a in kind}

    def answered(start: str) -> set[str]:
        return {a for q, a in pairs.items() if q.startswith(start)}

    assert answered("When did Apple launch the iPod") == {"October 2001"}, pairs
    assert answered("When did sales of legally downloaded songs rise") == {"2004"}, pairs
    assert answered("How much did the carmaker pay") == {"$850m"}, pairs
    assert answered("Who headed Celtic into the lead") == {"Stan Varga"}, pairs
    for q in pairs:
        assert q.endswith("?") and not re.search(r"\b(?:the|of|in|a|to)\?$", q), q
    brief = build_brief(b.stored("a"), lambda q: b.ask(q, "a"))
    for line in brief.sections["suggested_questions"]:
        if line.text in pairs:
            reply = b.ask(line.text, "a")
            assert pairs[line.text].split()[-1] in reply.answer, (line.text, reply.answer)


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("Andre 3000 and Big Boi released the album.", None),  # a number in a name
        ("The FTSE 100 index rose on Monday.", None),
        ("Boeing 747 jets were grounded.", None),
        ("Some 300 jobs will go.", "300"),  # capitalised only as the first word
        ("Sales rose in March 2004 to 40,000 units.", "2004"),
        ("Microsoft sold 300 copies.", "300"),
        ("The group paid £25m for the club.", "£25m"),
    ],
)
def test_a_number_inside_a_name_is_not_a_figure(text: str, figure: str | None) -> None:
    m = re.search(r"\d[\d,.]*", text)
    assert m is not None
    at = figure_in(text, m.start(), m.end())
    assert (text[at[0] : at[1]] if at else None) == figure


def test_a_role_given_to_a_list_is_said_of_each_one(tmp_path, embedder) -> None:  # noqa: ANN001
    """ "photographers David Bailey, Rankin and Nan Goldin": who's who says "photographer"."""
    paragraphs = [
        "Camera phones are now used by photographers David Bailey, Rankin and Nan Goldin.",
        "Sales of the phones rose by 40% last year, the research firm Canalys said on Monday.",
        "The phones will soon carry cameras of up to six megapixels, analysts said.",
    ]
    brief = _brief_of(tmp_path, embedder, paragraphs, "Camera phones")
    lines = _texts(brief, "whos_who")
    assert "David Bailey: photographer" in lines, lines
    assert not any(t.endswith(": photographers") for t in lines), lines
    for line in brief.sections["whos_who"]:  # the quote shows the role and the name
        name = line.text.split(":")[0]
        quote = line.citations[0].quote
        assert quote.startswith("photographers") and quote.endswith(name), (name, quote)


@pytest.mark.parametrize(
    ("role", "one"),
    [("photographers", "photographer"), ("Princes", "Prince"), ("actresses", "actress"),
     ("Princess", "Princess"), ("Blues boss", "Blues boss"), ("leader of the Democrats",
     "leader of the Democrats"), ("ex-managers", "ex-manager")],
)  # fmt: skip
def test_a_plural_role_is_said_of_one(role: str, one: str) -> None:
    from bot.brief.briefing import _one_of

    assert _one_of(role) == one


def test_whos_who_cites_the_name_next_to_its_role(tmp_path, embedder) -> None:  # noqa: ANN001
    """The quote shows the mention of the name that the role describes, not an earlier one in
    the same sentence ("... Diana had been treated ..., said Ros Coward, who wrote the
    biography of Diana, princess of Wales")."""
    paragraphs = [
        "The royal couple will marry in April at Windsor Castle, the palace said on Thursday.",
        '"His divorce from Diana and the way Diana had been treated hurt him," said Ros Coward, '
        "who wrote the authorised biography of Diana, princess of Wales.",
        "Diana died in Paris in 1997 after a car crash.",
    ]
    brief = _brief_of(tmp_path, embedder, paragraphs, "Royal wedding")
    lines = [x for x in brief.sections["whos_who"] if x.text.startswith("Diana:")]
    assert [x.text for x in lines] == ["Diana: princess of Wales"], brief.sections["whos_who"]
    assert lines[0].citations[0].quote == "Diana, princess of Wales"


def test_whos_who_cites_the_full_name_with_a_role_after_is_a(tmp_path, embedder) -> None:  # noqa: ANN001
    paragraphs = [
        "Bloggers are helping to spread news of the relief effort, the charity said on Monday.",
        "Dina Mehta is an Indian blogger who is helping with a new tsunami blog. Ms Mehta says "
        "the blog is not meant to be filled with first person accounts.",
    ]
    brief = _brief_of(tmp_path, embedder, paragraphs, "Tsunami blogs")
    lines = {x.text: x.citations[0].quote for x in brief.sections["whos_who"]}
    assert lines == {"Dina Mehta: Indian blogger": "Dina Mehta is an Indian blogger"}, lines
