"""Uploads waiting for their confirmation, in `var/imports/`, and the cap on receiving one.

A previewed upload is kept until its person confirms it, for at most `PENDING_LIFETIME`
and at most `PENDING_PER_PERSON` of theirs (a new one drops their oldest). Expired ones
go at the next upload, and with `lodestar import --clean-expired` (for cron).
"""

import secrets
import shutil
import time
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from lodestar.exchange import reader

PENDING = settings.VAR_DIR / "imports"
PENDING_LIFETIME = 60 * 60  # seconds
PENDING_PER_PERSON = 3


class UploadLimit(FileUploadHandler):
    """Stops keeping an uploaded file once it passes the reader's byte limit (the rest
    of the request is read and dropped), so that nothing larger is held in memory or on
    disk; `refused` names the file."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received, self.refused = 0, ""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > reader.LIMITS.upload_bytes:
            self.refused = self.file_name or "The file"
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def pending_path(token: str, name: str) -> Path:
    return PENDING / f"{token}{Path(name).suffix.lower()}"


def pending_clean(now: float | None = None) -> int:
    """Remove the expired uploads; how many."""
    oldest = (now or time.time()) - PENDING_LIFETIME
    removed = 0
    for path in PENDING.glob("*") if PENDING.exists() else ():
        if path.stat().st_mtime < oldest:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def pending_keep(upload: BinaryIO, name: str, person_id: int) -> str:
    """Keep an upload for its confirmation; its token."""
    pending_clean()
    PENDING.mkdir(parents=True, exist_ok=True)
    theirs = sorted(PENDING.glob(f"{person_id}-*"), key=lambda path: path.stat().st_mtime)
    for older in theirs[: max(0, len(theirs) - PENDING_PER_PERSON + 1)]:
        older.unlink(missing_ok=True)
    token = f"{person_id}-{secrets.token_hex(16)}"
    upload.seek(0)
    with pending_path(token, name).open("wb") as kept:
        shutil.copyfileobj(upload, kept)
    return token


def pending_found(token: str, name: str, person_id: int) -> Path | None:
    """The person's kept upload of that token, unless it has expired; None for a token
    that is not theirs."""
    if not token.startswith(f"{person_id}-") or not token.replace("-", "").isalnum():
        return None
    path = pending_path(token, name)
    if path.exists() and path.stat().st_mtime < time.time() - PENDING_LIFETIME:
        path.unlink(missing_ok=True)
    return path
