"""The main call's messages: the article's numbered sentences and its candidate names
rendered into the summarize templates."""

from __future__ import annotations

from ..ingest.article import Article
from ..ingest.sentences import Sentence
from ..prompt.language import language_note
from ..prompt.templates import Template, load_template

SYSTEM_TEMPLATE = "summarize.system.j2"
USER_TEMPLATE = "summarize.user.j2"


def render_messages(
    article: Article, sentences: list[Sentence], candidates: list[str]
) -> tuple[list[Template], list[dict[str, str]]]:
    system = load_template(SYSTEM_TEMPLATE)
    user = load_template(USER_TEMPLATE)
    numbered = "\n".join(
        f"[{s.number}] " + " ".join(s.text.split()).replace("</article", "</ article")
        for s in sentences
    )
    user_text = user.render(
        article_id=article.label,
        title=article.title or "(none)",
        date=article.date.isoformat() if article.date else "(unknown)",
        source=article.source or "(unknown)",
        numbered_sentences=numbered,
        candidates="; ".join(candidates) or "(none found)",
        language_note=language_note(article.text),
    )
    return [system, user], [
        {"role": "system", "content": system.render()},
        {"role": "user", "content": user_text},
    ]
