"""The one error the scoring rules raise.

A scoring rule refuses input it cannot score honestly (a target equal to its baseline,
a confidence of 11, a NaN). It names the offending field so that the caller can show
the message beside that field in a form or an API error body, without parsing text.
"""


class ScoringError(ValueError):
    """An input a scoring rule refuses; `field` names it, `message` says why in plain words."""

    def __init__(self, field: str, message: str) -> None:
        # ValueError's own args hold the full text so str(), repr() and logs read well.
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
