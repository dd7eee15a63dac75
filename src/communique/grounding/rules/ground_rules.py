"""The rules of the `ground` phase: the checks `grounding.answer.ground` makes on the main
answer (the follow-up pass applies some of them too), in the order they run
(registry.GROUND). Each is applied inline where the answer is grounded and skipped
when switched off; see rule.py for what a rule is.
"""

from __future__ import annotations

from .rule import Rule

SALIENT_MENTIONS = 3  # a name written this often is an actor of the story
REPICK_MARGIN = 20  # rapidfuzz points by which another sentence must beat the cited ones

NOT_IN_ARTICLE = Rule(
    "actors.not_in_article",
    "ground",
    "An actor whose name (and every alias) is not written in the article, or only in a "
    "sentence that addresses the model, is dropped; the answer is re-asked first.",
    fixed=True,
)
INVENTED_NAME = Rule(
    "actors.invented_name",
    "ground",
    "An actor whose name is not written in the article but one of whose aliases is keeps "
    "that alias as its name (an invented name is never kept).",
    fixed=True,
)
BACKGROUND_ONLY = Rule(
    "actors.background_only",
    "ground",
    "An actor every sentence of which presents it as a past figure ('then-Prime Minister', "
    "'former minister'; for an actor given a stance, also one saying its part is over) is "
    "background, not a participant; nor is a name that only is a past figure asked about "
    "in the follow-up call.",
)
COMMON_WORD = Rule(
    "actors.common_word",
    "ground",
    "A name that is a demonym, a time zone, a dateline glued to a word or words the "
    "article also writes in lower case ('Leaders', 'Public Health') is no actor; also "
    "never added as a name written often.",
)
DOCUMENT_NAME = Rule(
    "actors.document_name",
    "ground",
    "A name ending in a document word ('Good Friday Agreement', 'White Paper') names a text "
    "or a deal, not an actor; also never added as a name written often.",
)
INSIDE_LONGER_NAME = Rule(
    "actors.inside_longer_name",
    "ground",
    "A name only ever written as the end of a longer one headed by a document or a body "
    "('White Paper on Public Health', 'Bank of England') is no actor; also never added as "
    "a name written often.",
)
PAIRS_TWO_NAMES = Rule(
    "actors.pairs_two_names",
    "ground",
    "A hyphenated pair of written names or demonyms ('EU-US', 'U.S.-Russian') is two "
    "actors' description, not one actor: dropped from the main answer, never asked about "
    "in the follow-up call.",
)
ONLY_A_PLACE = Rule(
    "actors.only_a_place",
    "ground",
    "An actor the model gave no stance that the article only writes after 'in', 'at', "
    "'to', 'from' ('talks in Geneva') is where things happen, not who acts.",
)
UNRELATED_ALIAS = Rule(
    "actors.unrelated_alias",
    "ground",
    "An alias that shares no word and no initials with the actor's name (and is not its "
    "capital) is removed from the aliases.",
)
NAMED_OFTEN = Rule(
    "actors.named_often",
    "ground",
    f"A candidate name written at least {SALIENT_MENTIONS} times that the model left out "
    "is added as a participant (kind from the name's shape), unless it is a thing, a "
    "place or a capital of no listed country.",
)
PROPOSAL_NO_EVIDENCE = Rule(
    "proposal.no_evidence",
    "ground",
    "A proposal that cites no sentence is not kept; the answer is re-asked first.",
    fixed=True,
)
POSITION_NO_EVIDENCE = Rule(
    "positions.no_evidence",
    "ground",
    "A stance without a cited sentence is not kept as a position (its actor stays).",
    fixed=True,
)
MISSING_SENTENCE = Rule(
    "evidence.missing_sentence",
    "ground",
    "A cited sentence number the article does not have is removed; an item with no valid "
    "citation left is dropped (main answer: re-asked first).",
    fixed=True,
)
INJECTED_SENTENCE = Rule(
    "evidence.injected_sentence",
    "ground",
    "A cited sentence that addresses the model (prompt injection, injection.py) is never "
    "evidence; an item with no citation left is not kept.",
    fixed=True,
)
REPEATS_INJECTION = Rule(
    "text.repeats_injection",
    "ground",
    "Model text that repeats an injected instruction is not kept: the item is dropped, a "
    "headline replaced by the article's title, a gist emptied (main and follow-up answer).",
    fixed=True,
)
BEST_SENTENCE = Rule(
    "evidence.best_sentence",
    "ground",
    f"A next step whose cited sentences state it far worse ({REPICK_MARGIN} rapidfuzz "
    "points) than another sentence of the article cites that sentence instead (main and "
    "follow-up answer).",
)
WHEN_AS_WRITTEN = Rule(
    "steps.when_as_written",
    "ground",
    "A next step's `when` that the article does not write, or that names no time, is "
    "replaced by the time in the action (when the article writes it), else by the cited "
    "sentence's, else null.",
)
ACTOR_NOT_LISTED = Rule(
    "steps.actor_not_listed",
    "ground",
    "A next step's actor that is not a listed participant is set to null.",
    fixed=True,
)
STANCE_FROM_SUMMARY = Rule(
    "positions.stance_from_summary",
    "ground",
    "A stance the model's own summary contradicts follows the summary: 'oppose' with "
    "'would not oppose' becomes 'conditional'; 'conditional' with 'will not support' or "
    "'votes against' and no condition becomes 'oppose'; 'support' or 'unclear' with 'only if', "
    "'rejects', 'mediates' ... becomes conditional, oppose or neutral, and 'unclear' with "
    "'welcomed', 'urged ... to accept', 'not pessimistic' becomes 'support'; words in a "
    "concession ('even though Y refused ...') are not the actor's stance (main and "
    "follow-up answer).",
)
