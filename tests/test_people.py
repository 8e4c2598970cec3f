"""Who is who (index/people.py): people on evidence, one person under all of its names, roles
from both sides of the name. Expectations come from reading the articles, not from the code."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from index.nlp import load_nlp
from index.people import Person, find_people, people_in, who_is

REPO = Path(__file__).resolve().parent.parent
SEED = sorted((REPO / "index" / "articles").glob("*.txt"))[0]
NEWS = REPO.parent / "shared" / "news"

needs_news = pytest.mark.skipif(
    not NEWS.is_dir(), reason=f"BBC stories not present at {NEWS} (../shared/news/)"
)


def _people(text: str) -> tuple[Person, ...]:
    return find_people(load_nlp()(text))


def _story(name: str) -> tuple[str, tuple[Person, ...]]:
    text = (NEWS / f"{name}.txt").read_text(encoding="utf-8")
    return text, _people(text)


def _by_name(people: tuple[Person, ...]) -> dict[str, Person]:
    return {p.name: p for p in people}


def _role_text(text: str, p: Person) -> str:
    assert p.role_span is not None
    return text[p.role_span[0] : p.role_span[1]]


# --------------------------------------------------------------------------- the seed article


@pytest.fixture(scope="module")
def seed() -> tuple[str, tuple[Person, ...]]:
    text = SEED.read_text(encoding="utf-8")
    return text, _people(text)


def test_seed_people_and_roles(seed: tuple[str, tuple[Person, ...]]) -> None:
    text, people = seed
    roles = {p.name.replace("-", " "): p.role for p in people}
    assert roles["Lloyd Austin"] == "Defense Secretary"
    assert roles["Kim Yong Hyun"] == "South Korean Defense Minister"
    assert roles["Antony Blinken"] == "Secretary of State"
    assert roles["Cho Tae yul"] == "South Korean Foreign Minister"
    assert roles["Vladimir Putin"] == "Russian President"  # "(Russian President Vladimir) Putin"
    assert roles["Kim Tong hyung"] == "AP reporter"
    # the byline authors and the photo credit are people too, but the text gives no evidence
    # for them (no speech, title, role or pronoun), so exactly these six
    assert set(roles) == {
        "Lloyd Austin",
        "Kim Yong Hyun",
        "Antony Blinken",
        "Cho Tae yul",
        "Vladimir Putin",
        "Kim Tong hyung",
    }


def test_seed_one_person_under_all_names(seed: tuple[str, tuple[Person, ...]]) -> None:
    text, people = seed
    austin = who_is(people, "Who is Lloyd Austin?")
    assert austin is not None and austin.name == "Lloyd Austin"
    assert set(austin.aliases) == {"Lloyd Austin", "Austin"}
    # every "Austin" in the article is Lloyd Austin
    assert len(austin.mentions) == text.count("Austin")
    assert all(text[s:e].endswith("Austin") for s, e in austin.mentions)
    assert "speaker" in austin.evidence and "role" in austin.evidence
    assert _role_text(text, austin) == "Defense Secretary"


def test_seed_two_kims_not_merged(seed: tuple[str, tuple[Person, ...]]) -> None:
    _, people = seed
    minister = who_is(people, "who is kim yong-hyun")
    reporter = who_is(people, "Who is Kim Tong-hyung?")
    assert minister is not None and reporter is not None and minister is not reporter
    # "Kim said ..." is the minister, the most recent full name before it; the reporter only
    # appears in the closing credit
    assert who_is(people, "Kim") is minister
    assert "Kim" in minister.aliases and "Kim" not in reporter.aliases
    assert {"Kim Yong Hyun", "Kim Yong-hyun"} <= set(minister.aliases)
    assert len(reporter.mentions) == 1


# --------------------------------------------------------------------------- BBC tune stories


@needs_news
def test_apposition_roles_and_honorific_alias() -> None:
    text, people = _story("business-111")
    by = _by_name(people)
    assert set(by) == {"Patrick Cescau", "Antony Burgmans", "Arjan Sweere"}
    # "Patrick Cescau, the UK-based co-chairman, will become group chief executive."
    assert by["Patrick Cescau"].role == "the UK-based co-chairman"
    assert {"Cescau", "Mr Cescau"} <= set(by["Patrick Cescau"].aliases)
    assert by["Antony Burgmans"].role == "Dutch co-chairman"
    # 'said Arjan Sweere, an analyst at Petercam.'
    assert by["Arjan Sweere"].role == "an analyst at Petercam"
    assert "speaker" in by["Arjan Sweere"].evidence
    assert _role_text(text, by["Arjan Sweere"]) == "an analyst at Petercam"


@needs_news
def test_roles_before_and_after_the_name() -> None:
    text, people = _story("politics-101")
    by = _by_name(people)
    essex = by["Sue Essex"]
    assert essex.role == "Finance Minister" and "title" in essex.evidence
    assert {"Ms Essex", "Essex"} <= set(essex.aliases)
    assert len(essex.mentions) == text.count("Essex")
    # "Plaid Cymru's local government spokesman Dai Lloyd" (Y's ... X)
    assert by["Dai Lloyd"].role == "Plaid Cymru's local government spokesman"
    # "Mike German, leader of the Liberal Democrats in the assembly, claimed"
    assert by["Mike German"].role == "leader of the Liberal Democrats in the assembly"
    # labelled ORG by spaCy, a person by his role
    assert by["Glyn Davies"].role == "Conservative local government spokesman"
    # "After the announcement WLGA finance spokesman Bob Wellington, of Torfaen, said"
    assert by["Bob Wellington"].role == "WLGA finance spokesman"
    assert by["Gordon Brown"].role == "Chancellor"
    assert set(by) == {
        "Sue Essex",
        "Gordon Brown",
        "Bob Wellington",
        "Dai Lloyd",
        "Mike German",
        "Glyn Davies",
    }


@needs_news
def test_first_name_surname_and_sir_are_one_person() -> None:
    _, people = _story("politics-102")
    by = _by_name(people)
    blunkett = by["David Blunkett"]
    # "Mr Blunkett's ex-lover's nanny", "my admiration for David"
    assert {"David Blunkett", "Blunkett", "Mr Blunkett", "David"} <= set(blunkett.aliases)
    budd = by["Alan Budd"]
    assert {"Sir Alan Budd", "Sir Alan"} <= set(budd.aliases)
    assert by["Tony Blair"].role == "Prime Minister"
    assert by["Michael Howard"].role == "Conservative leader"
    assert by["Mark Oaten"].role == "Lib Dem home affairs spokesman"
    assert who_is(people, "Who is Mr Blunkett?") is blunkett
    assert not any("Lib Dem" in p.name for p in people)  # "the Lib Dems", a party
    assert len(people) == 5


@needs_news
def test_dash_apposition_and_a_work_excluded() -> None:
    text, people = _story("entertainment-120")
    by = _by_name(people)
    # "Rob Partridge - Marley's former head of press at Island Records - remembers"
    assert by["Rob Partridge"].role == "Marley's former head of press at Island Records"
    marley = by["Bob Marley"]
    assert {"Marley", "Bob"} <= set(marley.aliases)
    assert marley.role == "reggae star"
    # "The album Exodus came out in 1977"; "Redemption Song", a song
    assert not any(n.startswith(("Exodus", "Redemption")) for n in by)


@needs_news
def test_bands_and_charts_are_not_people() -> None:
    _, people = _story("entertainment-103")
    names = {p.name for p in people}
    assert not names & {"Billboard", "Westlife", "Green Day", "The Game"}


@needs_news
def test_listed_names_share_a_plural_role_and_firms_are_not_people() -> None:
    _, people = _story("tech-103")
    by = _by_name(people)
    # "photographers David Bailey, Rankin and Nan Goldin, and artists Sir Peter Blake,
    # Tracey Emin and Jack Vettriano"
    for name in ("David Bailey", "Rankin", "Nan Goldin"):
        assert by[name].role == "photographer"
    for name in ("Peter Blake", "Tracey Emin", "Jack Vettriano"):
        assert by[name].role == "artist"
    assert "Sir Peter Blake" in by["Peter Blake"].aliases
    # "analysts Gartner", "the charity Mencap", "The exhibition, Fonetography,"
    assert not set(by) & {"Gartner", "Mencap", "Fonetography"}
    assert len(people) == 6


@needs_news
def test_clubs_are_not_people_and_managers_have_roles() -> None:
    _, people = _story("sport-101")
    by = _by_name(people)
    assert not set(by) & {"Manchester United", "Manchester City", "City", "Chelsea", "United"}
    assert by["Kevin Keegan"].role == "Manchester City boss"
    assert by["Alex Ferguson"].role == "Manchester United boss"
    assert "Sir Alex Ferguson" in by["Alex Ferguson"].aliases
    assert by["Roy Carroll"].role == "United keeper"
    # "Steve McManaman wasted City's best chance when he shot wide": a pronoun, no role
    assert by["Steve McManaman"].evidence == ("pronoun",)
    _, people = _story("sport-104")
    by = _by_name(people)
    assert not set(by) & {"Chelsea", "Blues", "Liverpool", "Reds"}
    assert by["Jose Mourinho"].role == "Blues boss"


@needs_news
def test_ms_and_surname_one_person_without_a_role() -> None:
    text, people = _story("tech-102")
    by = _by_name(people)
    simonetti = by["Ellen Simonetti"]
    assert {"Ms Simonetti", "Simonetti"} <= set(simonetti.aliases)
    assert len(simonetti.mentions) == text.count("Simonetti")
    assert simonetti.role is None  # the article never gives her a role beside her name
    assert by["Jeffrey Matsuura"].role == (
        "director of the law and technology programme at the University of Dayton"
    )
    assert who_is(people, "who is Matsuura") is by["Jeffrey Matsuura"]


# --------------------------------------------------------------------------- constructed text

SURVEY = (
    "Customers heard Vivaldi while they waited, said Cara Diemont, a director at Sunovate. "
    "Ms Diemont said callers were angry. Diemont's survey found 42% gave up. "
    "Sunovate said it would hire staff. Cara added that waits had doubled."
)


def test_one_person_under_all_names_and_things_excluded() -> None:
    people = people_in(SURVEY)
    assert [p.name for p in people] == ["Cara Diemont"]
    cara = people[0]
    assert set(cara.aliases) == {"Cara Diemont", "Ms Diemont", "Diemont", "Cara"}
    assert cara.role == "a director at Sunovate"
    assert len(cara.mentions) == 4
    for q in ("Who is Ms Diemont?", "who is diemont", "Who is Cara Diemont", "Diemont's"):
        assert who_is(people, q) is cara
    assert who_is(people, "Who is Vivaldi?") is None


def test_party_leader_role_before_comma_and_a_bill_excluded() -> None:
    text = (
        "The Scottish National Party's Holyrood leader, Nicola Sturgeon, said the Health "
        "Service (Miscellaneous Provisions) Bill was flawed. The Bill passed anyway."
    )
    people = people_in(text)
    assert [p.name for p in people] == ["Nicola Sturgeon"]
    assert people[0].role == "The Scottish National Party's Holyrood leader"
    assert "speaker" in people[0].evidence


def test_book_ground_and_club_excluded() -> None:
    text = (
        "Nicholas Negroponte, chairman and founder of MIT's Media Labs, wrote the book Being "
        "Digital. He said laptops would get cheaper. Fans at Leeds' Elland Road watched "
        "Sheffield Wednesday lose."
    )
    people = people_in(text)
    assert [p.name for p in people] == ["Nicholas Negroponte"]
    neg = who_is(people, "Who is Nicholas Negroponte?")
    assert neg is not None and neg.role == "chairman and founder of MIT's Media Labs"
    assert text[neg.role_span[0] : neg.role_span[1]] == neg.role  # type: ignore[index]


def test_two_people_sharing_a_surname_resolve_to_the_latest() -> None:
    text = (
        "Gary Neville crossed and Wayne Rooney scored. Neville said he was delighted. "
        "Later Phil Neville came on. Neville said he was tired."
    )
    by = _by_name(people_in(text))
    gary, phil = by["Gary Neville"], by["Phil Neville"]
    assert len(gary.mentions) == 2 and len(phil.mentions) == 2
    assert gary.mentions[1][0] == text.index("Neville said")
    assert phil.mentions[1][0] == text.rindex("Neville said")


def test_who_is_and_person_is_frozen() -> None:
    p = Person("Lloyd Austin", ("Lloyd Austin", "Austin"), "Defense Secretary", (0, 17), (), ())
    assert who_is([p], "WHO IS LLOYD AUSTIN?") is p
    assert who_is([p], "who is austin") is p
    assert who_is([p], "Who is Mr Austin?") is p
    assert who_is([p], "Who is Kim?") is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.name = "x"  # type: ignore[misc]


def test_import_is_light() -> None:
    code = "import sys, index.people; assert 'spacy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


# ---- issue 17, briefing part: a role is a role, other names, roles from the lead ------------

ROLES = (
    "Muslims should accept that they are more likely to be stopped, a Home Office minister "
    "has said. Hazel Blears said the powers would be used fairly. "
    "Dr Andrew Burn, associate director of the Centre for the Study of Children, Youth and "
    "Media, said games matter. "
    '"Games are fun," said research fellow Diane Carr. '
    "DJ Norman Cook - aka Fatboy Slim - has said that dance is not dead. Fatboy Slim's album "
    "sold badly, Cook admitted. "
    "The firm agreed a deal with partner Mitsubishi Motors on Monday. "
    '"We were winning," said goalkeeper Dean Kiely. But for (Charlton goalkeeper) Dean Kiely, '
    "the home side would have won, he said."
)


def test_roles_are_roles_and_other_names_are_aliases() -> None:
    people = _by_name(_people(ROLES))
    # a described speaker in the lead names the person who opens the next sentence
    assert people["Hazel Blears"].role == "Home Office minister"
    # an organisation's name runs on through "Children, Youth and Media"
    burn = people["Andrew Burn"].role or ""
    assert burn.endswith("Centre for the Study of Children, Youth and Media"), burn
    assert people["Diane Carr"].role == "research fellow"
    # "aka": one person, the other name an alias, and the role still the role
    cook = people["Norman Cook"]
    assert cook.role == "DJ" and "Fatboy Slim" in cook.aka and "Fatboy Slim" in cook.aliases
    assert "Fatboy Slim" not in people
    assert who_is(people.values(), "Who is Fatboy Slim?") is cook
    # a company is not a person; a first name is not a role
    assert not any("Mitsubishi" in name for name in people), list(people)
    kiely = [p for p in people.values() if p.name.endswith("Kiely")]
    assert len(kiely) == 1 and kiely[0].name == "Dean Kiely", kiely
    assert kiely[0].role in ("goalkeeper", "Charlton goalkeeper"), kiely[0].role


def test_a_title_with_one_name_is_not_someone_elses_first_name() -> None:
    """ "Prince Charles" is not "Charles Kennedy" (the review's "Charles Kennedy: Prince"),
    while "Sir Alan" is "Sir Alan Budd"; a two-word surname is the full name's person."""
    text = (
        "Prince Charles and Camilla Parker Bowles are to be married in April, the palace said.\n"
        "Mrs Parker Bowles will take the title Duchess of Cornwall after the ceremony.\n"
        "Charles said he was delighted, and Liberal Democrat leader Charles Kennedy offered his "
        "congratulations.\n"
        "Sir Alan Budd wrote the report. Sir Alan said it was fair."
    )
    people = people_in(text)
    kennedy = who_is(people, "Charles Kennedy")
    assert kennedy is not None and kennedy.role == "Liberal Democrat leader", kennedy
    assert "Prince" not in (kennedy.role or "") and "Charles" not in kennedy.aliases
    assert who_is(people, "Prince Charles") is not kennedy
    assert len([p for p in people if "Parker Bowles" in p.name]) == 1, people
    assert "Sir Alan" in who_is(people, "Alan Budd").aliases  # type: ignore[union-attr]


def test_a_role_is_not_taken_from_a_clause_next_to_the_name() -> None:
    """ "..., the Conservative leader said. Mr Blair's government ..." does not make Mr Blair
    the Conservative leader (a definite description points back, it does not bring in the
    next name); "... Gary Speed, the Greek striker found the corner" is a new clause, not an
    apposition; "..., a Home Office minister has said. Hazel Blears said ..." still is."""
    text = (
        "Tony Blair has failed the country, Michael Howard has said.\n"
        '"Britain is heading in the wrong direction," the Conservative leader said on Monday. '
        "Mr Blair's government was bossy and interfering, he added.\n"
        "After an exchange of passes involving Kevin Davies and Gary Speed, the Greek striker "
        "found the bottom corner with a first-time strike.\n"
        "People of Islamic appearance are more likely to be stopped, a Home Office minister has "
        "said. Hazel Blears said innocent Muslims would be targeted."
    )
    people = people_in(text)
    blair, speed = who_is(people, "Tony Blair"), who_is(people, "Gary Speed")
    assert blair is None or blair.role != "Conservative leader", blair
    assert speed is None or speed.role != "the Greek striker", speed
    blears = who_is(people, "Hazel Blears")
    assert blears is not None and blears.role == "Home Office minister", blears


# ---- synthetic texts (issue 17: every who's who entry a person with the role given) --------


def test_place_before_a_role_and_name_is_not_a_person() -> None:
    # "In Sri Lanka, blogger X": the apposition belongs to a new name, the place is no person
    text = (
        "Bloggers help with tsunami relief.\n\n"
        "In Sri Lanka, blogger Morquendi is recruiting others to help. "
        'Morquendi wrote about a woman who ran home. "She was swept away," he said.'
    )
    people = _by_name(_people(text))
    assert "Sri Lanka" not in people
    assert not any(p.role and "Morquendi" in p.role for p in people.values())
    assert "Morquendi" in people and people["Morquendi"].role == "blogger"


def test_place_with_an_apposition_alone_is_not_a_person() -> None:
    text = "Talks resumed on Monday.\n\nIn Northern Ireland, rival parties met again. Officials said little."
    assert _people(text) == ()


def test_a_title_followed_by_a_title_is_no_name() -> None:
    text = (
        "Royal wedding announced.\n\n"
        "Only 40% think Mrs Parker Bowles should become Princess Consort after the wedding. "
        "Prince Charles said he was delighted."
    )
    names = {p.name for p in _people(text)}
    assert "Consort" not in names and "Princess Consort" not in names
    assert {"Parker Bowles", "Charles"} <= names


def test_role_of_a_place_before_comma_and_name() -> None:
    text = (
        "A service will follow.\n\n"
        "The service will be held in the chapel, at which the Archbishop of Canterbury, "
        "Dr Rowan Williams, will preside."
    )
    williams = _by_name(_people(text))["Rowan Williams"]
    assert williams.role is not None and williams.role.endswith("Archbishop of Canterbury")


def test_described_subject_of_the_next_sentence_is_the_named_subject() -> None:
    text = (
        "Howard attacks cost of asylum\n\n"
        "Michael Howard has launched an attack on the cost of the asylum system under Tony Blair.\n\n"
        "The Tory leader said local councils had spent more than £3bn on asylum."
    )
    by = _by_name(_people(text))
    assert by["Michael Howard"].role == "Tory leader"
    assert by.get("Tony Blair") is None or by["Tony Blair"].role is None


def test_described_subject_is_not_given_when_the_sentence_names_two_people() -> None:
    text = (
        "Row over plans\n\n"
        "Michael Howard and Charles Kennedy attacked the plans on Monday.\n\n"
        "The Tory leader said the plans would fail."
    )
    assert all(p.role is None for p in _people(text))


def test_plural_role_then_comma_then_a_list_of_names() -> None:
    text = (
        "Fund firm settles.\n\n"
        "The settlement included agreements with three other ex-managers, Peter Martin, "
        "Erik Gustafson and Joseph Palombo, who paid penalties."
    )
    roles = {p.name: p.role for p in _people(text)}
    assert roles == {
        "Peter Martin": "ex-manager",
        "Erik Gustafson": "ex-manager",
        "Joseph Palombo": "ex-manager",
    }


def test_role_said_with_is_a() -> None:
    text = (
        "Blogs aid relief.\n\n"
        "Dina Mehta is an Indian blogger who is helping with a new blog. She says it is a "
        "resource. Bryn Halliwell was the busier keeper early on. Tony Blair is a fan of blogs, "
        "he said."
    )
    roles = {p.name: p.role for p in _people(text)}
    assert roles["Dina Mehta"] == "Indian blogger"
    assert roles.get("Bryn Halliwell") == "keeper"  # "busier" compares, it is no role
    assert roles.get("Tony Blair") is None  # a fan is no role
