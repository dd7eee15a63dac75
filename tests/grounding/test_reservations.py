"""positions.reservation_elsewhere: a reservation stated in another sentence than the one
cited turns 'support' (or a person's 'neutral') to 'conditional'."""

from __future__ import annotations

import pytest

from communique.grounding.context import GroundedParts, GroundingContext
from communique.grounding.rules import reservations
from communique.grounding.rules.rule import ALL_ON, Switches
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences
from communique.models import Evidence, Participant, Position

RULE = "positions.reservation_elsewhere"


def after(
    text: str,
    name: str,
    stance: str = "support",
    cited: int = 1,
    kind: str = "person",
    switches: Switches = ALL_ON,
) -> tuple[str, str, list[str]]:
    """Run the rule on `name`'s position citing sentence `cited` of `text`: its stance,
    its summary and the rules of the notes written."""
    sentences = split_sentences(text)
    ctx = GroundingContext(Article(text=text), sentences, [])
    s = sentences[cited - 1]
    evidence = [Evidence(quote=s.text, start=s.start, end=s.end, sentence=cited)]
    said = Position(actor=name, stance=stance, summary=f"{name}: {stance}", evidence=evidence)  # type: ignore[arg-type]
    people = [Participant(name=name, kind=kind)]  # type: ignore[arg-type]
    parts = GroundedParts(participants=people, positions=[said], switches=switches)
    reservations.reservations_elsewhere(parts, ctx)
    [got] = parts.positions
    return got.stance, got.summary, [n.rule for n in parts.corrected]


@pytest.mark.parametrize(
    ("text", "name", "kind", "stance"),
    [
        # a condition on the actor's own act, the actor as the subject
        (
            "Ostmark welcomed the freeze. Ostmark said it would cut supply only if "
            "the other producers agreed.",
            "Ostmark",
            "country",
            "support",
        ),
        (
            "Velsk and Ostmark agreed to the freeze. Velsk and Ostmark agreed on Monday but "
            "said its backing was contingent on others joining in.",
            "Ostmark",
            "country",
            "support",
        ),
        (
            "Ivo Kamp backed the truce. Ivo Kamp said the army would observe it as long as "
            "the rebels withdraw.",
            "Ivo Kamp",
            "person",
            "support",
        ),
        (
            "Ana Ruiz a salué l'accord. Ana Ruiz a dit que Velsk paierait sa part, mais "
            "Velsk pourrait signer seulement si le fonds est audité.",
            "Velsk",
            "country",
            "support",
        ),
        # something in return, a reservation voiced
        (
            "Ostmark backs the scheme. Ostmark wants visa-free travel for its citizens in return.",
            "Ostmark",
            "country",
            "support",
        ),
        (
            "The Dock Union backs the levy. The Dock Union has also cautioned that it cannot "
            "speak for every port.",
            "Dock Union",
            "organization",
            "support",
        ),
        # a 'But' sentence right after the cited one, the actor in its subject
        (
            "The Harbour Trust welcomed the levy. But Ana Ruiz, head of policy at the Harbour "
            "Trust, was disappointed that the ban is partial.",
            "Harbour Trust",
            "organization",
            "support",
        ),
        # a person's pronoun after 'However'; a default 'neutral' turns too
        (
            "Ivo Kamp called for talks. However, he reiterated his concerns about the missiles.",
            "Ivo Kamp",
            "person",
            "neutral",
        ),
        # a person's words going on, with a condition
        (
            'Ivo Kamp said the truce was a start. "If the raids go on, the truce will '
            'collapse," he said.',
            "Ivo Kamp",
            "person",
            "support",
        ),
        (
            "Ivo Kamp said the truce was a start. He said it could be extended if both "
            "sides commit to it.",
            "Ivo Kamp",
            "person",
            "neutral",
        ),
    ],
)
def test_a_reservation_elsewhere_makes_it_conditional(
    text: str, name: str, kind: str, stance: str
) -> None:
    got = after(text, name, stance, kind=kind)
    assert (got[0], got[2]) == ("conditional", [RULE])
    assert got[1] == f"{name}: conditional"  # the placeholder summary restates it


@pytest.mark.parametrize(
    ("text", "name", "stance"),
    [
        # a condition on something else than the actor's act
        (
            "Ivo Kamp drafted the deal. Ivo Kamp stressed that only if the deal helps the "
            "talks could it succeed.",
            "Ivo Kamp",
            "support",
        ),
        # the actor is no subject: an object, a place, another's caution
        (
            "Ostmark backs the plan. Velsk said it would help Ostmark only if it paid.",
            "Ostmark",
            "support",
        ),
        (
            "Ivo Kamp and Ana Ruiz shook hands, but officials cautioned that the text is vague.",
            "Ivo Kamp",
            "support",
        ),
        # 'But' with another subject; an impersonal pronoun; plain 'if' in another sentence
        (
            "Ivo Kamp welcomed the plan. But the council rejected Ivo Kamp's amendment.",
            "Ivo Kamp",
            "support",
        ),
        (
            "Ivo Kamp welcomed the plan. The levy will rise if prices fall, the council said.",
            "Ivo Kamp",
            "support",
        ),
        # 'oppose' and 'conditional' stand
        (
            "Ivo Kamp rejects the plan. Ivo Kamp said he would sign only if it were rewritten.",
            "Ivo Kamp",
            "oppose",
        ),
    ],
)
def test_no_reservation_of_the_actor_leaves_it(text: str, name: str, stance: str) -> None:
    assert after(text, name, stance) == (stance, f"{name}: {stance}", [])


def test_a_summary_of_its_own_is_kept() -> None:
    text = "Ostmark backs the scheme. Ostmark wants visa-free travel in return."
    sentences = split_sentences(text)
    ctx = GroundingContext(Article(text=text), sentences, [])
    s = sentences[0]
    evidence = [Evidence(quote=s.text, start=s.start, end=s.end, sentence=1)]
    said = Position(actor="Ostmark", stance="support", summary="Backs it.", evidence=evidence)
    parts = GroundedParts(
        participants=[Participant(name="Ostmark", kind="country")], positions=[said]
    )
    reservations.reservations_elsewhere(parts, ctx)
    assert (parts.positions[0].stance, parts.positions[0].summary) == ("conditional", "Backs it.")
    [note] = parts.corrected
    assert (note.rule, note.item, note.action) == (RULE, "positions[0].stance", "corrected")
    assert "sentence 2" in note.reason and "in return" in note.reason
