"""The drill refuses plainly, exit code 2, on a machine where it cannot run (here: not root),
before creating anything."""

import pytest

from deploy import drill


def test_not_root_is_refused_with_exit_code_2_before_anything_is_created(monkeypatch, capsys):
    monkeypatch.setattr(drill.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(drill, "Lab", lambda *a, **k: pytest.fail("namespaces created without root"))
    with pytest.raises(SystemExit) as stopped:
        drill.main([])
    assert stopped.value.code == 2
    assert "Diễn tập cần quyền root" in capsys.readouterr().err
