"""communique: a news article in, a typed, evidence-grounded structured summary out."""

from .article import Article
from .briefing import Briefing, brief
from .errors import CommuniqueError
from .models import Summary
from .settings import Settings, load_settings
from .summary import asummarize, summarize
from .version import __version__

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
