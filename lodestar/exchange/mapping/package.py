"""A mapped file as the import job takes it: one zip holding the person's file and the
mapping, so that the worker reads it by the mapping exactly as the preview did
(`exchange.incoming` finds it by its `MAPPING` entry: this module is a shape)."""

import io
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from lodestar.exchange.incoming import Incoming, rows_book
from lodestar.exchange.mapping.convert import SHAPE, convert
from lodestar.exchange.mapping.source import read_source
from lodestar.exchange.mapping.spec import BadMapping, Mapping, mapping_from_json, mapping_of
from lodestar.exchange.models import ImportMapping
from lodestar.exchange.reader import Problem
from lodestar.org.acting import Actor

__all__ = ["SHAPE", "claims", "converted", "packed", "read_by_mapping"]
MAPPING = "lodestar-mapping.json"
FILE_FOLDER = "file/"


def packed(data: bytes, name: str, mapping: Mapping) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MAPPING, mapping.as_json())
        archive.writestr(FILE_FOLDER + PurePosixPath(name).name, data)
    return stream.getvalue()


def claims(stream: BinaryIO, name: str) -> bool:
    if not zipfile.is_zipfile(stream):
        return False
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            return MAPPING in archive.namelist()
    except zipfile.BadZipFile:
        return False


def converted(stream: BinaryIO, name: str, *, acting: Actor = None, **options) -> Incoming:
    """The packed file read by its packed mapping, for `acting` (`options`, which
    `exchange.incoming` gives every shape, change nothing here: the mapping says all)."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            files = [n for n in archive.namelist() if n.startswith(FILE_FOLDER)]
            if len(files) != 1 or archive.getinfo(files[0]).file_size > 60 * 1024 * 1024:
                raise BadMapping(f"{name} must hold one file beside its mapping.")
            mapping = mapping_from_json(archive.read(MAPPING))
            data, inner = archive.read(files[0]), files[0][len(FILE_FOLDER) :]
    except (zipfile.BadZipFile, BadMapping, KeyError) as error:
        return Incoming(rows_book({}, [Problem(name, None, "", str(error))]), shape=SHAPE)
    return convert(read_source(io.BytesIO(data), inner), mapping, acting=acting).incoming


def mapping_named(reference: str) -> Mapping:
    """A mapping's JSON file, else the saved mapping of that name."""
    path = Path(reference)
    if path.is_file():
        return mapping_from_json(path.read_bytes())
    saved = ImportMapping.objects.filter(name__iexact=reference).first()
    if saved is None:
        raise BadMapping(f"{reference} is neither a mapping's JSON file nor a saved mapping.")
    return mapping_of(saved.spec)


def read_by_mapping(path, reference: str, *, acting: Actor) -> Incoming:
    """A file read by a mapping (`lodestar import --map`)."""
    mapping = mapping_named(reference)
    with open(path, "rb") as stream:
        source = read_source(stream, PurePosixPath(str(path)).name)
    return convert(source, mapping, acting=acting).incoming
