from django.core.management import call_command

from lodestar.exchange.reader import read
from lodestar.exchange.validate import validate
from lodestar.org.models import Unit


def test_the_demo_command_runs_once_and_prints_the_login(db, capsys):
    call_command("demo")
    first = capsys.readouterr().out
    call_command("demo")
    second = capsys.readouterr().out
    assert "Demo organisation created." in first and "admin / lodestar-demo" in first
    assert "already there" in second
    assert Unit.objects.filter(parent=None).count() == 1


def test_the_demo_command_writes_the_workbook_it_imports(db, tmp_path, capsys):
    path = tmp_path / "northwind.xlsx"
    call_command("demo", workbook=str(path))
    assert "Wrote the demo workbook" in capsys.readouterr().out
    book = read(path)
    assert not book.problems and not validate(book, acting=None).problems
    assert {"units", "measure_values", "checkins", "cycles"} <= set(book.tables)
    assert not Unit.objects.exists()  # written, not built
