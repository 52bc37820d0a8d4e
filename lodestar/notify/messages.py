"""One message, three shapes: e-mail (plain text and HTML), Slack (`text` + `blocks`) and
a Microsoft Teams Workflows webhook (an Adaptive Card). Links are absolute (SITE_URL).
A reminder's key results (`checkins`) are Slack's "Check in" buttons as well."""

from dataclasses import dataclass, field
from html import escape

from lodestar.chat.blocks import checkin_buttons
from lodestar.links import absolute


@dataclass
class Section:
    heading: str
    lines: list[tuple[str, str]]  # (text, path on the site)


@dataclass
class Message:
    subject: str
    intro: str
    sections: list[Section] = field(default_factory=list)
    link: tuple[str, str] = ("Open Lodestar", "/")
    checkins: list[tuple[str, int]] = field(default_factory=list)  # (title, key result id)

    @property
    def empty(self) -> bool:
        return not any(section.lines for section in self.sections)


def as_text(message: Message) -> str:
    parts = [message.intro, ""]
    for section in message.sections:
        if section.lines:
            parts.append(section.heading)
            parts += [f"- {text}\n  {absolute(path)}" for text, path in section.lines]
            parts.append("")
    parts.append(f"{message.link[0]}: {absolute(message.link[1])}")
    return "\n".join(parts)


def as_html(message: Message) -> str:
    parts = [f"<p>{escape(message.intro)}</p>"]
    for section in message.sections:
        if section.lines:
            items = "".join(
                f'<li><a href="{escape(absolute(path))}">{escape(text)}</a></li>'
                for text, path in section.lines
            )
            parts.append(f"<h3>{escape(section.heading)}</h3><ul>{items}</ul>")
    label, path = message.link
    parts.append(f'<p><a href="{escape(absolute(path))}">{escape(label)}</a></p>')
    return "\n".join(parts)


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def as_slack(message: Message) -> dict:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": message.subject[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": slack_escape(message.intro)}},
    ]
    for section in message.sections:
        if section.lines:
            lines = "\n".join(
                f"• <{absolute(path)}|{slack_escape(text)}>" for text, path in section.lines
            )
            blocks.append(
                {
                    "type": "section",
                    "text": {
                        "type": "mrkdwn",
                        "text": f"*{slack_escape(section.heading)}*\n{lines}"[:3000],
                    },
                }
            )
    blocks += checkin_buttons(message.checkins)
    label, path = message.link
    blocks.append(
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": label},
                    "url": absolute(path),
                }
            ],
        }
    )
    return {"text": f"{message.subject}: {message.intro}", "blocks": blocks}


def plain(text: str, **style) -> dict:
    """Text for an Adaptive Card that no Markdown reads: a TextBlock would turn
    `Grow ARR](https://evil.example) [` into a link, a TextRun never does (schema 1.2+)."""
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


def linked(text: str, url: str) -> dict:
    """A line that opens `url` (ours, absolute) when clicked, its text shown as it is."""
    run = {"type": "TextRun", "text": text, "selectAction": {"type": "Action.OpenUrl", "url": url}}
    return {"type": "RichTextBlock", "inlines": [run], "spacing": "None"}


def as_teams(message: Message) -> dict:
    body = [plain(message.subject, size="Medium", weight="Bolder"), plain(message.intro)]
    for section in message.sections:
        if section.lines:
            body.append(plain(section.heading, weight="Bolder"))
            body += [linked(text, absolute(path)) for text, path in section.lines]
    label, path = message.link
    card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.4",
        "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": label, "url": absolute(path)}],
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }
