"""News-like HTML pages written for the tests and the extractor comparison (bench/extractors.py).

Every text here is invented (fictional countries and people). Each layout wraps the same
kind of article in the boilerplate real news sites carry: menus, cookie banners, share
buttons, related-story lists, newsletter promos, reader comments and footers. BOILERPLATE
lists strings that appear only in that boilerplate: an extractor that keeps one of them
kept boilerplate.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

BOILERPLATE = (
    "Home",
    "Subscribe for 1 euro",
    "We use cookies",
    "Share on Facebook",
    "Related stories",
    "Farmers brace for a dry summer",
    "Most read",
    "Sign up for our morning newsletter",
    "Comments (3)",
    "This is a disgrace",
    "All rights reserved",
    "Advertisement",
)


@dataclass(frozen=True)
class Story:
    title: str
    date: str  # YYYY-MM-DD
    site: str
    paragraphs: tuple[str, ...]


LAYOUTS = ("semantic", "div_soup", "inline_promos", "comments_in_article")


def page(story: Story, layout: str = "semantic", charset: str = "utf-8") -> str:
    """One HTML page in the given layout (see LAYOUTS)."""
    body = {
        "semantic": _semantic,
        "div_soup": _div_soup,
        "inline_promos": _inline_promos,
        "comments_in_article": _comments_in_article,
    }[layout](story)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="{charset}">'
        f"<title>{escape(story.title)} | {escape(story.site)}</title>"
        f'<meta property="og:title" content="{escape(story.title)}">'
        f'<meta property="og:site_name" content="{escape(story.site)}">'
        f'<meta property="article:published_time" content="{story.date}T06:30:00Z">'
        f"</head><body>{body}</body></html>\n"
    )


def _paras(story: Story) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)


_MENU = (
    '<ul class="menu"><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>'
    '<li><a href="/world">World</a></li><li><a href="/sub">Subscribe for 1 euro</a></li></ul>'
)
_COOKIES = (
    '<div class="cookie-banner"><p>We use cookies to improve your experience. '
    "By continuing to browse you agree to our use of cookies.</p><button>OK</button></div>"
)
_SHARE = '<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>'
_RELATED = (
    '<section class="related"><h3>Related stories</h3><ul>'
    '<li><a href="/a1">Farmers brace for a dry summer as reservoirs fall to record lows '
    "across the southern provinces</a></li>"
    '<li><a href="/a2">Opposition names new leader after a long contest</a></li></ul></section>'
)
_MOST_READ = (
    '<div class="most-read"><h3>Most read</h3><ol><li><a href="/m1">Storm closes the port '
    'for a second day</a></li><li><a href="/m2">Ten places to eat this weekend</a></li></ol></div>'
)
_NEWSLETTER = (
    '<div class="newsletter"><p>Sign up for our morning newsletter and get the news that '
    "matters in your inbox every day before seven.</p></div>"
)
_COMMENTS = (
    '<div class="comments" id="comments"><h3>Comments (3)</h3>'
    '<div class="comment"><p>This is a disgrace and the minister should resign at once, '
    "everybody knows the law will never work as promised.</p></div>"
    '<div class="comment"><p>Finally someone does something for the tenants of this '
    "country, it was about time.</p></div>"
    '<div class="comment"><p>Who is going to pay for all of this in the end? We are.</p></div>'
    "</div>"
)
_FOOTER_TEXT = (
    "<p>© 2025 The Daily Fictional. All rights reserved. Registered office: 1 Press Street."
    "</p><p>About us · Contact · Privacy · Terms</p>"
)
_AD = '<div class="ad"><p>Advertisement</p></div>'


def _semantic(story: Story) -> str:
    return (
        f"<header>{_MENU}</header>{_COOKIES}<main><article><h1>{escape(story.title)}</h1>"
        f'<p class="byline">By A. Writer · <time datetime="{story.date}">{story.date}</time></p>'
        f"{_SHARE}{_paras(story)}{_RELATED}</article><aside>{_MOST_READ}</aside>"
        f"{_COMMENTS}</main><footer>{_FOOTER_TEXT}</footer>"
    )


def _div_soup(story: Story) -> str:
    return (
        f'<div id="top">{_MENU}</div>{_COOKIES}<div id="wrap"><div class="content">'
        f'<h1 class="headline">{escape(story.title)}</h1><div class="date">{story.date}</div>'
        f'{_SHARE}<div class="story-body">{_paras(story)}</div>{_RELATED}</div>'
        f'<div class="sidebar">{_MOST_READ}{_AD}</div></div>{_COMMENTS}'
        f'<div id="footer">{_FOOTER_TEXT}</div>'
    )


def _inline_promos(story: Story) -> str:
    paras = [f"<p>{escape(p)}</p>" for p in story.paragraphs]
    half = max(1, len(paras) // 2)
    inner = "".join(paras[:half]) + _NEWSLETTER + _AD + "".join(paras[half:])
    return (
        f"<header>{_MENU}</header><main><article><h1>{escape(story.title)}</h1>"
        f"{_SHARE}{inner}{_RELATED}</article>{_MOST_READ}</main><footer>{_FOOTER_TEXT}</footer>"
    )


def _comments_in_article(story: Story) -> str:
    return (
        f"<nav>{_MENU}</nav><article><h1>{escape(story.title)}</h1>{_paras(story)}"
        f"{_SHARE}{_RELATED}{_COMMENTS}</article><footer>{_FOOTER_TEXT}</footer>"
    )


def paywall_stub(title: str) -> str:
    """A page whose article stops after a teaser, behind a subscription wall."""
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"</head><body><header>{_MENU}</header><article><h1>{escape(title)}</h1>"
        "<p>The cabinet met late on Tuesday.</p>"
        '<div class="paywall"><p>Subscribe to continue reading.</p></div>'
        f"</article><footer>{_FOOTER_TEXT}</footer></body></html>"
    )


STORIES = (
    Story(
        "Aldavia passes rent cap",
        "2025-03-27",
        "Aldavia Times",
        (
            "Aldavia's National Assembly passed a law capping annual rent increases at 3% on "
            "Thursday. Housing Minister Marko Lenz said the law protects families.",
            "Stefan Olbrecht of the Liberal Party opposed the cap. He said landlords would stop "
            "repairing their buildings if rents could not follow costs.",
            "President Irena Voss will sign the law on April 1. The cap applies to contracts "
            "signed after that date and will be reviewed after five years.",
        ),
    ),
    Story(
        "Carvalia announces steel tariff",
        "2025-03-24",
        "Ostmark Wire",
        (
            "Carvalia announced a 25% tariff on steel from Ostmark on Monday. Trade Minister "
            "Petra Lind defended the tariff in a speech to exporters in the capital.",
            "The government of Ostmark called it illegal and said it would take the case to "
            "the regional trade court. Its economy minister spoke of a breach of trust.",
            "Steelmakers in Carvalia welcomed the measure, while car factories warned that "
            "their costs would rise by the summer. The tariff takes effect on May 1.",
        ),
    ),
    Story(
        "Varenna delays school reform",
        "2025-03-20",
        "Varenna Post",
        (
            "The education ministry of Varenna postponed its school reform by one year on "
            "Thursday after a week of strikes by teachers in four regions.",
            "Education Minister Ana Reyes said the ministry needed more time to train "
            "teachers for the new curriculum. The teachers' union welcomed the delay.",
            "Parents' associations were divided. Some said the reform was overdue; others "
            "asked for smaller classes first. Parliament will debate the new timetable in June.",
        ),
    ),
)
