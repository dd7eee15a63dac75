"""Every grounding rule, by phase, in the order it runs: what `communique rules` lists.

The `ground` and `followup` rules are checks made inline while an answer is grounded
(grounding/answer.py's `ground`, pipeline/followup_answer.py's `merge`), each skipped when it is
switched off. The `finish` phase is an ordered tuple of steps, each a function
`(parts, ctx) -> None` applying one or more rules to the grounded parts (`finish` below;
pipeline/summarize.py runs it). The `merge` rules run when a long article's chunks are
merged (pipeline/merge.py).

To add a rule: define a `Rule` next to the code that applies it, write its notes with
`RULE.note(item, reason, action)` where `item` is the item's origin (`parts.path(item)`,
or `parts.correct` / `parts.without`, which write the note), change items with
`parts.copy` (which keeps their origin), skip the check when `parts.on(RULE)` is false,
and add it here (a new finish step goes into FINISH at the place it must run);
`tests/grounding/test_rules.py` checks that every note of every replayed seed names a rule
listed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ...pipeline import followup, merge, per_actor
from ...prompt import limits
from ..context import GroundedParts, GroundingContext
from . import (
    actors,
    affiliation,
    analysts,
    attribution,
    clauses,
    employees,
    ground_rules,
    opposition,
    outlets,
    passing,
    places,
    plans,
    proposals,
    recite,
    reservations,
    roles,
    saying,
    steps,
    taking_part,
    unsaid,
    wording,
)
from .rule import Rule

GROUND: tuple[Rule, ...] = (
    limits.NAMES_AS_STRINGS,
    ground_rules.REPEATS_INJECTION,
    ground_rules.NOT_IN_ARTICLE,
    ground_rules.INVENTED_NAME,
    ground_rules.BACKGROUND_ONLY,
    ground_rules.COMMON_WORD,
    ground_rules.DOCUMENT_NAME,
    ground_rules.INSIDE_LONGER_NAME,
    ground_rules.PAIRS_TWO_NAMES,
    ground_rules.ONLY_A_PLACE,
    ground_rules.UNRELATED_ALIAS,
    ground_rules.MISSING_SENTENCE,
    ground_rules.INJECTED_SENTENCE,
    ground_rules.STANCE_FROM_SUMMARY,
    ground_rules.POSITION_NO_EVIDENCE,
    ground_rules.NAMED_OFTEN,
    ground_rules.PROPOSAL_NO_EVIDENCE,
    ground_rules.ACTOR_NOT_LISTED,
    ground_rules.BEST_SENTENCE,
    ground_rules.WHEN_AS_WRITTEN,
)

FOLLOWUP: tuple[Rule, ...] = (
    followup.CALL_FAILED,
    followup.NOT_AN_ACTOR,
    followup.DEFINITION_ONLY,
    followup.SPEAKER_STATEMENT,
    followup.LISTED_WITHOUT_POSITION,
    followup.STEP_REPLACES,
    followup.TIMED_STEPS_KEPT,
    followup.QUOTED_SPEAKER,
    followup.UNASKED_SPEAKER,
    followup.SPEAKER_OWN_WORDS,
    per_actor.ASKED,
    per_actor.CALL_FAILED,
)


@dataclass(frozen=True)
class Step:
    """One pass of the finish phase: `apply` checks `rules` (each skipped when off)."""

    rules: tuple[Rule, ...]
    apply: Callable[[GroundedParts, GroundingContext], None]
    # skipped by `preview`: a rule about what is left once the follow-up answered
    after_followup: bool = False


def _affiliations(parts: GroundedParts, ctx: GroundingContext) -> None:
    if parts.on(affiliation.AFFILIATION):
        found = affiliation.with_affiliations(parts.participants, ctx.article.text)
        parts.participants = parts.follow(parts.participants, found)


def _date_of(ctx: GroundingContext) -> dt.date | None:
    return ctx.article.date


FINISH: tuple[Step, ...] = (
    # first: with no proposal there are no positions for the rules below to check
    Step((proposals.NOTHING_AT_STAKE,), lambda p, c: proposals.drop_proposal_without_stake(p)),
    Step((actors.KIND_FROM_NAME,), lambda p, c: actors.correct_kinds(p)),
    Step((actors.SAME_ACTOR,), lambda p, c: actors.merge_same_actors(p)),
    Step((actors.NEWS_AGENCY,), lambda p, c: actors.drop_news_agencies(p)),
    Step(
        (steps.BARE_WORD, steps.NOTHING_AHEAD),
        lambda p, c: steps.drop_bare_steps(p),
    ),
    Step((steps.PLAN_CLAUSE,), lambda p, c: steps.refocus_steps(p, _date_of(c))),
    Step((steps.PAST_TIME,), lambda p, c: steps.drop_past_steps(p, _date_of(c))),
    # after the follow-up: its answers about step sentences come first
    Step((plans.TIMED_PLAN,), plans.add_timed_plans, after_followup=True),
    Step((plans.ARRANGED_PLAN,), plans.add_arranged_plans, after_followup=True),
    Step((attribution.SAYS_NOTHING,), attribution.blank_unsaid_summaries),
    Step((unsaid.STANCE_FROM_EVIDENCE, unsaid.SPEAKER_COMMENTS), unsaid.stances_from_evidence),
    Step((clauses.STANCE_IN_CLAUSE,), clauses.stances_in_clauses),
    Step(
        (reservations.RESERVATION_ELSEWHERE,),
        reservations.reservations_elsewhere,
        after_followup=True,
    ),
    Step((wording.FOREIGN_SCRIPT,), lambda p, c: wording.tidy_foreign_script(p, c.article)),
    Step((wording.HEADLINE_IN_ENGLISH,), lambda p, c: wording.headline_in_english(p, c.article)),
    Step(
        (wording.ARTICLE_PREAMBLE, wording.DANGLING_END), lambda p, c: wording.tidy_cut_phrases(p)
    ),
    Step((saying.SAID_NOTHING,), saying.replace_said_nothing),
    Step((recite.ACTOR_SENTENCE,), recite.cite_actor_sentences, after_followup=True),
    Step(
        (
            attribution.COUNTED_UP,
            attribution.ACTOR_NOT_NAMED,
            attribution.OTHER_SUBJECT,
            attribution.COPIED_SUMMARY,
        ),
        attribution.drop_copied_positions,
    ),
    Step((employees.EMPLOYEE_SPEAKS,), employees.credit_employees, after_followup=True),
    Step((analysts.ANALYST_NEUTRAL,), analysts.neutral_analysts),
    Step((opposition.SHADOW_MINISTER,), opposition.shadow_ministers_oppose),
    # after the position rules: a summary that tells what a paper reported is some other
    # subject's (positions.other_subject) while the paper is still a participant
    Step((outlets.NEWS_OUTLET,), outlets.drop_news_outlets),
    Step((roles.UNBACKED_ROLE, roles.STATED_ROLE), roles.ground_roles),
    Step((affiliation.AFFILIATION,), _affiliations),
    Step(
        (affiliation.AFFILIATION_ONLY,),
        lambda p, c: affiliation.drop_affiliation_only(p, c.article.text),
    ),
    Step(
        (places.ACTOR_AS_PLACE, places.PLACE_WITHOUT_POSITION),
        places.drop_places,
        after_followup=True,
    ),
    Step((passing.PASSING_MENTION,), passing.drop_passing_mentions, after_followup=True),
    # then the people no answer lists: each has a sentence with a verb of taking part
    # (cues.TAKES_PART), so passing.PASSING_MENTION, run before or after, keeps them
    Step((taking_part.PERSON_TAKES_PART,), taking_part.add_people_taking_part, after_followup=True),
)

MERGE: tuple[Rule, ...] = (
    merge.SAME_ACTOR_POSITION,
    merge.LATER_PROPOSAL,
    merge.SAME_SENTENCE_STEP,
)


def finish(parts: GroundedParts, ctx: GroundingContext) -> None:
    """Run the finish phase's steps in order; a step whose rules are all off is skipped."""
    _run(FINISH, parts, ctx)


def preview(parts: GroundedParts, ctx: GroundingContext) -> None:
    """The finish phase as the follow-up's planning sees it (followup.unplaced): without
    the steps about what is left once the follow-up has answered (a participant the
    follow-up may still give a position is asked about, not dropped)."""
    _run([step for step in FINISH if not step.after_followup], parts, ctx)


def _run(steps: Sequence[Step], parts: GroundedParts, ctx: GroundingContext) -> None:
    for step in steps:
        if any(parts.on(rule) for rule in step.rules):
            step.apply(parts, ctx)


ORDERED: tuple[Rule, ...] = (
    *GROUND,
    *FOLLOWUP,
    *(rule for step in FINISH for rule in step.rules),
    *MERGE,
)
RULES: dict[str, Rule] = {rule.id: rule for rule in ORDERED}
if len(RULES) != len(ORDERED):  # pragma: no cover - a programming error
    raise RuntimeError("two rules share an id")
