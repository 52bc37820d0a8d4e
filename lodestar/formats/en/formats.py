"""The one date style of every page, PDF and message: "7 Dec 2026" and "7 Dec 2026 15:10".
Django's English defaults ("Dec. 7, 2026, 3:25 p.m.") would show wherever a template
writes a date without naming a format, beside the pages' own style."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
TIME_FORMAT = "H:i"
