"""Quizzes: every key supported by its verbatim quote, distractors plausible and wrong, seeds
reproducible, grading tolerant of answer formats, exports valid."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from bot.app.engine import Briefbot
from bot.app.settings import Settings
from bot.dev.quiz_check import CHECKS, CheckReport, check_quizzes
from bot.qa.citations import verified
from bot.quiz.export import export_quiz, gift_escape
from bot.quiz.grading import grade, normalise
from bot.quiz.items import generate_quiz
from bot.quiz.model import QuizError, QuizRequest, parse_types
from index.ingest import Article


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
    # informational: a blanked or true/false form can lead the reader elsewhere (measured 68%)
    assert report.rate("qa_cites_same_passage") >= 60
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
    assert result.score == result.total == 20
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
