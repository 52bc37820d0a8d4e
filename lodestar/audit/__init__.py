"""The history of every change to every domain object: who, when, before → after.

Kept by django-auditlog: one table of JSON diffs for every model (no shadow table per
model), the actor taken from a context that `lodestar.org.acting.service` sets for the
duration of each service call, and many-to-many changes logged too. It works the same on
SQLite and PostgreSQL, unlike trigger-based libraries (django-pghistory) that need
PostgreSQL. Score fields the roll-up writes are left out (and written with `.update()`,
which sends no signal), so the history reads as what people did.
"""
