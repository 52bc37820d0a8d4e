"""What a column of someone else's spreadsheet may be, in Lodestar's words, with the names
such a column goes by (English, German, French, Spanish, Italian, Dutch, Portuguese) and
the words that say a row is an objective or a key result.

Headers and words are compared `normalised` (lower case, letters and digits only), so
"Owner E-mail" is "owneremail".
"""

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    synonyms: tuple[str, ...]
    help: str = ""


FIELDS = (
    Field("id", "ID (names the row for parents)", ("id", "key", "okrid", "goalid", "ref", "nr")),
    Field(
        "title",
        "Name / title",
        (
            "title",
            "name",
            "titel",
            "titre",
            "titulo",
            "nombre",
            "nom",
            "naam",
            "nome",
            "objective",
            "goal",
            "okr",
            "keyresult",
            "summary",
            "bezeichnung",
            "libelle",
        ),
    ),
    Field(
        "type",
        "Type: objective or key result",
        ("type", "kind", "level", "objecttype", "typ", "tipo", "art", "niveau", "category"),
    ),
    Field(
        "parent",
        "Parent (its title or ID)",
        (
            "parent",
            "parentid",
            "parentgoal",
            "parentobjective",
            "alignedto",
            "objective",
            "ubergeordnet",
            "parentname",
            "objectif",
            "objetivo",
            "obiettivo",
            "doel",
            "ziel",
            "belongsto",
            "contributesto",
        ),
    ),
    Field(
        "description",
        "Description",
        (
            "description",
            "beschreibung",
            "descripcion",
            "details",
            "notes",
            "omschrijving",
            "descrizione",
        ),
    ),
    Field(
        "owner",
        "Owner (e-mail, login or name)",
        (
            "owner",
            "owneremail",
            "email",
            "assignee",
            "responsible",
            "lead",
            "verantwortlich",
            "besitzer",
            "responsable",
            "proprietaire",
            "eigenaar",
            "responsabile",
            "dono",
            "owneremailaddress",
            "user",
            "accountable",
        ),
    ),
    Field(
        "unit",
        "Unit / team",
        (
            "team",
            "unit",
            "department",
            "group",
            "abteilung",
            "equipe",
            "equipo",
            "afdeling",
            "reparto",
            "division",
            "bereich",
        ),
    ),
    Field(
        "cycle",
        "Cycle (period name)",
        (
            "cycle",
            "period",
            "timeframe",
            "quarter",
            "timeperiod",
            "zeitraum",
            "periode",
            "periodo",
            "quartal",
            "trimestre",
            "kwartaal",
            "plan",
        ),
    ),
    Field(
        "start_date",
        "Start date",
        (
            "startdate",
            "start",
            "begin",
            "beginn",
            "datedebut",
            "fechainicio",
            "startdatum",
            "datainizio",
            "from",
        ),
    ),
    Field(
        "end_date",
        "End date",
        (
            "enddate",
            "end",
            "ende",
            "enddatum",
            "datefin",
            "fechafin",
            "einddatum",
            "datafine",
            "to",
            "until",
        ),
    ),
    Field(
        "due_date",
        "Due date",
        (
            "duedate",
            "due",
            "deadline",
            "faellig",
            "falligkeit",
            "echeance",
            "vencimiento",
            "scadenza",
            "targetdate",
        ),
    ),
    Field(
        "start_value",
        "Start value",
        (
            "startvalue",
            "baseline",
            "initialvalue",
            "from",
            "start",
            "startwert",
            "ausgangswert",
            "valeurinitiale",
            "valorinicial",
            "beginwaarde",
            "valoreiniziale",
        ),
    ),
    Field(
        "target",
        "Target",
        (
            "target",
            "targetvalue",
            "goalvalue",
            "zielwert",
            "ziel",
            "cible",
            "objetivo",
            "meta",
            "doelwaarde",
            "obiettivo",
            "to",
        ),
    ),
    Field(
        "current",
        "Current value",
        (
            "current",
            "currentvalue",
            "actual",
            "value",
            "istwert",
            "aktuell",
            "valeuractuelle",
            "valoractual",
            "actueel",
            "valoreattuale",
            "lastvalue",
            "achieved",
        ),
    ),
    Field(
        "progress",
        "Progress %",
        (
            "progress",
            "progresspercent",
            "completion",
            "complete",
            "fortschritt",
            "progres",
            "progreso",
            "avance",
            "voortgang",
            "avanzamento",
            "percentcomplete",
        ),
    ),
    Field(
        "unit_label",
        "Unit of measure",
        (
            "unitofmeasure",
            "metricunit",
            "measure",
            "uom",
            "einheit",
            "unite",
            "unidad",
            "eenheid",
            "unita",
            "metric",
            "units",
        ),
    ),
    Field(
        "weight",
        "Weight",
        (
            "weight",
            "weighting",
            "weightage",
            "gewicht",
            "gewichtung",
            "poids",
            "peso",
            "ponderacion",
        ),
    ),
    Field(
        "confidence",
        "Confidence 0–10",
        ("confidence", "zuversicht", "confiance", "confianza", "vertrouwen", "fiducia"),
    ),
    Field(
        "status",
        "Status (on track, at risk…)",
        ("status", "state", "health", "zustand", "statut", "estado", "stato"),
    ),
    Field(
        "checkin_date",
        "Last check-in date",
        (
            "lastcheckin",
            "lastupdate",
            "updatedat",
            "lastupdated",
            "checkindate",
            "asof",
            "modified",
            "updated",
            "aktualisiert",
        ),
    ),
)
FIELD_BY_NAME = {field.name: field for field in FIELDS}
DATE_FIELDS = ("start_date", "end_date", "due_date", "checkin_date")
NUMBER_FIELDS = ("start_value", "target", "current", "weight")

OBJECTIVE, KEY_RESULT, LEFT_OUT = "objective", "key result", "left out"
# The words that say what a row is (a file's own words go in a mapping's `terms`).
TERMS = {
    OBJECTIVE: (
        "objective",
        "objectives",
        "goal",
        "o",
        "obj",
        "okr",
        "ziel",
        "objectif",
        "objetivo",
        "obiettivo",
        "doel",
        "mal",
        "cel",
        "bigrock",
        "theme",
        "mission",
    ),
    KEY_RESULT: (
        "keyresult",
        "keyresults",
        "kr",
        "result",
        "metric",
        "kpi",
        "outcome",
        "measure",
        "schlusselergebnis",
        "resultatcle",
        "resultadoclave",
        "risultatochiave",
        "kernresultaat",
        "resultadochave",
        "target",
    ),
    LEFT_OUT: (
        "initiative",
        "task",
        "project",
        "deliverable",
        "action",
        "milestone",
        "todo",
        "massnahme",
        "projekt",
        "aufgabe",
        "tache",
        "projet",
        "tarea",
        "proyecto",
    ),
}
TERM_OF = {word: kind for kind, words in TERMS.items() for word in words}

# Status words read as a check-in's confidence when no confidence column is mapped.
STATUS_CONFIDENCE = {
    "ontrack": 8,
    "good": 8,
    "green": 8,
    "done": 10,
    "completed": 10,
    "achieved": 10,
    "closed": 8,
    "behind": 5,
    "atrisk": 4,
    "yellow": 5,
    "amber": 5,
    "needsattention": 5,
    "offtrack": 2,
    "red": 2,
    "blocked": 2,
    "notstarted": 5,
    "postponed": 3,
}
DEFAULT_CONFIDENCE = 5


def normalised(text: object) -> str:
    """Lower case letters and digits only, accents taken off: 'Fälligkeit' → 'falligkeit'."""
    plain = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())
