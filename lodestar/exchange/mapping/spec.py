"""A mapping: which column of a file holds which of Lodestar's fields, and the few choices
around it. It is plain data, saved by name (`exchange.models.ImportMapping`), exported
as JSON and read back (`lodestar import --map FILE.json DATA.csv`)."""

import json
from dataclasses import asdict, dataclass, field

from lodestar.exchange.mapping.fields import FIELD_BY_NAME, KEY_RESULT, LEFT_OUT, OBJECTIVE

FORMAT = "lodestar-mapping/1"
KINDS = (OBJECTIVE, KEY_RESULT, LEFT_OUT)
PREFIX_LENGTH = 40  # a key is this, a colon and at most 150 characters of the row's


class BadMapping(ValueError):
    """A mapping that cannot be used, said in words."""


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)  # field → the file's header
    # The cycle (a stored cycle's name) of rows that name none by a column or dates.
    cycle: str = ""
    # Starts the keys of the rows it imports, so that importing the file again updates
    # them, and two sources' row IDs never meet.
    key_prefix: str = "sheet"
    terms: dict[str, str] = field(default_factory=dict)  # a file's word → a kind
    people: dict[str, str] = field(default_factory=dict)  # a name in the file → login/e-mail

    def header(self, field_name: str) -> str | None:
        return self.columns.get(field_name) or None

    def as_json(self, name: str = "") -> str:
        return json.dumps({"format": FORMAT, "name": name, **asdict(self)}, indent=2)


def text_map(data: dict, what: str) -> dict[str, str]:
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise BadMapping(f"“{what}” must map texts to texts.")
    return dict(data)


def mapping_of(data: object) -> Mapping:
    """A mapping from its JSON form, every part checked."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadMapping(f"This is not a Lodestar mapping (its “format” is not {FORMAT}).")
    columns = text_map(data.get("columns", {}), "columns")
    unknown = sorted(set(columns) - set(FIELD_BY_NAME))
    if unknown:
        raise BadMapping(
            f"The mapping names fields Lodestar does not have: {', '.join(unknown)} "
            f"(it has {', '.join(FIELD_BY_NAME)})."
        )
    terms = text_map(data.get("terms", {}), "terms")
    wrong = sorted(word for word, kind in terms.items() if kind not in KINDS)
    if wrong:
        raise BadMapping(f"The words {', '.join(wrong)} must each mean one of {', '.join(KINDS)}.")
    prefix = data.get("key_prefix") or "sheet"
    cycle = data.get("cycle") or ""
    if not isinstance(prefix, str) or not isinstance(cycle, str):
        raise BadMapping("“key_prefix” and “cycle” must be texts.")
    if len(prefix) > PREFIX_LENGTH:
        raise BadMapping(f"“key_prefix” is longer than {PREFIX_LENGTH} characters.")
    return Mapping(
        columns={k: v for k, v in columns.items() if v},
        cycle=cycle,
        key_prefix=prefix,
        terms=terms,
        people=text_map(data.get("people", {}), "people"),
    )


def mapping_from_json(text: str | bytes) -> Mapping:
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadMapping(f"The mapping is not JSON ({error}).") from None
    return mapping_of(data)
