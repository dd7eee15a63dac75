"""Reported speech: who says something in which sentence, found by code.

A reader finds the positions in a news article by its attributions: "X said", '"...,"
said X', "according to X", "X warned", "X a déclaré", "según X", "X sagte", and "he said"
for the last person who spoke. A small model lists a few actors and stops; this module
lists every speaker the article names, so the follow-up call can ask for each one's
stance on the proposal (followup.py).

A speaker is a name from the article's candidate names (candidates.py), matched whole:
- before a verb of saying, maybe with a parenthesis or an appositive between
  ("Patrice Clos (FO) a expliqué", "Mr Adams, the Sinn Fein president, said");
- after one, right after a quotation or a comma ('"...," said John Coequyt',
  '..., a déclaré Maxime Dumont'), titles allowed between ("said U.S. Secretary of State
  John Kerry");
- after "according to", "selon", "según", "laut".
"He said" / "she added" with no named speaker is the previous sentence's speaker.
"told X" makes X the listener, not a speaker; a news agency is never one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...ingest.sentences import Sentence
from ...text.folding import cut_at_word, fold_name
from ...text.lexicon import (
    NAME_LINKS,
    NEWS_AGENCIES,
    NEWS_OUTLET_WORDS,
    OFFICE_WORDS,
    ROLE_WORDS,
    TITLE_FORMS,
)

_VERBS = (
    # English: past and present, the forms news writes after a name
    r"said|says|told|tells|added|adds|warned|warns|urged|urges|argued|argues|insisted|"
    r"insists|stressed|stresses|noted|notes|explained|acknowledged|admitted|declared|"
    r"announced|announces|called|calls|wrote|writes|stated|welcomed|welcomes|criticised|"
    r"criticized|criticises|criticizes|rejected|rejects|dismissed|predicted|cautioned|"
    r"complained|conceded|suggested|signalled|signaled|indicated|pledged|vowed|promised|"
    r"defended|hailed|praised|accused|condemned|denounced|questioned|believes|believed|"
    r"thinks|agreed|expressed|described|demanded|demands|threatened|opposed|opposes|"
    r"supported|supports|backed|backs|proposed|proposes|countered|replied|responded|"
    r"maintained|contended|asserted|claimed|claims|wants|hopes|hoped|fears|feared|"
    r"challenged|reiterated|confirmed|protested|tweeted|posted|"
    # French: "a déclaré", also "a quant à lui évoqué", "a pour sa part salué"
    r"a\s+(?:(?:quant à (?:lui|elle)|pour sa part|de son côté|également|aussi|ainsi|alors|"
    r"déjà|encore)\s+)*(?:déclaré|dit|affirmé|estimé|expliqué|salué|dénoncé|déploré|évoqué|"
    r"souligné|indiqué|précisé|assuré|annoncé|jugé|regretté|averti|réclamé|demandé|critiqué|"
    r"rappelé|ajouté|reconnu|prévenu|confié|tweeté)|"
    r"s'est réjoui|s’est réjoui|s'est félicité|s’est félicité|déclare|estime|affirme|"
    r"dénonce|explique|souligne|indique|précise|assure|juge|regrette|réclame|demande|"
    r"salue|déplore|critique|"
    # Spanish
    r"dijo|afirmó|declaró|anunció|aseguró|señaló|indicó|explicó|advirtió|criticó|sostuvo|"
    r"agregó|añadió|manifestó|expresó|destacó|subrayó|insistió|pidió|reclamó|rechazó|"
    r"defendió|consideró|opinó|tuiteó|tweeteó|escribió|dice|afirma|asegura|señala|advierte|sostiene|considera|"
    r"ha dicho|ha declarado|ha afirmado|ha expresado|ha señalado|ha asegurado|"
    # German
    r"sagte|sagt|erklärte|erklärt|betonte|betont|forderte|fordert|kritisierte|kritisiert|"
    r"warnte|warnt|meinte|meint|sprach|kündigte|bekräftigte|verlangte|lehnte|begrüßte|"
    r"räumte|hieß es"
)
# "Pour l'Otre, l'accord risque ...", "Para Gibbs, ...", "Für Merz ...": the name's view
_FOR = re.compile(
    r"(?:^|[.:]\s+)(?:pour|para|für)\s+(?:l['’]|la\s+|le\s+|el\s+|den\s+|die\s+)?$", re.I
)
_LISTENER = re.compile(r"(?:told|tells|informed|asked|urged|a dit à|dijo a)\s+(?:the\s+)?$", re.I)
_AGENT = re.compile(
    r"(?:according to|selon|d'après|d’après|según|de acuerdo con|laut|nach Angaben von)"
    r"\s+(?:the\s+|la\s+|le\s+|el\s+|der\s+|die\s+)?(?:[\w'’.-]+\s+){0,5}$",
    re.I,
)
# after the name: a parenthesis ("(FO)"), an appositive between commas, auxiliaries
_AFTER = re.compile(
    r"(?:['’]s)?(?:\s*\([^()]{1,40}\))?(?:\s+(?:of|from|de|del|du|aus|von)\s+[A-Z][\w'’.-]+)?"
    r"(?:(?:\s*,[^,;\"“”«»]{1,110}){1,2},|\s*,)?\s+"
    r"(?:(?:has|had|have|also|then|later|again|on \w+|earlier|quickly|publicly|"
    r"repeatedly|himself|herself|a également|aussi|también|ya|auch|hat|habe)\s+)*"
    rf"(?:{_VERBS})\b",
    re.I,
)
_MODIFIERS = frozenset(
    "shadow former acting senior top chief its his her their the a an le la el der die".split()
)
_BETWEEN = "|".join(sorted(TITLE_FORMS | ROLE_WORDS | OFFICE_WORDS | NAME_LINKS | _MODIFIERS))
# before the name: a verb of saying right after a quotation or a comma, then titles
# ("said U.S. Secretary of State John Kerry") or a description and a comma ("said a
# senior opposition figure, Khaled Khoja")
_BEFORE = re.compile(
    rf"[,\"”»]\s*(?:{_VERBS})\s+(?:(?:(?:(?-i:[A-Z][\w'’.-]*)|\([^()]{{1,30}}\)|{_BETWEEN})\s+){{0,7}}"
    r"|(?:the|a|an|its|his|her|le|la|un|une|el|un|una|der|die|ein|eine)\s+[^,;\"“”«»]{1,60},\s*)"
    r"(?:l['’]|d['’])?$",
    re.I,
)
# a name given the word by a verb before it ends its clause there: "said Jason Tuvey."
# is Tuvey's; "said Capital Economics' analyst Jason Tuvey" is not Capital Economics'
_CLAUSE_END = re.compile(r"\s*(?:[,.;:)(\"”»]|$|\s(?:of|from|at|de|du|del|who|which|qui|quien)\b)")
_PRONOUN = re.compile(
    rf"(?:^|[,\"”»]\s*|\.\s+)(?:he|she|il|elle|él|ella|er|sie)\s+(?:also\s+)?(?:{_VERBS})\b",
    re.I,
)
MAX_STATEMENTS = 3  # sentences kept per speaker: the first ones
_QUOTATION = re.compile(r"[\"“«]\s*([^\"“”«»]{12,}?)[\s,.]*[\"”»]")
QUOTED_MAX = 100  # characters of a quotation put in a summary; longer ones are cut


def quotation(text: str) -> str | None:
    """The first quotation in a sentence, cut to QUOTED_MAX at a word ("…" marks the
    cut): what a speaker said, in its own words."""
    if m := _QUOTATION.search(text):
        return cut_at_word(" ".join(m.group(1).split()), QUOTED_MAX)
    return None


def speakers(sentences: Sequence[Sentence], candidates: Sequence[str]) -> dict[str, list[Sentence]]:
    """Each candidate name that speaks, with the sentences it speaks in (the first
    MAX_STATEMENTS), in the order the article first gives them the word."""
    names = sorted((c for c in dict.fromkeys(candidates) if not _news(c)), key=len, reverse=True)
    names = [n for n in names if not _titled_twin(n, names)]
    found: dict[str, list[Sentence]] = {}
    last: str | None = None
    for s in sentences:
        here = _speakers_in(s.text, names)
        if not here and last is not None and _PRONOUN.search(s.text):
            here = [last]
        for name in here:
            said = found.setdefault(name, [])
            if len(said) < MAX_STATEMENTS:
                said.append(s)
        if here:
            last = here[0]
    return _fold_surnames(found)


def _news(name: str) -> bool:
    folded = fold_name(name).strip()
    return folded in NEWS_AGENCIES or bool(NEWS_OUTLET_WORDS & set(folded.split()))


def _titled_twin(name: str, names: Sequence[str]) -> bool:
    """'State John Kerry' (from 'Secretary of State John Kerry') beside 'John Kerry'."""
    words = name.split()
    return len(words) > 2 and " ".join(words[1:]) in names and not words[0][:1].islower()


def _fold_surnames(found: dict[str, list[Sentence]]) -> dict[str, list[Sentence]]:
    """A one-word speaker that ends a longer speaker's name ('Stern', 'Todd Stern') is
    that one: its sentences join the longer name's."""
    out: dict[str, list[Sentence]] = {}
    for name, said in found.items():
        longer = [
            n for n in found if n != name and len(name.split()) == 1 and n.endswith(" " + name)
        ]
        key = longer[0] if len(longer) == 1 else name
        merged = out.setdefault(key, [])
        merged += [s for s in said if s not in merged]
        merged.sort(key=lambda s: s.number)
        del merged[MAX_STATEMENTS:]
    return out


def _speakers_in(text: str, names: Sequence[str]) -> list[str]:
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, str]] = []
    for name in names:
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            a, b = m.span()
            if any(a < end and start < b for start, end in taken):
                continue  # inside a longer name already matched
            taken.append((a, b))
            before = text[max(0, a - 120) : a]
            if _LISTENER.search(before):
                continue
            gives_word = _BEFORE.search(before) and _CLAUSE_END.match(text, b)
            their_view = _FOR.search(before) and text[b : b + 1] == ","
            if _AFTER.match(text, b) or gives_word or their_view or _AGENT.search(before):
                out.append((a, name))
    return [_untitled(name) for _, name in sorted(out)]


_OFFICE_TAIL = re.compile(r"^(?:State|General)\s+(?=\S+\s+\S)")


def _untitled(name: str) -> str:
    """'John Kerry' for the candidate 'State John Kerry' (from 'Secretary of State John
    Kerry'): the end of an office is not part of the name."""
    return _OFFICE_TAIL.sub("", name)
