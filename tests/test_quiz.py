"""Quizzes: every key supported by its verbatim quote, distractors plausible and wrong, seeds
reproducible, grading tolerant of answer formats, exports valid."""

from __future__ import annotations

import csv
import io
import json
import random
import re
from pathlib import Path

import pytest

from bot.app.engine import Briefbot
from bot.app.settings import Settings
from bot.dev.quiz_check import CHECKS, CheckReport, check_quizzes, defect_survey
from bot.dev.quiz_defects import DefectReport, item_defects, judge_quiz
from bot.qa.citations import Citation, verified
from bot.quiz.distractors import number_distractors
from bot.quiz.export import export_quiz, gift_escape
from bot.quiz.grading import grade, normalise
from bot.quiz.items import generate_quiz
from bot.quiz.model import BLANK, Quiz, QuizError, QuizItem, QuizRequest, parse_types
from bot.quiz.slots import sort_of
from index.ingest import Article
from index.people import people_in


@pytest.fixture(scope="module")
def stored(bot):  # noqa: ANN001, ANN201
    return bot.stored()


def test_same_seed_same_quiz_other_seed_other_quiz(stored) -> None:  # noqa: ANN001
    a = generate_quiz(stored, QuizRequest(n=10, seed=7)).to_dict()
    assert a == generate_quiz(stored, QuizRequest(n=10, seed=7)).to_dict()
    assert a != generate_quiz(stored, QuizRequest(n=10, seed=8)).to_dict()


def test_json_contract(stored) -> None:  # noqa: ANN001
    d = generate_quiz(stored, QuizRequest(n=12, seed=1)).to_dict()
    assert set(d) == {"article", "seed", "questions"} and len(d["questions"]) == 12
    for q in d["questions"]:
        assert set(q) == {"id", "type", "question", "options", "answer", "explanation", "citations"}
        if q["options"] is None:
            assert isinstance(q["answer"], str)
        else:
            assert isinstance(q["answer"], int) and 0 <= q["answer"] < len(q["options"])
        for c in q["citations"]:
            assert c["text"][c["start"] : c["end"]] == c["quote"]


def test_seed_article_targets(bot, stored) -> None:  # noqa: ANN001
    """The issue's targets over seeds 1..5 with 20 questions each."""
    report = check_quizzes(stored, bot.ask, n=20, report=CheckReport())
    for check in CHECKS[:-1]:  # everything but the QA round trip must be perfect
        assert report.rate(check) == 100.0, (check, report.failures)
    # informational: a blanked or true/false form can lead the reader elsewhere. Measured 79%
    # before the teacher-review rules, 53% after: with one key once per quiz and no key on the
    # story's topic, 20-item quizzes hold more true/false items, which the reader answers
    # from another passage more often (about 2 in 3 of them, before and after)
    assert report.rate("qa_cites_same_passage") >= 50
    assert len(report.types) >= 4
    assert len(report.paragraphs) >= 10
    for seed in range(1, 6):
        for item in generate_quiz(stored, QuizRequest(n=20, seed=seed)).questions:
            for c in item.citations:
                verified(c)


def test_known_traps_are_avoided(stored) -> None:  # noqa: ANN001
    """10,000 and 11,000 are both troop estimates: neither is offered against the other, and a
    person is never offered against a spelling of themselves."""
    body = stored.article.body
    stated = set(re.findall(r"\d[\d,]*", body))
    for seed in range(1, 11):
        for item in generate_quiz(
            stored, QuizRequest(n=20, types=("number", "mcq", "who_said"), seed=seed)
        ).questions:
            wrong = [o for i, o in enumerate(item.options or ()) if i != item.answer]
            if item.type == "number":
                assert not any(o.split()[0] in stated for o in wrong), item.options
            names = [normalise(o).replace(" ", "") for o in item.options or ()]
            assert len(set(names)) == len(names)
            assert not {"kimyonghyun", "kim"} <= set(names)


def test_types_difficulty_and_count(stored) -> None:  # noqa: ANN001
    tf = generate_quiz(stored, QuizRequest(n=6, types=("tf",), seed=2))
    assert {q.type for q in tf.questions} == {"tf"} and len(tf.questions) == 6
    assert all(q.options == ("True", "False") for q in tf.questions)
    easy = generate_quiz(stored, QuizRequest(n=8, difficulty="easy", seed=1))
    assert {q.type for q in easy.questions} <= {"mcq", "tf", "fill"}
    hard = generate_quiz(stored, QuizRequest(n=8, difficulty="hard", seed=1))
    assert {q.type for q in hard.questions} <= {"number", "who_said", "mcq"}
    assert all(len(q.citations) == 1 for q in easy.questions)


def test_hard_quizzes_ask_for_facts_that_need_two_passages(stored) -> None:  # noqa: ANN001
    hard = generate_quiz(stored, QuizRequest(n=10, difficulty="hard", seed=1))
    two = [q for q in hard.questions if len(q.citations) == 2]
    assert two
    for q in two:
        role, said = q.citations
        assert role.passage != said.passage
        assert q.answer_text in role.quote  # the key is in the role passage's quote
        quoted = q.question.split("“", 1)[1].rsplit("”", 1)[0]
        assert quoted in said.quote  # the quotation is in the other passage
        # the person named beside the role is the one named in the quoted sentence
        person = role.quote.replace(q.answer_text, "").strip(" ,")
        assert any(part in said.quote for part in person.replace("-", " ").split() if len(part) > 2)
        assert all(o not in role.quote for o in q.options if o != q.answer_text)
    with pytest.raises(QuizError, match="unknown question type"):
        parse_types("mcq,essay")
    with pytest.raises(QuizError):
        generate_quiz(stored, QuizRequest(n=0))


def test_questions_spread_over_the_article(stored) -> None:  # noqa: ANN001
    quiz = generate_quiz(stored, QuizRequest(n=10, seed=3))
    passages = [q.passage for q in quiz.questions]
    assert len(set(passages)) == 10  # ten questions, ten different passages
    assert len({q.question for q in quiz.questions}) == 10


def test_grading_accepts_letters_indexes_text_and_number_formats(stored) -> None:  # noqa: ANN001
    quiz = generate_quiz(stored, QuizRequest(n=20, seed=1))
    responses: dict[str, str | int] = {}
    for i, item in enumerate(quiz.questions):
        if item.options is None:
            responses[item.id] = item.answer_text.upper().replace(",", "") + "."
        elif i % 3 == 0:
            responses[item.id] = "ABCD"[item.answer]  # type: ignore[index]
        elif i % 3 == 1:
            responses[item.id] = item.answer  # type: ignore[assignment]
        else:
            responses[item.id] = f"  {item.answer_text.lower()} "
    result = grade(quiz, responses)
    assert result.score == result.total == len(quiz.questions) >= 15
    wrong = grade(quiz, {})
    assert wrong.score == 0 and all(r.explanation and r.citations for r in wrong.results)
    assert normalise("11,000") == normalise("11000") == normalise("about 11,000")


def test_exports(stored) -> None:  # noqa: ANN001
    quiz = generate_quiz(stored, QuizRequest(n=8, seed=5))
    assert json.loads(export_quiz(quiz, "json")) == quiz.to_dict()
    md = export_quiz(quiz, "md")
    questions, key = md.split("## Answer key")
    assert "**" not in questions and key.count("**") == 2 * 8  # answers only in the key
    rows = list(csv.reader(io.StringIO(export_quiz(quiz, "csv"))))
    assert len(rows) == 8 and all(len(r) == 2 and r[0] and r[1] for r in rows)
    gift = export_quiz(quiz, "gift")
    blocks = [b for b in gift.split("\n\n") if b.startswith("::")]
    assert len(blocks) == 8
    for block in blocks:
        # every reserved character inside the text is escaped; braces only delimit answers
        unescaped = re.sub(r"\\[~=#{}:\\]", "", block)
        assert unescaped.count("{") == unescaped.count("}") == 1
        assert re.match(r"^::q\d+:: ", block)
    assert gift_escape("a:b{c}=d~e#f") == r"a\:b\{c\}\=d\~e\#f"


SQUAD_LIKE = [
    "The Amazon river flows through Brazil, Peru and Colombia before reaching the Atlantic Ocean.",
    "Explorer Francisco de Orellana travelled the river in 1542, according to historian Maria Silva.",
    "The river carries about 209,000 cubic metres of water per second, scientists at the University of Sao Paulo said.",
    "“It is the largest river on Earth by volume,” said Maria Silva in an interview.",
    "Deforestation in the basin has cost an estimated 17 percent of the forest since 1970, the agency reported.",
    "Director Paulo Costa of the National Institute for Space Research said satellite data showed 11,000 square kilometres lost last year.",
]


def test_other_text_gets_checked_quizzes(tmp_path, embedder) -> None:  # noqa: ANN001
    b = Briefbot(Settings(home=tmp_path / "h"), embedder=embedder)
    b.index_article(Article.from_paragraphs("Amazon", SQUAD_LIKE), "amazon")
    report = check_quizzes(
        b.stored("amazon"), lambda q: b.ask(q, "amazon"), n=10, report=CheckReport()
    )
    for check in (
        "key_supported",
        "distractors_distinct",
        "distractors_not_true",
        "no_duplicate_facts",
    ):
        assert report.rate(check) == 100.0, (check, report.failures)
    assert len(report.types) >= 3


def test_quiz_command_json_and_file(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    from bot.app.cli import main

    assert main(["quiz", "--json", "--n", "5", "--seed", "3", "--types", "mcq,tf"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["seed"] == 3 and len(d["questions"]) == 5
    assert {q["type"] for q in d["questions"]} <= {"mcq", "tf"}
    out = tmp_path / "quiz.gift"
    assert main(["quiz", "--format", "gift", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").count("::q") == 10
    assert main(["quiz", "--types", "essay"]) == 2
    assert "unknown question type" in capsys.readouterr().err


# ---- issue 17: quiz items a teacher would use on any news story ---------------------------

NEWS = Path(__file__).parents[1].parent / "shared" / "news"
TUNE_STORIES = ("politics-101", "business-103", "sport-101", "tech-103")  # the TUNE split only

DIEMONT = (
    "Call centre queues get longer",
    "Cara Diemont, a director at Sunovate, said callers now wait longer than ever. "
    "\"Customers are getting used to the idea of an 'always available' society,\" Ms Diemont "
    "said. Callers hear Vivaldi while they wait, the survey found. One senior official said "
    "the queues had doubled. He said the plan would work. The firm made £25m last year, up "
    "from £20m, according to Ms Diemont.",
)


def _item(kind: str, question: str, options: list[str] | None, key: str, quote: str) -> QuizItem:
    text = DIEMONT[1]
    at = text.index(quote)
    c = Citation("¶1", text, quote, at, at + len(quote))
    opts = tuple(options) if options else None
    answer: int | str = opts.index(key) if opts else key
    return QuizItem("", kind, question, opts, answer, "", (c,), "", "¶1")


def test_the_defect_check_catches_every_class_it_counts() -> None:
    """The checker is judged on items written by hand to carry one defect each (and on a
    clean one): a check that passes Cara Diemont against Ms Diemont is broken."""
    said = "Customers are getting used to the idea of an 'always available' society"
    found = "Callers hear Vivaldi while they wait, the survey found."
    money = "The firm made £25m last year, up from £20m, according to Ms Diemont."
    items = [
        _item("who_said", f"Who said “{said}”?",
              ["Cara Diemont", "Ms Diemont", "Vivaldi", "Sunovate"], "Cara Diemont", said),
        _item("tf", "True or false? - they are worried about the risk of going abroad,",
              ["True", "False"], "True", found),
        _item("fill", f"Fill in the blank: “{BLANK} senior official said the queues had doubled.”",
              None, "One", "One senior official said the queues had doubled."),
        _item("number", f"Which figure completes this sentence from the article? "
              f"“The firm made £{BLANK}m last year, up from £20m, according to Ms Diemont.”",
              ["25", "50", "12", "75"], "25", money),
        _item("tf", "True or false? He said the plan would work.", ["True", "False"], "True",
              "He said the plan would work."),
        _item("tf", "True or false? Callers hear Cara Diemont while they wait, the survey found.",
              ["True", "False"], "False", found),
        _item("tf", f"True or false? {money}", ["True", "False"], "True", money),
        _item("number", f"Which figure completes this sentence from the article? “Only {BLANK} "
              "of callers were happy.”", ["40%", "150%", "340%", "20%"], "40%", money),
    ]  # fmt: skip
    report = DefectReport()
    body = "\n\n".join(DIEMONT)
    judge_quiz(Quiz("diemont", 1, tuple(items)), body, report)
    per_item = [set(item_defects(i, body, people_in(body))) for i in items]
    assert {"option_same_person", "option_kind"} <= per_item[0]
    assert "fragment" in per_item[1]
    assert "trivial_blank" in per_item[2]
    assert "figure_unit" in per_item[3]
    assert "pronoun" in per_item[4]
    assert "swap_kind" in per_item[5]  # a person swapped in for hold music
    assert per_item[6] == set()  # a whole sentence, its figures in place: no defect
    assert "figure_implausible" in per_item[7]  # a share of 340%
    assert report.counts["repeat_sentence"] == 3  # items 5-7 cite sentences used before
    assert report.defective == report.items == 8


@pytest.fixture(scope="module")
def news_bot(tmp_path_factory, embedder):  # noqa: ANN001, ANN201
    if not NEWS.is_dir():
        pytest.skip("../shared/news/ is absent")
    b = Briefbot(Settings(home=tmp_path_factory.mktemp("news")), embedder=embedder)
    for name in TUNE_STORIES:
        b.index_file(NEWS / f"{name}.txt", name)
    return b


def test_news_quizzes_pass_the_independent_defect_check(news_bot) -> None:  # noqa: ANN001
    """On BBC stories (TUNE split), judged by bot/dev/quiz_defects.py: at most 5% of items
    with any defect, no sentence asked twice, true/false keys near half and half."""
    stored = [news_bot.stored(n) for n in TUNE_STORIES]
    report = defect_survey(stored, n=10, seeds=(1, 2, 3))
    assert report.rate() <= 5.0, (report.format(), report.examples)
    assert report.counts["repeat_sentence"] == report.counts["repeat_fact"] == 0
    assert 0.35 <= report.tf_true / report.tf_total <= 0.65, report.format()


def test_figures_keep_their_unit_and_options_fit_the_slot(news_bot) -> None:  # noqa: ANN001
    stored = news_bot.stored("politics-101")
    for seed in (1, 2, 3):
        quiz = generate_quiz(stored, QuizRequest(n=10, seed=seed, types=("number", "mcq")))
        for item in quiz.questions:
            if item.type == "number":
                unit = {re.sub(r"[\d.,]+", "#", o) for o in item.options or ()}
                assert len(unit) == 1, item.options  # "£13.4m" against "£6.7m", not "6.7"
                assert item.answer_text in item.citations[0].quote
            if "Wales" in (item.options or ()):  # a UK nation against UK nations
                assert set(item.options or ()) <= {
                    "Wales",
                    "England",
                    "Scotland",
                    "Northern Ireland",
                }
    assert number_distractors("£3.2bn", "", random.Random(1))[0].startswith("£")
    assert all(o.endswith("bn") for o in number_distractors("£3.2bn", "", random.Random(1)))
    shares = number_distractors("80%", "", random.Random(2))
    assert shares and all(float(o.rstrip("%")) <= 100 for o in shares)
    assert number_distractors("2004", "", random.Random(1)) == []  # a year: no neighbours
    assert sort_of("Maine", "the US state of ") == "us_state" and sort_of("Wales") == "uk_nation"


def test_a_short_quiz_says_why(news_bot) -> None:  # noqa: ANN001
    """A hard quiz goes on with the other types once the hard facts are used; a quiz that
    still falls short says so (stderr in the CLI)."""
    stored = news_bot.stored("tech-103")
    hard = generate_quiz(stored, QuizRequest(n=10, difficulty="hard", seed=1))
    assert len(hard.questions) == 10 or hard.note
    many = generate_quiz(stored, QuizRequest(n=60, types=("mcq", "tf"), seed=1))
    assert len(many.questions) < 60 and many.note and "only" in many.note


DJ = [
    "DJ Mark Owen said fans had gathered outside his home in Hove, where Norman Cook is a "
    "neighbour.",
    "Norman Cook, who records as Fatboy Slim, said the crowd had been peaceful.",
    "Police chief Sarah Lane said officers would close the private road on Saturday.",
    "Mr Owen said he would move the party to the beach next year.",
]


def test_a_false_statement_never_swaps_in_someone_the_sentence_already_names(
    tmp_path: Path, embedder
) -> None:  # noqa: ANN001
    """A teacher's find: "... his home, where Norman Cook is a neighbour" turned false by
    putting Norman Cook in place of the DJ, which makes Cook his own neighbour."""
    b = Briefbot(Settings(home=tmp_path / "h"), embedder=embedder)
    b.index_article(Article.from_paragraphs("Fans gather at DJ's home", DJ), "dj")
    stored = b.stored("dj")
    names = ["Mark Owen", "Norman Cook", "Sarah Lane"]
    falses = 0
    for seed in range(1, 13):
        for item in generate_quiz(stored, QuizRequest(n=4, types=("tf",), seed=seed)).questions:
            if item.answer_text != "False":
                continue
            falses += 1
            for name in names:
                assert item.question.count(name) <= 1, item.question
    assert falses > 0  # the check above had something to check


# ---- teacher review (issue 17): each defect class on a small article written to show it ----

MOTORS = (
    "Profits tumble at Norden Group",
    [
        "Profits at the carmaker Norden Group fell sharply last year, the company said on "
        "Monday in Stuttgart.",
        "However, the shares of Volkstadt fell 1.5% on the news in Frankfurt, traders said.",
        "Sales of Andreas' brands fell 2% as demand cooled across Europe, the firm's chief "
        "executive Peter Lang said.",
        "A summer festival in Brighton in 2002 attracted 250,000, people, while a later one in "
        "Rio drew 360,000 fans.",
        "Peter Lang said an Ipswich factory would close, and that an Oxford plant would cut 400 "
        "jobs.",
        "In contrast, rival carmaker Halberg saw profits rise by 12% to 3.1bn euros in the same "
        "period.",
    ],
)
ORGS = (
    "Games deserve a place in class, study says",
    [
        "Dr Ann Burn, associate director of the Centre for the Study of Children, Youth and "
        "Media, said games could help pupils learn.",
        "Research for the report was funded by the Department of Trade and Industry, and the "
        "Entertainment and Leisure Software Publishers Association welcomed it.",
        "Last July, the police were accused of Islamophobia by Muslim groups after the search "
        "figures rose by 300%.",
        "Charlton: Kiely, Young, Hreidarsson, Perry, Konchesky, Murphy, Holland.",
        "Goals: Holland 14, Riggott 74, Bartlett 80.",
        "The defender Chris Riggott said the team had played well against the Addicks on Saturday.",
        "A three-year study of 1,000 pupils was carried out by researchers at London University, "
        "Dr Burn said.",
        "Roger Bennett of the Home Office said the findings would be studied by officials.",
    ],
)
DJS = (
    "Dance music is not dead, says Fatboy Slim",
    [
        "DJ Norman Cook - aka Fatboy Slim - has said that dance music is not dead, but is going "
        "through a quiet patch.",
        "Cook said his beach party in Brighton had drawn 250,000 people, more than any show he "
        "had played.",
        "Fellow DJ Dan Peppe said the clubs had closed because rents had risen sharply across "
        "London.",
        "Radio presenter Zoe Ball said the crowds at the beach parties had been peaceful and "
        "happy.",
        '"The likelihood is pretty high," Dan Peppe said of a return to the clubs.',
        '"The crowds are bigger than ever and the music is better than it has been for years," '
        "Cook said.",
        '"We will be back in the clubs next year with a bigger show and a new album," Zoe Ball '
        "said.",
        '"I think the scene will come back stronger than before, as it always does," promoter '
        "Mark Hill said.",
        "But we stood up and credit to us we did not give in to the critics.",
        "Cook lives on a private road in Hove, where Paul McCartney is a neighbour.",
        "Cook's last album sold 100,000 copies in the UK in its first week, his label Skint "
        "Records said.",
        "Meanwhile, the Brit Awards said they would no longer give a prize for the best dance act.",
        "The fighting in Ukraine has not stopped the tour, Cook's manager Tom Reed said in Kiev.",
    ],
)
_CONNECTIVE_START = re.compile(r"^(?:However|But|And|In contrast|Meanwhile)\b")


@pytest.fixture(scope="module")
def review_bot(tmp_path_factory, embedder):  # noqa: ANN001, ANN201
    b = Briefbot(Settings(home=tmp_path_factory.mktemp("review")), embedder=embedder)
    for name, (title, paragraphs) in {"motors": MOTORS, "orgs": ORGS, "djs": DJS}.items():
        b.index_article(Article.from_paragraphs(title, paragraphs), name)
    return b


def _items(b, name: str, seeds: range = range(1, 9), **kw) -> list[QuizItem]:  # noqa: ANN001
    out = []
    for seed in seeds:
        out += generate_quiz(b.stored(name), QuizRequest(n=10, seed=seed, **kw)).questions
    return out


def _shown(item: QuizItem) -> str:
    """The article text an item shows (its statement, or its blanked sentence)."""
    q = item.question.removeprefix("True or false? ")
    return q.split("“", 1)[1].rsplit("”", 1)[0] if "“" in q else q


def test_keys_and_options_give_nothing_away_by_punctuation_or_grammar(review_bot) -> None:  # noqa: ANN001
    """ "250,000," was the only option with a comma; "_____' brands" fits only a name ending
    in s; "an _____ plant" fits only the options that start with a vowel."""
    items = _items(review_bot, "motors")
    answers = [o for i in items for o in (i.options if i.type != "tf" else None) or ()]
    answers += [i.answer_text for i in items if i.type == "fill"]
    assert "250,000" in answers  # the figure is still asked about, without the comma
    for a in answers:
        assert not re.search(r"^[,.;:!?]|[,.;:!?]$", a), a
    for item in items:
        before, blank, after = _shown(item).partition(BLANK)
        if not blank:
            continue
        assert not re.match(r"['’](?!s\b)", after), item.question
        article = re.search(r"\b(a|an)\s$", before)
        if article and item.options:
            vowel = {o[0].lower() in "aeiou" for o in item.options}
            assert vowel == {article.group(1) == "an"}, item.question


def test_which_organisation_offers_only_organisations(review_bot) -> None:  # noqa: ANN001
    """Not an idea ("Islamophobia"), not a score line ("Holland 14"), not a player of a line-up,
    not a piece of a longer name ("Media" of "Children, Youth and Media")."""
    items = [i for i in _items(review_bot, "orgs") if i.question.startswith("Which organisation")]
    assert items  # London University, the Home Office ... are still asked about
    body = "\n".join(ORGS[1])
    lineup = set(re.findall(r"\w+", body.split("Charlton:")[1].split("\n")[0]))
    for item in items:
        for o in item.options or ():
            assert not re.search(r"\d", o) and not o.endswith(("ism", "phobia")), o
            assert not set(o.split()) & (lineup | {"Riggott"}), o
            # the whole name as the article writes it, not a piece of a longer one
            at = body.index(o)
            assert not re.search(r"[A-Z]\w*,?\sand\s$", body[:at]), o
            assert not re.match(r",\s[A-Z]\w*\sand\s[A-Z]", body[at + len(o) :]), o


def test_one_fact_one_item_and_no_key_on_the_topic(review_bot) -> None:  # noqa: ANN001
    """Within one quiz no answer is asked twice ("Graham" after "Danny Graham"), and no answer is
    what the story is about: a name in its title or the person it names most (Cook)."""
    for name, (title, paragraphs) in (("motors", MOTORS), ("djs", DJS)):
        body = "\n".join(paragraphs)
        surnames = re.findall(r"\b[A-Z][a-z]+(?=\s(?:said|lives)|'s)", body)
        most = {max(set(surnames), key=surnames.count)} if surnames else set()
        banned = set(re.findall(r"\b[A-Z][a-z]+", title)) | {
            m for m in most if surnames.count(m) >= 3
        }
        for seed in range(1, 9):
            quiz = generate_quiz(review_bot.stored(name), QuizRequest(n=10, seed=seed))
            keys = [set(i.answer_text.split()) for i in quiz.questions if i.type != "tf"]
            assert keys
            for k, key in enumerate(keys):
                assert not key & banned, (key, banned)
                assert not any(key <= other or other <= key for other in keys[k + 1 :]), keys


def test_true_false_statements_are_claims_and_false_ones_swap_like_for_like(review_bot) -> None:  # noqa: ANN001
    """No first person outside quotation marks, no leading "But"/"However", a false version
    never brings in a place the article does not name, and True/False near half and half."""
    tf = [i for name in ("djs", "motors") for i in _items(review_bot, name, types=("tf",))]
    body = "\n".join(DJS[1] + MOTORS[1])
    falses = 0
    for item in tf:
        statement = _shown(item)
        outside = re.sub(r'"[^"]*"?|“[^”]*”?', " ", statement)
        assert not re.search(r"\b(?:I|we|We|us|our|Our)\b", outside), statement
        assert not _CONNECTIVE_START.match(statement), statement
        if item.answer_text == "False":
            falses += 1
            for word in re.findall(r"\b[A-Z][a-z]+\b", statement):
                assert word.lower() in body.lower(), (word, statement)
    assert 0.35 <= falses / len(tf) <= 0.65, (falses, len(tf))


def test_role_questions_only_for_a_role_one_person_has(review_bot) -> None:  # noqa: ANN001
    """The story calls two people a DJ: "Who is the DJ?" has two right answers."""
    asked = {i.question for i in _items(review_bot, "djs", range(1, 41), types=("mcq",))}
    roles = {q for q in asked if q.startswith("According to the article, who is")}
    assert not any(re.search(r"\bDJ\b", q) for q in roles), roles
    assert "According to the article, who is the Radio presenter?" in roles


def test_who_said_offers_the_articles_speakers_and_quotes_that_mean_something(review_bot) -> None:  # noqa: ANN001
    """Wrong options are people the article quotes too; "the likelihood is pretty high" (of
    what?) is not asked about."""
    body = "\n".join(DJS[1])
    quoted = set(re.findall(r'"[^"]+,"\s(?:promoter\s)?([A-Z]\w+(?:\s[A-Z]\w+)?) said', body))
    quoted = {"Norman Cook" if q == "Cook" else q for q in quoted}
    said = [i for i in _items(review_bot, "djs", types=("who_said",))]
    assert said
    for item in said:
        quote = item.question.split("“", 1)[1].rsplit("”", 1)[0]
        assert len(quote.split()) > 5, quote
        assert set(item.options or ()) <= quoted, (item.options, quoted)


def test_the_review_defect_classes_are_counted() -> None:
    """bot/dev/quiz_review.py counts each class on items written by hand to show it."""
    body = (
        "DJ Norman Cook said dance music was not dead. Fellow DJ Dan Peppe said the clubs had "
        "closed. Norman Cook said crowds were bigger. Cook said he was happy. Cook said so. "
        "Cook added more. Sales of Andreas' brands fell 2%, Sunovate said."
    )
    title = "Dance music not dead, says Cook"
    quote = "Fellow DJ Dan Peppe said the clubs had closed."

    def item(kind: str, question: str, options: list[str] | None, key: str) -> QuizItem:
        c = Citation("¶1", body, quote, body.index(quote), body.index(quote) + len(quote))
        opts = tuple(options) if options else None
        answer: int | str = opts.index(key) if opts else key
        return QuizItem("", kind, question, opts, answer, "", (c,), "", "¶1")

    cases = {
        "key_punctuation": item("number", f"Which figure completes this sentence from the "
                                f"article? “Crowds of {BLANK} people came.”",
                                ["250,000,", "500,000", "120,000", "90,000"], "250,000,"),
        "slot_grammar": item("mcq", "Which organisation completes this sentence from the "
                             f"article? “Sales of {BLANK}' brands fell 2%.”",
                             ["Andreas", "Sunovate", "Skint", "Brit Awards"], "Andreas"),
        "topic_key": item("mcq", "Which name completes this sentence from the article? "
                          f"“{BLANK} said he was happy.”",
                          ["Cook", "Dan Peppe", "Zoe Ball", "Mark Hill"], "Cook"),
        "first_person": item("tf", "True or false? Crowds grew and we did not give in to the "
                             "critics.", ["True", "False"], "True"),
        "connective": item("tf", "True or false? However, the clubs had closed across London.",
                           ["True", "False"], "True"),
        "shared_role": item("mcq", "According to the article, who is the DJ?",
                            ["Norman Cook", "Dan Peppe", "Zoe Ball", "Mark Hill"], "Dan Peppe"),
        "short_quote": item("who_said", "Who said “the likelihood is pretty high”?",
                            ["Dan Peppe", "Norman Cook", "Zoe Ball", "Mark Hill"], "Dan Peppe"),
        "not_organisation": item("mcq", "Which organisation completes this sentence from the "
                                 f"article? “They beat {BLANK} on Saturday.”",
                                 ["Addicks", "Holland 14", "Islamophobia", "Home Office"],
                                 "Addicks"),
    }  # fmt: skip
    people = people_in(body)
    for defect, case in cases.items():
        assert defect in item_defects(case, body, people, title), (defect, case.question)
    clean = item("tf", f"True or false? {quote}", ["True", "False"], "True")
    found = set(item_defects(clean, body, people, title))
    assert not found & {"first_person", "connective", "topic_key"}, found
    report = DefectReport()
    twice = item("mcq", "According to the article, who is the Fellow DJ?",
                 ["Dan Peppe", "Norman Cook", "Zoe Ball", "Mark Hill"], "Dan Peppe")  # fmt: skip
    judge_quiz(Quiz("t", 1, (cases["shared_role"], twice)), body, report, title=title)
    assert report.counts["repeat_fact"] == 1  # Dan Peppe is the key of both


def test_a_forename_is_not_asked_about_as_a_role(tmp_path: Path, embedder) -> None:  # noqa: ANN001
    """ "Who is the Dean?" (of "Dean Kiely", a reviewed story): a one-word capitalised "role"
    written as part of the name is the person's forename."""
    if not NEWS.is_dir():
        pytest.skip("../shared/news/ is absent")
    b = Briefbot(Settings(home=tmp_path / "h"), embedder=embedder)
    b.index_file(NEWS / "sport-106.txt", "match")
    asked = {i.question for i in _items(b, "match", range(1, 6))}
    roles = {q for q in asked if q.startswith("According to the article, who is")}
    assert "According to the article, who is the Dean?" not in roles, roles
    assert roles  # other roles ("the substitute") are still asked about


SEARCH = (
    "Microsoft takes on Google with desktop search",
    [
        "Microsoft has released a test version of software that searches files on a PC, "
        "company officials said on Monday.",
        "The move is in answer to Google's release of its own desktop search tool in October "
        "this year.",
        "Analysts at the research firm Gartner said there was little risk of this happening "
        "again before 2006.",
        "The official did not provide any additional detail about the test version.",
        "From the resulting delay, Yahoo won a lead in the market for search tools last year.",
        "Yahoo, however, plans to launch a rival tool in January with the help of X1 Technologies.",
        "Microsoft chairman Bill Gates told reporters in Seattle that search was the company's "
        "most important project.",
        "The software will also find messages sent by users of the MSN Messenger service each day.",
        "About 45% of the business information held by firms sits in e-mail, the analysts at "
        "Gartner estimated.",
        "Apple has shown its own search tool, Spotlight, which will come with its next system "
        "in 2005.",
    ],
)


def test_no_item_is_a_sentence_that_points_back_to_one_not_shown(
    tmp_path: Path,
    embedder,  # noqa: ANN001
) -> None:
    """The quiz and the briefing share one test of "shown alone, is it understood?": no item
    is made of "The move is ...", "risk of this happening", "X, however, ...",
    "The software will also ..."."""
    b = Briefbot(Settings(home=tmp_path), embedder=embedder)
    b.index_article(Article.from_paragraphs(*SEARCH), "search")
    items = _items(b, "search", seeds=range(1, 7))
    assert items  # the other sentences stand alone and still make a quiz
    leaning = ("The move", "risk of this", "however", "The software will also", "The official")
    leaning += ("the resulting delay",)
    for item in items:
        shown = item.question + " " + " ".join(item.options or [])
        assert not any(words in shown for words in leaning), item.question


RALLY = (
    "Howard sets out asylum limit at Leeds rally",
    [
        "Mr Howard took off his jacket as he spoke to 2,000 party members at a rally in Leeds "
        "on Friday.",
        "Michael Howard met Tony Blair and Hannah Ward in London on Monday to discuss the "
        "asylum rules.",
        "Ms Ward, of the Refugee Council, said she feared that genuine refugees would be "
        "turned away at the border.",
        '"If people turn up in the UK asking for help they will be turned away," said Hannah '
        'Ward. "The new rules effectively mean there is no safe haven in the UK for anyone '
        "fleeing a war.",
        "The Bank's Monetary Policy Committee (MPC) voted to hold interest rates at 4.75% on "
        "Thursday in London.",
        "The Home Office said that 11,000 claims had been made in the last three months of "
        "the year.",
        "Ms Diemont, a spokeswoman for the Home Office, said she expected 11,000 claims again "
        "in the spring.",
        "Mr Blair told the Commons on Wednesday that his party would publish its own plans "
        "in February.",
        "The Refugee Council said one in five decisions that are appealed are overturned by "
        "the courts.",
        "Tony Blair and Michael Howard will debate the plans on BBC television in Manchester "
        "next month.",
    ],
)


def test_options_swaps_and_statements_read_as_the_article_would_have_them(
    tmp_path: Path,
    embedder,  # noqa: ANN001
) -> None:
    """The second held-out review: no wrong option the sentence itself names ("_____ and
    Kim ... Antony Blinken"); a slot the sentence calls "he" never offered or given a "Ms";
    no organisation swapped into "The Bank's ... (MPC)"; nothing from inside a quotation
    shown as the article's own words; no item showing another item's key."""
    b = Briefbot(Settings(home=tmp_path), embedder=embedder)
    b.index_article(Article.from_paragraphs(*RALLY), "rally")
    women = ("Ms Ward", "Hannah Ward", "Ms Diemont", "Diemont", "Ward")
    for seed in range(1, 9):
        quiz = generate_quiz(b.stored("rally"), QuizRequest(n=10, seed=seed)).questions
        assert quiz
        for item in quiz:
            shown = _shown(item)
            assert "no safe haven" not in shown, item.question
            if "(MPC)" in shown:
                assert "Monetary Policy Committee (MPC)" in shown, item.question
            before, blank, after = shown.partition(BLANK)
            if blank and item.options:
                wrong = [o for o in item.options if o != item.answer_text]
                named = set(re.findall(r"[A-Z]\w+", before + after)) - {"The", "Mr", "Ms"}
                assert not any(set(re.findall(r"[A-Z]\w+", o)) & named for o in wrong), item
                if re.search(r"\b(?:he|his)\b", after):
                    assert not set(item.options) & set(women), item
            if item.type == "tf" and re.search(r"\b(?:he|his)\b", shown):
                assert not any(w in shown for w in women), item.question
            people = {"Mr", "Ms", "Michael", "Howard", "Tony", "Blair", "Hannah", "Ward", "Diemont"}
            for other in quiz:  # a person's name may be in many items; a figure, a place not
                if other is not item and item.type != "tf" and other.type != "tf":
                    shared = set(item.options or ()) & set(other.options or ())
                    assert len(shared) < 3, (item.question, other.question)  # no elimination
                key = other.answer_text
                if other is not item and other.type != "tf" and not set(key.split()) & people:
                    assert key not in item.question, (key, item.question)


def test_the_second_review_defect_classes_are_counted() -> None:
    """The classes the held-out review added, each on an item written by hand to show it,
    and an item without them counted clean."""
    body = (
        "Mr Howard took off his jacket as he spoke in Leeds. Ms Ward said she was worried.\n"
        '"People will be turned away," said Ms Ward. "The rules mean there is no safe haven.\n'
        "The Home Office said 11,000 claims were made in the year to March."
    )
    quotes = {"¶1": "Mr Howard took off his jacket as he spoke in Leeds.",
              "¶2": "The rules mean there is no safe haven.",
              "¶3": "The Home Office said 11,000 claims were made in the year to March."}  # fmt: skip

    def item(kind: str, question: str, options: list[str] | None, key: str, at: str) -> QuizItem:
        q = quotes[at]
        c = Citation(at, body, q, body.index(q), body.index(q) + len(q))
        opts = tuple(options) if options else None
        answer: int | str = opts.index(key) if opts else key
        return QuizItem("", kind, question, opts, answer, "", (c,), "", at)

    name = "Which name completes this sentence from the article? "
    cases = {
        "points_back": item("tf", "True or false? The move is in answer to the new rules.",
                            ["True", "False"], "True", "¶1"),
        "option_in_stem": item("mcq", f"{name}“{BLANK} met Howard in Leeds.”",
                               ["Ms Ward", "Howard", "Mr Blair", "Ms Diemont"], "Ms Ward", "¶1"),
        "pronoun_gender": item("mcq", f"{name}“{BLANK} took off his jacket as he spoke.”",
                               ["Mr Howard", "Ms Ward", "Mr Blair", "Mr Kim"], "Mr Howard",
                               "¶1"),
        "quote_as_fact": item("tf", "True or false? The rules mean there is no safe haven.",
                              ["True", "False"], "True", "¶2"),
    }  # fmt: skip
    people = people_in(body)
    for defect, case in cases.items():
        assert defect in item_defects(case, body, people), (defect, case.question)
    figure = item("number", "Which figure completes this sentence from the article? “The Home "
                  f"Office said {BLANK} claims were made in the year to March.”",
                  ["11,000", "5,500", "22,000", "16,000"], "11,000", "¶3")  # fmt: skip
    clean = item("tf", f"True or false? {quotes['¶1']}", ["True", "False"], "True", "¶1")
    assert not set(item_defects(clean, body, people))
    shows = item("tf", f"True or false? {quotes['¶3']}", ["True", "False"], "True", "¶3")
    report = DefectReport()
    judge_quiz(Quiz("t", 1, (figure, shows)), body, report)
    assert report.counts["gives_away_key"] == 1  # the statement shows the figure's key


BANK = (
    "Bank holds rates as inflation rises",
    [
        "Governor Mervyn King said the committee had voted to hold rates at 4.75% on Thursday.",
        "Mrs Parker Bowles will take the title Duchess of Cornwall after the ceremony in April.",
        "Mr Blair said the Bank of England (BoE) had kept inflation low for seven years running.",
        "Ms Diemont, an economist at Barclays, said rates would rise again in the summer.",
        "Mr Howard told the Commons the government had lost control of public spending.",
        "Figures on Wednesday showed manufacturing output rose at its fastest rate for a year.",
        "Economists at Capital Economics expect a rise in rates to 5% by the end of the year.",
    ],
)


def test_swaps_keep_role_titles_and_sex_and_asides_are_not_blanked(
    tmp_path: Path,
    embedder,  # noqa: ANN001
) -> None:
    """The third review: "a clear-cut victory for President Mervyn King" (a role left with
    another name), "Charles Kennedy will take the title Duchess of Cornwall" (a man swapped
    in for "Mrs"), "The Bank of England (_____)" (an aside the name gives away)."""
    b = Briefbot(Settings(home=tmp_path), embedder=embedder)
    b.index_article(Article.from_paragraphs(*BANK), "bank")
    items = _items(b, "bank", seeds=range(1, 9))
    assert items
    men = ("Mervyn King", "Blair", "Howard")
    for item in items:
        shown = _shown(item)
        assert not re.search(r"Governor (?!Mervyn King)[A-Z]", shown), item.question
        if "Duchess" in shown:
            assert not any(m in shown for m in men), item.question
        assert f"({BLANK})" not in shown, item.question


def _who_said(n: int, options: tuple[str, ...], answer: int) -> QuizItem:
    text = f"Passage {n}: someone said something about topic {n} on day {n}."
    quote = f"topic {n}"
    start = text.index(quote)
    cite = Citation(f"¶{n}", text, quote, start, start + len(quote))
    return QuizItem(
        f"x{n}", "who_said", f"Who said “{quote}”?", options, answer, "", (cite,), quote, f"¶{n}"
    )


def test_a_quiz_offers_one_set_of_options_to_two_items_at_most() -> None:
    """ "The same four players offered for four items": a third item offering three or more of
    the options two items already share waits until no other item is left."""
    from bot.quiz.picker import Picker

    four = ("Ann Lee", "Bob Ray", "Cy Dunn", "Di Moss")
    same = [_who_said(i, four, i % 4) for i in range(1, 5)]
    other = _who_said(5, ("Ed Fox", "Fay Gold", "Gus Hart", "Ann Lee"), 0)
    picker = Picker(3)  # enough other items: no third
    picker.fill(["who_said"], {"who_said": [*same, other]})
    assert [c.options for c in picker.chosen].count(four) == 2
    assert other in picker.chosen

    picker = Picker(4)  # a third only when nothing else is left
    picker.fill(["who_said"], {"who_said": [*same, other]})
    picker.fill_spare()
    offered = [c.options for c in picker.chosen]
    assert offered.count(four) == 3
    assert picker.chosen[2] is other


def test_quizzes_on_tune_stories_never_offer_one_option_set_three_times(tmp_path, embedder) -> None:  # noqa: ANN001
    """Over seeds and difficulties, no option set (three options or more in common) is offered
    by more than two items of one quiz."""
    bot = Briefbot(Settings(home=tmp_path / "h"), embedder=embedder)
    news = Path(__file__).resolve().parent.parent.parent / "shared" / "news"
    if not news.is_dir():
        pytest.skip("BBC stories not present")
    bot.add(str(news / "politics-101.txt"), "p")
    for seed in (1, 2, 3):
        for difficulty in ("mixed", "hard"):
            quiz = generate_quiz(
                bot.stored("p"), QuizRequest(n=20, seed=seed, difficulty=difficulty)
            )
            items = [i for i in quiz.questions if i.type != "tf" and i.options]
            for i in items:
                near = [
                    j for j in items if j is not i and len(set(i.options) & set(j.options)) >= 3
                ]
                assert len(near) <= 1, (seed, difficulty, i.options, [j.options for j in near])
