"""Rules of the claim checker (bot/llm/claims.py and its claim_* modules) added after
heldout5, each tested on made-up sentences independent of the reply sets."""

from __future__ import annotations

from pathlib import Path

from bot.llm.claim_answers import proposition, split_answer, without_answer
from bot.llm.claim_sentences import clean
from bot.llm.claims import check_reply, unsupported
from index.passages import Passage


def test_a_figure_keeps_the_unit_the_cited_text_gives_it() -> None:
    # "minute" is in the cited sentence (a "12th-minute goal"), near the figure: only the
    # word right after the figure tells the units apart
    cited = ["The striker scored after 30 seconds and the keeper saved a 12th-minute penalty."]
    got = unsupported("The striker scored after 30 minutes.", cited, order=False)
    assert got is not None and "second" in got, got
    assert unsupported("The striker scored after 30 seconds.", cited, order=False) is None
    cited = ["The court jailed him for two years and banned him for six months."]
    assert unsupported("He was banned for six years.", cited, order=False) is not None
    assert unsupported("He was banned for six months.", cited, order=False) is None
    # a share is no count of points; "percentage points" are points
    cited = ["Support rose 4% while the lead grew by 3 percentage points."]
    assert unsupported("Support rose 4 points.", cited, order=False) is not None
    assert unsupported("The lead grew by 3 points.", cited, order=False) is None
    # a hyphen joins the same unit ("a 10-year deal" is ten years)
    cited = ["He signed a 10-year deal."]
    assert unsupported("He signed a deal for 10 years.", cited, order=False) is None


def test_a_figure_the_cited_text_gives_no_unit_is_left_to_the_other_checks() -> None:
    cited = ["The index fell by 45 to 1,200 points."]
    assert unsupported("The index fell by 45 points.", cited, order=False) is None
    cited = ["Between 10 and 20 workers, aged 45, have lost jobs in recent years."]
    assert unsupported("Between 10 and 20 workers lost jobs.", cited, order=False) is None


def test_a_thing_refused_is_not_a_thing_done() -> None:
    cited = ["The minister resisted any temptation to criticise the plan, and left early."]
    got = unsupported("The minister criticised the plan.", cited, order=False)
    assert got is not None and "refusal" in got, got
    claim = "The minister resisted any temptation to criticise the plan."
    assert unsupported(claim, cited, order=False) is None
    cited = ["The firm failed to pay its staff and refused to comment."]
    assert unsupported("The firm paid its staff.", cited, order=False) is not None
    assert unsupported("The firm failed to pay its staff.", cited, order=False) is None
    # "declined" with no "to" after it is a fall, not a refusal
    cited = ["Sales declined sharply in Europe last year."]
    assert unsupported("Sales declined sharply in Europe.", cited, order=False) is None


_TEXT = (
    "The council approved the budget on Monday. There was no comment from the union. "
    "The mayor did not attend the vote."
)
_P = [Passage("¶1", 1, _TEXT, 0, len(_TEXT), ())]


def _shown(reply: str, question: str) -> list[str]:
    kept, _ = check_reply(reply, _P, question=question)
    return [s for s, _ in kept]


def test_an_answer_word_is_shown_only_when_the_cited_text_settles_the_question() -> None:
    # "Yes" where the cited text says what the question asks
    reply = 'Yes, the council approved the budget. [¶1 "The council approved the budget"]'
    assert _shown(reply, "Did the council approve the budget?") == [
        "Yes, the council approved the budget."
    ]
    # a true sentence after a "Yes" the cited text does not settle: the rest is shown alone
    assert _shown(reply, "Did the council approve the budget unanimously?") == [
        "The council approved the budget."
    ]
    # "No" where the cited text says the question's words with a negation
    reply = 'No, the mayor did not attend the vote. [¶1 "The mayor did not attend the vote"]'
    assert _shown(reply, "Did the mayor attend the vote?") == [
        "No, the mayor did not attend the vote."
    ]
    reply = 'No, there was no comment from the union. [¶1 "There was no comment from the union"]'
    assert _shown(reply, "Has the union responded?") == ["No, there was no comment from the union."]
    # "No" to a proposition the cited text supports, or a "No" before a plain fact: no "No"
    reply = 'No, the council approved the budget. [¶1 "The council approved the budget"]'
    assert _shown(reply, "Did the council approve the budget?") == [
        "The council approved the budget."
    ]
    # not a yes/no question, or no question at all (a briefing's bottom line)
    reply = 'Yes, the council approved the budget. [¶1 "The council approved the budget"]'
    assert _shown(reply, "What did the council do?") == ["The council approved the budget."]
    assert _shown(reply, "") == ["The council approved the budget."]
    # the rest is still checked: a wrong rest is dropped whole
    reply = 'Yes, the mayor attended the vote. [¶1 "The mayor did not attend the vote"]'
    assert _shown(reply, "Did the mayor attend the vote?") == []


def test_what_is_no_answer_word() -> None:
    assert split_answer("No-deal talks went on.") == ("", "No-deal talks went on.")
    assert split_answer("No one was hurt.") == ("", "No one was hurt.")
    assert split_answer("Yes: it rose.") == ("yes", "it rose.")
    assert without_answer("No - it fell.") == "It fell."
    assert proposition("Did the mayor attend?") == "the mayor attend"
    assert proposition("Could prices fall?") == "Could prices fall"
    assert proposition("Isn't it late?") == ""
    assert proposition("How did it end?") == ""
    assert proposition("Did it rise or fall?") == ""  # a choice, not a yes/no question


def test_two_words_linked_the_other_way_round_by_a_preposition() -> None:
    cited = ["The show will feature portraits taken by photographers from the agency."]
    got = unsupported("The show will feature portraits of photographers.", cited, order=False)
    assert got is not None and "portrait of photograph" in got, got
    claim = "The show will feature portraits by photographers from the agency."
    assert unsupported(claim, cited, order=False) is None
    cited = ["He moved from Leeds to Chelsea in 2003."]
    assert unsupported("He moved to Leeds in 2003.", cited, order=False) is not None
    # the same links in another order, and words the cited text never puts close together
    assert unsupported("He moved to Chelsea from Leeds in 2003.", cited, order=False) is None
    cited = ["Sales of cars rose, the makers said, helped by exports."]
    assert unsupported("Sales of cars rose, helped by exports.", cited, order=False) is None


def test_a_negation_reaches_its_own_clause_not_the_whole_sentence() -> None:
    cited = ["The council did not approve the budget, but the mayor signed the harbour deal."]
    assert unsupported("The mayor signed the harbour deal.", cited, order=False) is None
    assert unsupported("The council approved the budget.", cited, order=False) is not None
    # words before a relative pronoun are outside the clause after it
    cited = ["There was a leak at the plant which was not reported to the regulator."]
    assert unsupported("There was a leak at the plant.", cited, order=False) is None
    assert unsupported("The leak was reported to the regulator.", cited) is not None
    # "and" with a pronoun after it opens a clause; "and" between words does not
    cited = ["He said he would not resign and we should wait for the inquiry."]
    assert unsupported("He said we should wait for the inquiry.", cited, order=False) is None
    cited = ["Staff were not paid and promoted."]
    assert unsupported("Staff were promoted.", cited, order=False) is not None
    # a name only the negated clause has: "Smith, not Jones", "... but Jones did not"
    cited = ["Smith, not Jones, scored the winner."]
    assert unsupported("Jones scored the winner.", cited, order=False) is not None
    cited = ["Smith agreed to the terms, but Jones did not."]
    assert unsupported("Jones agreed to the terms.", cited, order=False) is not None


def test_a_clause_that_denies_what_came_before_reaches_back() -> None:
    cited = ["There were reports that the bank was in trouble, but that was not true."]
    assert unsupported("The bank was in trouble.", cited, order=False) is not None
    cited = ["Rumours said the striker had left, which is not the case."]
    assert unsupported("The striker had left.", cited, order=False) is not None


def test_not_only_negates_nothing() -> None:
    cited = ["The plant made parts for not only its own cars but also for rival makers."]
    assert unsupported("The plant made parts for rival makers.", cited, order=False) is None
    assert unsupported("The plant made parts for its own cars.", cited, order=False) is None
    assert unsupported("The plant did not make parts.", cited, order=False) is not None


def test_the_name_after_a_word_and_by_is_the_cited_texts() -> None:
    cited = ["He backed the tax cut proposed by Anna Berg and a levy on banks."]
    assert (
        unsupported(
            "He backed the tax cut proposed by Karl Ost.",
            cited + ["Karl Ost chairs the committee."],
            order=False,
        )
        is not None
    )
    assert unsupported("He backed the tax cut proposed by Berg.", cited, order=False) is None


def test_a_name_keeps_the_name_the_cited_text_pairs_it_with() -> None:
    cited = [
        "Two firms led the market, Alder (founded by banker Rosa Lind) and Birch (founded by "
        "engineer Tom Hale)."
    ]
    assert unsupported("Alder was founded by engineer Tom Hale.", cited, order=False) is not None
    assert unsupported("Birch was founded by banker Rosa Lind.", cited, order=False) is not None
    assert unsupported("Alder was founded by banker Rosa Lind.", cited, order=False) is None
    assert unsupported("Birch was founded by engineer Tom Hale.", cited, order=False) is None
    # the name may stand apart from its verb: an apposition between them
    cited = ["In 1950 Governor Ruth Vale, herself a veteran of the Navy, signed Order 12."]
    assert unsupported("Governor Ruth Vale signed Order 12.", cited, order=False) is None


def test_a_full_stop_inside_a_quoted_name_does_not_end_the_sentence() -> None:
    from bot.llm.claim_sentences import split_reply

    reply = (
        'She ran the Hollis Bros. Dairy. [¶1 "she ran the Hollis Bros. Dairy"] '
        'It closed. [¶1 "it closed"]'
    )
    assert [s.text for s in split_reply(reply)] == ["She ran the Hollis Bros. Dairy.", "It closed."]
    # any abbreviation, if the quote has the words on both sides of the stop together
    reply = 'He joined Kell Pty. Group in May. [¶1 "joined Kell Pty. Group in May"]'
    assert len(split_reply(reply)) == 1
    # not quoted together: a full stop before a capital still ends a sentence
    reply = 'He joined Kell Pty. Then he left. [¶1 "then he left"]'
    assert [s.text for s in split_reply(reply)] == ["He joined Kell Pty.", "Then he left."]


def test_the_word_before_a_verb_and_any_word_after_it_may_not_turn_round() -> None:
    cited = ["The governor brushed off criticism from the mayor over the harbour deal."]
    claim = "The mayor brushed off criticism from the governor over the harbour deal."
    assert unsupported(claim, cited) is not None
    assert unsupported("The governor brushed off criticism from the mayor.", cited) is None
    # another voice is left alone
    cited = ["The mayor was criticised by the governor over the harbour deal."]
    assert unsupported("The governor criticised the mayor over the harbour deal.", cited) is None


def test_the_same_order_in_the_other_voice_is_turned_round() -> None:
    cited = ["In 1990 the Dale Mill Company (founded in 1850) was bought by Orrin Textiles."]
    assert unsupported("The Dale Mill Company bought Orrin Textiles in 1990.", cited) is not None
    assert unsupported("Orrin Textiles bought the Dale Mill Company in 1990.", cited) is None
    assert unsupported("The Dale Mill Company was bought by Orrin Textiles.", cited) is None
    cited = ["The Dale Mill Company bought Orrin Textiles in 1990."]
    assert unsupported("The Dale Mill Company was bought by Orrin Textiles.", cited) is not None
    # a passive marked by "be" or "by" alone is left alone ("which saw CBS fined")
    cited = ["The ruling saw the broadcaster fined by the regulator."]
    assert unsupported("The broadcaster was fined by the regulator.", cited) is None


def test_a_thing_only_pondered_suggested_or_set_to_happen_needs_its_hedge() -> None:
    cited = ["The winger looked set to add some width to the home side's attack."]
    assert unsupported("The winger added some width to the home side's attack.", cited) is not None
    assert unsupported("The winger looked set to add width to the attack.", cited) is None
    cited = ["By 1970 the board had started pondering moving the head office to Leeds."]
    assert unsupported("By 1970 the board moved the head office to Leeds.", cited) is not None
    cited = ["Some analysts have suggested the merger reflects a weak market."]
    assert unsupported("The merger reflects a weak market.", cited) is not None
    assert unsupported("Some analysts suggested the merger reflects a weak market.", cited) is None


def test_a_label_the_cited_text_shortens_may_be_spelled_out_with_its_value() -> None:
    cited = ["Att: 12,300 Ump: J Ruiz (Leeds)."]
    assert unsupported("The attendance was 12,300.", cited) is None
    assert unsupported("The umpire was J Ruiz.", cited) is None
    # the value must be the label's; a word that only starts alike is no label's
    assert unsupported("The attendance was 12,000.", cited) is not None
    assert unsupported("The umpire was 12,300.", cited) is not None
    assert unsupported("The attacker was J Ruiz.", cited) is not None
    cited = ["Att 12,300 and J Ruiz."]  # no colon: no label
    assert unsupported("The attendance was 12,300.", cited) is not None


def test_a_modal_is_read_in_its_own_clause_and_a_duty_is_a_modal() -> None:
    cited = [
        "The line could have doubled its speed but this would have meant the cost would have doubled."
    ]
    assert unsupported("This would have meant the cost doubled.", cited) is None
    assert unsupported("The cost doubled.", cited) is not None
    # "was to be given", "has to meet" keep the text's "shall", "must"
    cited = ["The rules said there shall be given to the owner a licence for ten years."]
    assert unsupported("The owner was to be given a licence for ten years.", cited) is None
    assert unsupported("The owner was given a licence for ten years.", cited) is not None
    cited = [
        "A design is a plan, which may be a drawing or a model and usually has to meet two tests."
    ]
    assert unsupported("A design usually has to meet two tests.", cited) is None
    assert unsupported("A design usually meets two tests.", cited) is not None
    # "had to make two saves": he made them
    cited = ["The keeper had to make two saves before the break."]
    assert unsupported("The keeper made two saves before the break.", cited) is None


def test_a_connective_or_one_of_asserts_nothing_of_its_own() -> None:
    cited = ["The board cut the budget, but the plan delayed the works for many years."]
    assert unsupported("However, the plan delayed the works for many years.", cited) is None
    cited = ["Several towns ban cars in the centre also (for example, Leeds and York)."]
    assert unsupported("Several towns ban cars in the centre as well.", cited) is None
    cited = ["The only exceptions were Ann Lee, who moved abroad, and Tom Fry."]
    assert unsupported("Ann Lee, who moved abroad, was one of the exceptions.", cited) is None
    # "only one of" is a figure; "well" outside "as well" is a word
    cited = ["Two of the five candidates passed the test."]
    assert unsupported("Only one of the five candidates passed the test.", cited) is not None
    assert unsupported("Two of the five candidates passed the test well.", cited) is not None


def test_a_figure_keeps_the_qualifier_every_mention_of_it_has() -> None:
    cited = ["The rebels lost an estimated 1,000-5,000 fighters, and more than 300 towns burned."]
    got = unsupported("The rebels lost 1,000-5,000 fighters.", cited, order=False)
    assert got is not None and "qualifies" in got, got
    assert unsupported("The rebels lost about 1,000-5,000 fighters.", cited, order=False) is None
    assert unsupported("300 towns burned.", cited, order=False) is not None
    assert unsupported("More than 300 towns burned.", cited, order=False) is None
    # a bound is no estimate: "about 300" is not "more than 300"
    assert unsupported("About 300 towns burned.", cited, order=False) is not None
    # "up to" and "at least" are bounds only before their figure
    cited = ["Prices went up 5% and at least 40 shops shut, with up to 12 jobs lost at each."]
    assert unsupported("Prices went up 5%.", cited, order=False) is None
    assert unsupported("40 shops shut.", cited, order=False) is not None
    assert unsupported("12 jobs were lost at each shop.", cited, order=False) is not None
    # a figure the cited text also gives plainly may be given plainly
    cited = ["About 10 people came; the hall held 10 people."]
    assert unsupported("10 people came.", cited, order=False) is None


def test_a_negated_word_stays_negated_in_a_claim_with_a_negation_elsewhere() -> None:
    cited = ["The system was never deployed by either the military or broadcasters."]
    got = unsupported("The system was deployed by the military but never by broadcasters.", cited)
    assert got is not None and "negation" in got, got
    assert unsupported("The system was never deployed by the military.", cited) is None
    # a relative clause after the negation is not negated
    cited = ["The two leaders did not contest the post which eventually went to Hastert."]
    claim = "The two leaders did not contest the post, which eventually went to Hastert."
    assert unsupported(claim, cited) is None
    assert unsupported("The two leaders contested the post.", cited) is not None


def test_a_view_stated_as_fact_needs_somebody_to_hold_it() -> None:
    cited = [
        "Some scholars suggest that Madison functioned as the first leader because in the"
        " First Congress he led the opposition."
    ]
    got = unsupported("Madison was the first leader.", cited)
    assert got is not None and "view" in got, got
    assert unsupported("Scholars suggest Madison was the first leader.", cited) is None
    assert unsupported("In the First Congress he led the opposition.", cited) is None
    cited = ["Critics argue the new tax will hurt farmers, and the minister resigned."]
    assert unsupported("The new tax will hurt farmers.", cited) is not None
    assert unsupported("The minister resigned.", cited) is None
    # a reported view keeps its holder: "said" is enough
    cited = ["We believe that these demands should be firmly resisted, Mr Frost said."]
    assert unsupported("Mr Frost said the demands should be firmly resisted.", cited) is None


def test_the_name_after_a_word_and_of_is_the_cited_texts() -> None:
    cited = ["The riots followed the dismissal of Dinmukhamed Konayev, replaced by Gennady Kolbin."]
    got = unsupported("The riots followed the dismissal of Gennady Kolbin.", cited)
    assert got is not None and "kolbin" in got, got
    assert unsupported("The riots followed the dismissal of Konayev.", cited) is None
    # an acronym in brackets after the name is the same name
    cited = ["Agencies cut a number of Mortgage-backed security (MBS) bonds."]
    assert unsupported("Agencies cut a number of MBS bonds.", cited) is None


def test_said_to_have_is_hearsay_and_an_estimate_needs_its_hedge() -> None:
    cited = ["The theory was first released in 1972, and said to have predicted two quakes."]
    got = unsupported("The theory predicted two quakes.", cited)
    assert got is not None and "modal" in got, got
    assert unsupported("The theory was said to have predicted two quakes.", cited) is None
    cited = ["Forbes estimates the club was worth $1.3 billion in 2015."]
    assert unsupported("In 2015 the club was worth $1.3 billion.", cited) is not None
    assert unsupported("Forbes estimates the club was worth $1.3 billion.", cited) is None
    assert unsupported("The club was worth about $1.3 billion in 2015.", cited) is None


def _passage(text: str) -> Passage:
    return Passage("¶1", 1, text, 0, len(text), ())


def _kept(text: str, claim: str, quote: str) -> bool:
    """Is `claim`, citing `quote` of the one-passage article `text`, kept?"""
    got, _ = check_reply(f'{claim} [¶1 "{quote}"]', [_passage(text)])
    return len(got) == 1


def test_they_and_a_short_name_are_read_as_the_passage_gives_them() -> None:
    text = (
        "Arsenal appointed Herbert Chapman as manager in 1925. In July 2006, they moved into"
        " the Emirates Stadium. Chapman was behind the renaming of the station."
    )
    they, chapman = "they moved into", "Chapman was behind"
    assert _kept(text, "Arsenal moved into the Emirates Stadium in July 2006.", they)
    assert not _kept(text, "Chelsea moved into the Emirates Stadium in July 2006.", they)
    assert _kept(text, "Herbert Chapman was behind the renaming of the station.", chapman)
    assert not _kept(text, "Alex Chapman was behind the renaming of the station.", chapman)
    # a name before the pronoun in its sentence is its antecedent, not the passage's topic
    text = "Joe Cole had a shot blocked. Later, Liverpool were tired and they needed a save."
    assert not _kept(text, "Joe Cole needed a save.", "they needed a save")


def test_he_after_a_name_in_its_own_sentence_is_not_the_sentence_befores_person() -> None:
    text = (
        "Columbia Records severed its ties with EMI. In 1956, Conkling left Columbia, he would"
        " help establish the Academy."
    )
    # the cited sentence is not read as "Columbia would help establish the Academy"
    quote = "he would help establish"
    assert not _kept(text, "Columbia Records would help establish the Academy.", quote)
    assert _kept(text, "Conkling would help establish the Academy.", quote)


def test_a_figure_counts_what_the_cited_text_counts_with_it() -> None:
    cited = ["It is broadcast to 643 million homes and a potential audience of 4.7 billion people."]
    got = unsupported("It is broadcast to 643 million people.", cited)
    assert got is not None and "home" in got, got
    assert unsupported("It is broadcast to 643 million homes.", cited) is None
    # a thing the cited text counts with no figure is left to the other checks
    cited = ["The quake left 69,197 confirmed dead and 374,176 injured."]
    assert unsupported("69,197 were confirmed dead.", cited) is None


def test_a_potential_or_alleged_thing_keeps_its_hedge() -> None:
    cited = ["It is broadcast to 643 million homes and a potential audience of 4.7 billion people."]
    got = unsupported("It has an audience of 4.7 billion people.", cited)
    assert got is not None and "modal" in got, got
    assert unsupported("It has a potential audience of 4.7 billion people.", cited) is None


def test_the_name_before_was_the_is_the_cited_texts() -> None:
    cited = ["Dornberger was the military head, and von Braun was the technical director."]
    got = unsupported("Dornberger was the technical director.", cited)
    assert got is not None and "dornberg" in got, got
    assert unsupported("Von Braun was the technical director.", cited) is None
    # a name the cited text gives in a longer run is that run's
    cited = ["Arsenal Football Club was formed as Dial Square in 1886."]
    assert unsupported("Arsenal was formed as Dial Square in 1886.", cited) is None


def test_a_date_that_opens_its_sentence_dates_the_clause_after_it() -> None:
    cited = ["In October 1950, Chinese forces crossed the Yalu and entered the war."]
    assert unsupported("Chinese forces entered the war in October 1950.", cited) is None
    cited = ["Jobs rose in October, while exports rose in September."]
    assert unsupported("Exports rose in October.", cited) is not None


def test_he_is_the_person_a_name_with_a_particle_opens_the_sentence_before_with() -> None:
    text = (
        "Muammar Muhammad al-Gaddafi (born c. 1942) was a Libyan politician. He governed"
        " Libya from 1969 to 1977."
    )
    quote = "He governed Libya from 1969 to 1977"
    assert _kept(text, "Gaddafi governed Libya from 1969 to 1977.", quote)
    assert not _kept(text, "Idris governed Libya from 1969 to 1977.", quote)


def test_a_doer_the_cited_text_does_not_name_is_not_supported() -> None:
    cited = ["The war was one of the first to be documented extensively in reports."]
    got = unsupported("She was one of the first to document the war extensively in reports.", cited)
    assert got is not None and "nobody named" in got, got
    cited = ["The ball was delivered from the left and Varga glanced the ball into the net."]
    assert unsupported("Varga glanced in a ball delivered from the left.", cited) is None
    cited = ["Her comments were described as outrageous by the rights commission."]
    assert unsupported("The rights commission described her comments as outrageous.", cited) is None


def test_what_it_would_seem_is_a_view() -> None:
    cited = ["It would seem the two most prominent enthusiasts were Sperrle and Jeschonnek."]
    assert unsupported("The two most prominent enthusiasts were Sperrle and Jeschonnek.", cited)
    claim = "It would seem the two most prominent enthusiasts were Sperrle and Jeschonnek."
    assert unsupported(claim, cited) is None


def test_the_name_after_a_qualified_word_and_its_link_is_the_cited_texts() -> None:
    cited = [
        "It has a primary listing on the London Exchange, a secondary listing on the Paris Bourse."
    ]
    got = unsupported("It has a primary listing on the Paris Bourse.", cited)
    assert got is not None and "bours" in got, got
    assert unsupported("It has a primary listing on the London Exchange.", cited) is None
    assert unsupported("It has a listing on the Paris Bourse.", cited) is None


def test_she_after_a_place_is_still_the_sentence_befores_person() -> None:
    text = (
        "Beyonce Knowles (born 1981) is an American singer. Born in Houston, she performed early."
    )
    assert _kept(text, "Beyonce Knowles performed early.", "Born in Houston, she performed early")


def test_two_qualifiers_of_one_noun_may_not_swap() -> None:
    cited = ["The journal gave Acme the silver medal, with the gold medal going to Zeta Corp."]
    got = unsupported(
        "The journal gave Acme the gold medal, with the silver medal going to Zeta Corp.", cited
    )
    assert got is not None and "medal" in got, got
    claim = "The journal gave Acme the silver medal, with the gold medal going to Zeta Corp."
    assert unsupported(claim, cited) is None


def test_the_name_a_role_follows_is_the_cited_texts() -> None:
    cited = ["Brian L. Roberts, Chairman of Comcast, is son of co-founder Ralph Roberts."]
    got = unsupported(
        "Ralph Roberts, Chairman of Comcast, is son of co-founder Brian L. Roberts.", cited
    )
    assert got is not None and "chairman" in got, got
    assert (
        unsupported("Brian L. Roberts, Chairman of Comcast, is son of Ralph Roberts.", cited)
        is None
    )


def test_the_two_sides_of_than_may_not_swap() -> None:
    cited = ["In the city, the number of supporters was much more than the number of protesters."]
    claim = "In the city, the number of protesters was much more than the number of supporters."
    got = unsupported(claim, cited)
    assert got is not None and "other way round" in got, got
    assert (
        unsupported("The number of supporters was more than the number of protesters.", cited)
        is None
    )


def test_a_deed_the_text_only_credits_someone_with_is_no_fact() -> None:
    """claims15, from heldout13's "Dr. Bertrand wrote" for "is credited with writing"."""
    text = ["Ada Pryce is credited with designing the harbour bridge in 1931."]
    assert unsupported("Ada Pryce designed the harbour bridge in 1931.", text)
    assert unsupported("Ada Pryce is credited with designing the harbour bridge.", text) is None


def test_a_figure_keeps_its_per() -> None:
    """claims15, from heldout13's "$15 million per listed species" for "per year"."""
    text = ["The board may spend up to $4 million per year to buy land for new parks."]
    assert unsupported("The board may spend up to $4 million per new park.", text)
    assert unsupported("The board may spend up to $4 million per year to buy land.", text) is None


def test_a_count_is_not_narrowed_to_a_name() -> None:
    """claims15, from heldout13's "killing 224 Americans" for "224 people"; the same figure
    with the name after it elsewhere in the text is left alone."""
    text = ["The storm killed 40 people in two days, among them 3 Canadians."]
    assert unsupported("The storm killed 40 Canadians in two days.", text)
    assert unsupported("The storm killed 40 people in two days.", text) is None
    both = ["She opened two Olympic Games in two different countries."]
    assert unsupported("She opened two Olympic Games.", both) is None


def test_a_figure_written_from_its_decimal_point_is_below_one() -> None:
    """claims16, from heldout12's "led the league with 429 hits" for "hitting at .429"."""
    text = ["Morgan led the league in hitting at .381 that year."]
    assert unsupported("Morgan led the league with 381 hits that year.", text)
    assert unsupported("Morgan led the league in hitting at .381.", text) is None
    # the sentence shown keeps the figure's space ("at.381" read as "at" and 381)
    assert clean("Morgan led the league in hitting at .381 .") == (
        "Morgan led the league in hitting at .381."
    )


def test_a_word_is_not_put_where_the_text_has_its_opposite() -> None:
    """claims16, from heldout12's "finished with losing seasons" for "winning seasons",
    "losing" being said elsewhere in the cited text."""
    text = ["After losing the final, the Rovers had winning seasons for three years."]
    got = unsupported(
        "After losing the final, the Rovers had losing seasons for three years.", text
    )
    assert got is not None and "season" in got, got
    assert unsupported("The Rovers had winning seasons for three years.", text) is None
    prices = ["Lower prices in May brought higher sales in June."]
    assert unsupported("Higher prices in May brought higher sales.", prices)
    assert unsupported("Lower prices in May brought higher sales.", prices) is None
    assert unsupported("Prices fell in July.", ["Prices rose in June and fell in July."]) is None


def test_the_month_may_is_no_modal_verb() -> None:
    """claims16: "in May and fell" put "fell" under the modal "may"."""
    assert unsupported("Prices fell in June.", ["Prices rose in May and fell in June."]) is None
    assert unsupported("Prices fell in June.", ["Prices rose, and may fall in June."])


def test_the_doer_is_not_made_the_one_done_to() -> None:
    """claims16, from heldout12's "Watson fired Patterson" for "Watson, fired ... by
    Patterson": commas keep word order from telling, spaCy's parse does."""
    text = ["In 1912, Ada Marsh, dismissed from the Harbour Board by Tom Reeve, opened a shop."]
    got = unsupported("Ada Marsh dismissed Tom Reeve from the Harbour Board.", text)
    assert got is not None and "reev" in got, got
    assert unsupported("Tom Reeve dismissed Ada Marsh from the Harbour Board.", text) is None
    bought = ["Zeta, a small maker of pumps, was bought by Acme in 1990."]
    assert unsupported("Zeta bought Acme.", bought)
    assert unsupported("Acme bought Zeta.", bought) is None


def test_two_verbs_do_not_swap_their_subjects() -> None:
    """claims16, from heldout12's "Bell's brother tackled the skull, while Bell constructed
    the throat" for the reverse."""
    text = ["While her sister painted the hall, Mira repaired the old roof."]
    got = unsupported("Mira's sister repaired the old roof, while Mira painted the hall.", text)
    assert got is not None and "sister" in got, got
    assert (
        unsupported("Mira repaired the old roof while her sister painted the hall.", text) is None
    )


def test_the_one_done_to_is_not_made_the_doer() -> None:
    """claims17, from heldout14's "was put under house arrest by Naguib" for "he put Naguib
    under house arrest"."""
    text = ["In 1920, she took Ada Marsh to court over the unpaid rent."]
    got = unsupported("She was taken to court by Ada Marsh over the unpaid rent.", text)
    assert got is not None and "marsh" in got, got
    assert unsupported("Ada Marsh was taken to court over the unpaid rent.", text) is None


def test_lacked_is_a_negation() -> None:
    """claims17, from heldout14's "It had a rubber breech seal" for "lacked the seal"."""
    text = ["The old pump had a steel frame and lacked the pressure valve of later models."]
    assert unsupported("The old pump had the pressure valve of later models.", text)
    assert unsupported("The old pump lacked the pressure valve of later models.", text) is None


def test_arguably_is_a_hedge() -> None:
    """claims17, from heldout14's "it is a financial company" for "it is arguably ..."."""
    text = ["With most sales abroad, the firm is arguably a foreign company with a local office."]
    assert unsupported("The firm is a foreign company with a local office.", text)
    assert unsupported("The firm is arguably a foreign company with a local office.", text) is None


def test_a_sum_of_money_is_no_weight() -> None:
    """claims17, from heldout14's "4.4 million tons" for "4.4 million pounds"."""
    text = ["The plant released 3.2 million pounds (1,450 tons) of waste a year."]
    got = unsupported("The plant released 3.2 million tons of waste a year.", text)
    assert got is not None and "£" in got, got
    assert unsupported("The plant released 3.2 million pounds of waste a year.", text) is None


def test_what_someone_declared_or_wrote_is_their_view() -> None:
    """claims17, from heldout14's "France had done all it could" (the minister declared so)
    and "Nasser's family believed" (his biographers wrote so): a holder the claim takes from
    inside the view holds nothing; a clause after ", while" with its own subject is the
    text's own."""
    declared = ["The mayor, Ann Lee, declared that the city had done everything to keep the mill."]
    assert unsupported("The city had done everything to keep the mill.", declared)
    assert (
        unsupported("The mayor declared the city had done everything to keep the mill.", declared)
        is None
    )
    wrote = ["His biographers wrote that his parents believed strongly in hard work."]
    assert unsupported("His parents believed strongly in hard work.", wrote)
    both = ["Some 47% believe the tax should go, while 12% think it should double."]
    assert unsupported("12% think the tax should double.", both) is None


def test_the_one_a_verb_goes_to_is_not_made_its_subject() -> None:
    """claims18, from heldout15's "His sisters wrote to him" for "he wrote to his
    sisters"."""
    text = ["In 1915, he wrote to his cousin Clara and told her that he was safe."]
    got = unsupported("His cousin Clara wrote to him that he was safe.", text)
    assert got is not None and "subject of write" in got, got
    assert unsupported("He wrote to his cousin Clara that he was safe.", text) is None
    assert unsupported("Rates were left on hold.", ["The bank left rates on hold."]) is None


def test_a_negation_after_that_does_not_reach_back_over_it() -> None:
    """claims18, from heldout15's "is also granted for other failures that do not
    generate these codes" for "is not granted for any other failures that do not ..."."""
    text = ["The refund is not paid for any other faults that do not show this code."]
    assert unsupported("The refund is also paid for other faults that do not show this code.", text)
    assert (
        unsupported("The refund is not paid for other faults that do not show this code.", text)
        is None
    )


def _story_kept(reply: str, paragraphs: list[str]) -> list[str]:
    passages = [Passage(f"¶{n}", n, t, 0, len(t), ()) for n, t in enumerate(paragraphs, 1)]
    return [s for s, _ in check_reply(reply, passages)[0]]


def test_he_or_she_may_be_named_as_the_one_the_passages_are_about() -> None:
    story = [
        "Maria Lopez is a Chilean chemist. She studied in Santiago. Lopez won a medal in 2010.",
        "In 2015, she founded a laboratory in Valparaiso. Her laboratory employs 40 people.",
        "Lopez retired in 2020, and she lives in Santiago. Lopez has two sons.",
    ]
    reply = (
        'Lopez founded a laboratory in Valparaiso. [¶2 "she founded a laboratory in Valparaiso"]'
    )
    assert _story_kept(reply, story) == ["Lopez founded a laboratory in Valparaiso."]
    reply = 'Lopez\'s laboratory employs 40 people. [¶2 "Her laboratory employs 40 people."]'
    assert _story_kept(reply, story) == ["Lopez's laboratory employs 40 people."]
    # someone else named before the pronoun could be meant: not written out
    rival = list(story)
    rival[1] = "In 2015, Carlos Ruiz joined her. He founded a laboratory in Valparaiso."
    reply = (
        'Lopez founded a laboratory in Valparaiso. [¶2 "He founded a laboratory in Valparaiso."]'
    )
    assert _story_kept(reply, rival) == []
    # "he" is not a she
    other = [story[0], "In 2015, he founded a laboratory in Valparaiso.", story[2]]
    reply = 'Lopez founded a laboratory in Valparaiso. [¶2 "he founded a laboratory in Valparaiso"]'
    assert _story_kept(reply, other) == []


def test_the_company_may_be_named_as_the_company_the_passages_are_about() -> None:
    story = [
        "Norvik Corporation builds ships. Norvik was founded in 1950 by sailors.",
        "Norvik opened a yard in Oslo in 1990. The company's headquarters are in Bergen.",
        "Norvik employs 900 people.",
    ]
    reply = (
        "Norvik's headquarters are in Bergen. [¶2 \"The company's headquarters are in Bergen.\"]"
    )
    assert _story_kept(reply, story) == ["Norvik's headquarters are in Bergen."]
    # another company in the sentence before: "the company" may be that one
    rival = list(story)
    rival[1] = (
        "Hansa Group opened a yard in Oslo in 1990. The company's headquarters are in Bergen."
    )
    assert _story_kept(reply, rival) == []


def test_an_estimate_is_kept_beside_a_bound() -> None:
    cited = ["Her net worth is estimated to be more than $3 billion."]
    got = unsupported("Her net worth is more than $3 billion.", cited, order=False)
    assert got is not None and "qualifier the cited text gives it (about)" in got, got
    assert unsupported("Her net worth is estimated at more than $3 billion.", cited) is None


def test_one_of_the_largest_is_not_the_largest() -> None:
    cited = ["Their show is ranked among the greatest in rock history by critics."]
    got = unsupported("Their show was the greatest in rock history.", cited)
    assert got is not None and "among" in got, got
    assert unsupported("Their show is ranked among the greatest in rock history.", cited) is None
    cited = ["It is one of the biggest banks in Europe."]
    assert unsupported("It is the biggest bank in Europe.", cited) is not None
    assert unsupported("It is one of the biggest banks in Europe.", cited) is None


def test_a_share_is_not_a_count() -> None:
    """claims20, from heldout16's "91 negative responses" for "a 91% negative response"."""
    cited = ["A poll on a fan site registered a 91% negative response to the crest."]
    got = unsupported("A poll registered 91 negative responses to the crest.", cited)
    assert got is not None and "count" in got, got
    assert unsupported("A poll registered a 91 per cent negative response.", cited) is None


def test_a_modal_reaches_past_an_aside() -> None:
    """claims20, from heldout16's "The CIA exerts" for "It can, for example, exert"."""
    cited = ["The agency can, for example, exert influence through its divisions."]
    got = unsupported("The agency exerts influence through its divisions.", cited)
    assert got is not None and "modal" in got, got
    assert unsupported("The agency can exert influence through its divisions.", cited) is None
    # a list between commas is no aside: "can be scrappy, dull, horrible"
    cited = ["Derby games can be scrappy, dull, horrible and it was like that."]
    assert unsupported("Derby games can be scrappy, dull and horrible.", cited) is None


def test_the_doer_after_by_is_the_verbs_only_subject() -> None:
    """claims20, from heldout16's "Henry Pelham deemed" for "was deemed essential by the Duke
    of Newcastle, ... in the ministry of his brother Henry Pelham"."""
    cited = [
        "The treaty was signed by the Duke of Newcastle, secretary of state in the ministry of"
        " his brother Henry Pelham."
    ]
    got = unsupported("Henry Pelham signed the treaty.", cited)
    assert got is not None and "done by duke" in got, got
    assert unsupported("The Duke of Newcastle signed the treaty.", cited) is None
    assert unsupported("Newcastle signed the treaty.", cited) is None


def test_the_subject_is_read_from_the_names_the_index_found(monkeypatch) -> None:  # noqa: ANN001
    """The app's passages carry spaCy's entities from indexing: the subject comes from them,
    with no parse at check time, and is the one a parse of the text gives."""
    from bot.dev.redteam import _app_passages
    from bot.llm.claim_subject import Subject, main_subject, subject_of

    passages = _app_passages(str(Path(__file__).parent / "data/claims_wiki/muammar-gaddafi.txt"))
    parsed = main_subject(tuple(p.text for p in passages))

    def no_parse() -> None:
        raise AssertionError("parsed at check time")

    monkeypatch.setattr("index.nlp.load_nlp", no_parse)
    assert subject_of(passages) == parsed == Subject("Gaddafi", "he")


def test_who_in_a_relative_clause_is_the_one_it_is_said_of() -> None:
    """claims21, from heldout17's "met Marnul and invited him" for "met Marnul, who invited
    him": a name is not made the subject of a verb the cited text gives another name, while
    it does something else there."""
    cited = ["In 2004, Alice Moreau hired Tom Reyes, who trained her for the race in Lyon."]
    got = unsupported("In 2004, Moreau hired Tom Reyes and trained her for the race.", cited)
    assert got is not None and "has moreau train" in got, got
    assert unsupported("Tom Reyes trained Moreau for the race in Lyon.", cited) is None
    assert unsupported("In 2004, Moreau hired Tom Reyes, who trained her.", cited) is None


def test_a_verb_and_its_preposition_keep_their_name() -> None:
    """claims21, from heldout17's "traveled to Switzerland through the Skull and Bones
    Society" for "joined the Skull and Bones Society, and traveled ... through AIESEC"."""
    cited = ["She joined the Harbour Rowing Club, and sailed to Oslo with the Nordic Trust."]
    got = unsupported("She sailed to Oslo with the Harbour Rowing Club.", cited)
    assert got is not None and "sail with" in got, got
    assert unsupported("She sailed to Oslo with the Nordic Trust.", cited) is None
    # a name further on in the cited phrase is the phrase's too
    trust = ["She sailed to Oslo with the crew of the Nordic Trust in 2019."]
    assert unsupported("She sailed to Oslo with the Nordic Trust in 2019.", trust) is None


def test_a_thing_keeps_its_owner() -> None:
    """claims21, from heldout17's "her mother's parents" for "her father's parents"."""
    cited = ["Her father's parents came from Lyon, while her mother was born in Quebec."]
    got = unsupported("Her mother's parents came from Lyon.", cited)
    assert got is not None and "mother" in got, got
    assert unsupported("Her father's parents came from Lyon.", cited) is None
    # a thing the cited text gives no owner, and an owner that is a name, are left alone
    approved = ["The council approved the budget in May, and her father voted for it."]
    assert unsupported("The council's budget was approved in May.", approved) is None
    told = ["Her father's parents came from Lyon, Moreau said."]
    assert unsupported("Moreau's parents came from Lyon, Moreau said.", told) is None
