"""A comment's words as HTML: a small Markdown subset (bold, italic, links, lists) read by
markdown-it-py with raw HTML off, then cleaned by nh3 (ammonia) to that subset's tags, so
that whatever the parser let through (a `javascript:` link, an attribute) is dropped."""

import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# "zero" turns every rule off; only these come back. No images, headings, tables, code.
PARSER = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True}).enable(
    ["emphasis", "link", "list", "newline", "escape"]
)
TAGS = {"p", "strong", "em", "a", "ul", "ol", "li", "br"}
ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
SCHEMES = {"http", "https", "mailto"}

# Django's usernames: letters, digits and @ . + - _ (a trailing dot ends a sentence).
MENTION = re.compile(r"(?<![\w@])@([\w.@+-]*[\w@+-])")


def rendered(body: str) -> SafeString:
    html = PARSER.render(body)
    clean = nh3.clean(
        html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel="nofollow noopener"
    )
    return mark_safe(clean)


def mentioned_usernames(body: str) -> list[str]:
    """The @usernames in `body`, each once, in the order written."""
    return list(dict.fromkeys(MENTION.findall(body)))
