from django.core.management import call_command

from lodestar.org.models import Unit


def test_the_demo_command_runs_once_and_prints_the_login(db, capsys):
    call_command("demo")
    first = capsys.readouterr().out
    call_command("demo")
    second = capsys.readouterr().out
    assert "Demo organisation created." in first and "admin / lodestar-demo" in first
    assert "already there" in second
    assert Unit.objects.filter(parent=None).count() == 1
