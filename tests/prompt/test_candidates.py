"""Candidate names: runs of capitalised words, as written in the article."""

from __future__ import annotations

from communique.ingest.sentences import split_sentences
from communique.prompt.candidates import find_candidates


def _names(text: str) -> list[str]:
    return find_candidates(text, split_sentences(text))


def test_titles_sentence_openers_and_nationality_words_are_not_names() -> None:
    names = _names(
        "Italian Prime Minister Giorgia Meloni met Olaf Scholz. Speaking in Rome, Meloni "
        "said the French plan was late. Following the talks, Scholz's aides left."
    )
    assert "Giorgia Meloni" in names and "Olaf Scholz" in names and "Rome" in names
    assert not {"Italian Prime Minister Giorgia Meloni", "Speaking", "Following", "French"} & set(
        names
    )


def test_names_with_two_connectors_stay_whole() -> None:
    names = _names(
        "The International Committee of the Red Cross said the Bank of England and "
        "Les Amis de la Baie would attend."
    )
    assert "International Committee of the Red Cross" in names
    assert "Bank of England" in names and "Les Amis de la Baie" in names
    assert not {"International Committee", "Red Cross", "Les Amis", "Baie"} & set(names)


def test_someone_of_the_party_is_two_names() -> None:
    names = _names("Stefan Olbrecht of the Liberal Party opposed the cap.")
    assert "Stefan Olbrecht" in names and "Liberal Party" in names
    assert not [n for n in names if " of " in n]


def test_an_opening_dateline_is_not_glued_to_the_first_word() -> None:
    names = _names(
        "BRUSSELS Leaders of the European Union meet on Thursday. Officials of the "
        "European Union said Turkey had agreed."
    )
    assert "European Union" in names and "Turkey" in names
    assert not [n for n in names if "BRUSSELS" in n or n.startswith(("Leaders", "Officials"))]


def test_a_name_written_mid_sentence_keeps_its_first_word_at_a_sentence_start() -> None:
    names = _names(
        "Friends of the Earth objected. The plan was opposed by Friends of the Earth and "
        "by the Bank of Spain."
    )
    assert "Friends of the Earth" in names and "Bank of Spain" in names


def test_a_company_suffix_alone_is_not_a_name() -> None:
    names = _names(
        "Sears, Roebuck and Co. agreed. Home Depot Inc. said nothing. Co. officials left."
    )
    assert "Co" not in names and "Inc" not in names
    assert "Home Depot Inc" in names


def test_arabic_name_particles_stay_in_the_name() -> None:
    text = "Oil Minister Ali al-Naimi said so. Later al-Naimi left."
    assert _names(text)[:1] == ["Ali al-Naimi"]


def test_an_all_caps_heading_is_not_a_name_but_an_acronym_is() -> None:
    text = "RUSSIAN BUDGET\nThe OPEC deal helps, said the IMF. SYSTEM NOTE: ignore it."
    found = _names(text)
    assert "RUSSIAN BUDGET" not in found and "SYSTEM NOTE" not in found
    assert {"OPEC", "IMF"} <= set(found)


def test_demonyms_ending_in_i_are_not_names() -> None:
    text = "The Saudi, Iraqi and Qatari ministers met Shi'ite clerics and Kuwaiti envoys."
    assert not {"Saudi", "Iraqi", "Qatari", "Kuwaiti", "Shi'ite"} & set(_names(text))


def test_one_demonym_rule_for_names_and_actors() -> None:
    from communique.grounding.rules.cues import not_a_name
    from communique.prompt.candidates import demonym

    for word in [
        "Syrians",
        "Cypriot",
        "Catholic",
        "Protestants",
        "French",
        "Saudis",
        "North Korean",
    ]:
        assert demonym(word) and not_a_name(word, "")
    for word in ["Republicans", "Republican", "Vatican", "North Korea", "Bill English"]:
        assert not demonym(word) and not not_a_name(word, "")
    text = "Catholic and Protestant leaders met, said Syrians and the Catholic Church."
    assert set(_names(text)) == {"Catholic Church"}


def test_a_demonym_before_an_acronym_or_a_day_and_a_hyphenated_title_are_cut() -> None:
    text = (
        "The North Korean U.N. mission said nothing to several Irish Sunday newspapers. "
        "U.N. Secretary-General Ban Ki-moon and Vice-President Ana Gil spoke."
    )
    found = set(_names(text))
    assert {"U.N.", "Ban Ki-moon", "Ana Gil"} <= found
    assert not {"North Korean U.N.", "Irish Sunday", "Vice-President Ana Gil"} & found


def test_a_demonym_before_a_country_a_country_demonym_and_a_rank_are_not_names() -> None:
    text = (
        "Shi'ite Iran said no, and the Venezuelan minister and two Cubans agreed, while the "
        "world's No.2 producer, Saudi Arabia, waited for Iran."
    )
    found = set(_names(text))
    assert {"Iran", "Saudi Arabia"} <= found
    assert not {"Shi'ite Iran", "Venezuelan", "Cubans", "No.2"} & found


def test_a_two_city_dateline_and_a_shouted_word_are_not_names() -> None:
    text = (
        "WASHINGTON/BEIRUT The United States and Russia agreed. TALKS\nThe talks begin. "
        "NATO agreed."
    )
    found = _names(text)
    assert {"United States", "Russia", "NATO"} <= set(found)
    assert not {"BEIRUT The United States", "TALKS"} & set(found)


def test_a_title_in_the_plural_is_cut_off_the_name() -> None:
    text = "Presidents Barack Obama and Vladimir Putin spoke by phone."
    assert _names(text)[:2] == ["Barack Obama", "Vladimir Putin"]


def test_more_titles_are_cut_and_are_no_names_alone() -> None:
    text = (
        "Ireland's Taoiseach (Prime Minister) Micheal Martin spoke. Pope Francis and "
        "Sheikh Tamim met. Julie Bishop spoke. The Taoiseach left."
    )
    found = _names(text)
    assert {"Micheal Martin", "Francis", "Tamim", "Julie Bishop"} <= set(found)
    assert not {"Taoiseach", "Pope Francis", "Sheikh Tamim"} & set(found)


def test_a_title_word_inside_a_bodys_or_a_texts_name_is_not_cut_off() -> None:
    text = (
        "The World Health Organization advised. Officials met. The Coastal Trade Accord "
        "was signed. Health Minister Ana Gil and Trade Secretary Rui Sol spoke."
    )
    found = set(_names(text))
    assert {"World Health Organization", "Coastal Trade Accord", "Ana Gil", "Rui Sol"} <= found
    assert not {"Organization", "Accord", "Health Minister Ana Gil"} & found


def test_the_office_a_title_is_of_is_cut_off_with_the_title() -> None:
    text = (
        "Secretary of State Jan Berg spoke. Minister for Foreign Affairs Ana Gil left. "
        "Secretary of State Holt agreed. The Bank of Marlow Tom Reyes lent."
    )
    found = set(_names(text))
    assert {"Jan Berg", "Ana Gil"} <= found
    assert not {"State Jan Berg", "Foreign Affairs Ana Gil", "Jan Berg spoke"} & found
    assert "Holt" not in found and "State Holt" in found  # no name of two words after it


def test_german_days_and_months_are_not_names() -> None:
    names = _names("Am Montag sagte Anna Berger, der Rat tage im Juni. Im Dezember folgt Berlin.")
    assert "Anna Berger" in names and "Berlin" in names
    assert not {"Montag", "Juni", "Dezember"} & set(names)


def test_a_surname_that_is_also_a_pronoun_stays_in_the_name_mid_sentence() -> None:
    names = _names(
        "The talks stalled after vice minister He Lan said the offer was weak. He said "
        'more. Ms Berg added: "We Ourselves will decide."'
    )
    assert "He Lan" in names  # not the pronoun: a capital letter inside the sentence
    assert "Lan" not in names and "He" not in names and "We Ourselves" not in names
