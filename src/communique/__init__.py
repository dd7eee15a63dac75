"""communique: a news article in, a typed, evidence-grounded structured summary out."""

import logging

from .briefing.brief import Briefing, brief
from .errors import CommuniqueError
from .ingest.article import Article
from .models import Summary
from .pipeline.summarize import asummarize, summarize
from .settings import Settings, load_settings
from .version import __version__

# The libraries communique drives log what communique reports itself (instructor: "API
# call failed on attempt 1", "Max retries exceeded" before the EndpointError saying so).
# A NullHandler keeps Python's last-resort handler from printing those to stderr when the
# application configured no logging; a configured root logger still receives them.
for _name in ("instructor", "openai", "httpx2"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

__all__ = [
    "Article",
    "Briefing",
    "CommuniqueError",
    "Settings",
    "Summary",
    "__version__",
    "asummarize",
    "brief",
    "load_settings",
    "summarize",
]
