"""seed_demo's progress bar counts what it says: members created, out of the number it will create."""

import io
import os

from django.core.management import call_command

from quantriet.demo.management.commands.seed_demo import MembersBar


def test_bar_counts_members_out_of_the_real_total():
    out = io.StringIO()
    bar = MembersBar(file=out)
    bar.progress("tree", 120)  # not members: not counted
    bar.progress("members_total", 1497)
    bar.progress("members", 1000)
    bar.progress("members", 497)
    bar.progress("positions", 300)
    bar.close()
    last = out.getvalue().split("\r")[-1]
    assert "Tạo đảng viên mẫu" in last and "1497/1497" in last and "đảng viên/s" in last
    assert "7500" not in out.getvalue() and "ĐV" not in out.getvalue()


def test_no_bar_when_the_province_exists(db, capsys):
    call_command("seed_demo", scale=0.05, essays=False, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert capsys.readouterr().err == ""  # today: "Tạo tỉnh mẫu: 0%| 0/7500" left on the console
