"""A backup holds password and token hashes and webhook URLs: only its owner reads it,
whatever the umask of the shell that wrote it."""

import os
import stat

import pytest
from django.core.management import call_command


@pytest.fixture
def permissive_umask():
    previous = os.umask(0o000)
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_backup_command_writes_a_file_only_its_owner_reads(world, tmp_path, permissive_umask):
    path = tmp_path / "lodestar.json"
    call_command("backup", str(path))
    assert mode(path) == 0o600


def test_a_backup_over_a_readable_file_leaves_it_readable_by_its_owner_only(
    world, tmp_path, permissive_umask
):
    path = tmp_path / "lodestar.json"
    path.write_text("{}")
    path.chmod(0o644)
    call_command("backup", str(path))
    assert mode(path) == 0o600


def test_a_folder_the_backup_creates_is_its_owners_only(world, tmp_path, permissive_umask):
    path = tmp_path / "backups" / "nightly" / "lodestar.json"
    call_command("backup", str(path))
    assert mode(path) == 0o600
    assert mode(tmp_path / "backups") == mode(tmp_path / "backups" / "nightly") == 0o700
