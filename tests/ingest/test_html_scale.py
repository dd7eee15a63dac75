"""The HTML briefing stays usable when one story has thousands of articles (issue 21.7)."""

from __future__ import annotations

import re

from bench.html import briefing
from communique.briefing.render import LINKS_PER_STANCE, MATRIX_MAX_ARTICLES, render_html


def test_a_large_story_gets_one_row_per_actor_not_an_article_table() -> None:
    n = 300
    page = render_html(briefing(n))
    story = page[page.index('id="story-1"') : page.index('<h2 class="section-title">Articles')]
    rows = story.count("<tr")
    assert rows == 1 + n + 2  # a header, each minister, the two party leaders
    assert story.count("<td") == 3 * (n + 2)  # three cells a row, whatever n is
    # Irena Voss supports in all 300 articles: 20 links, the rest counted
    voss = story[story.index("<td>Irena Voss</td>") :].split("</tr>")[0]
    assert voss.count('class="ref"') == LINKS_PER_STANCE
    assert f"+{n - LINKS_PER_STANCE} more (see the JSON)" in voss
    olbrecht = story[story.index("<td>Stefan Olbrecht</td>") :].split("</tr>")[0]
    assert "stance differs" in olbrecht and 'class="stance conditional"' in olbrecht
    assert len(page.encode("utf-8")) < n * 10 * 1024  # linear: under 10 KB per article


def test_a_small_story_keeps_the_actor_by_article_table() -> None:
    page = render_html(briefing(MATRIX_MAX_ARTICLES))
    header = re.search(r"<tr>\s*<th>Actor</th>(.*?)</tr>", page, re.S)
    assert header is not None and header.group(1).count("<th>") == MATRIX_MAX_ARTICLES + 1
