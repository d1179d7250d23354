"""The bare `efficacy [--db PATH]` opens the app from the entry point without importing click, and
says and exits exactly as the full command line does."""

import subprocess
import sys

from click.testing import CliRunner

from efficacy_tui import cli
from efficacy_tui.entry import app_args

QUICK = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('click' in sys.modules))\n"
    "sys.argv = ['efficacy', *sys.argv[1:]]\n"
    "from efficacy_tui.entry import main\n"
    "main()\n"
)


def test_only_a_bare_command_line_opens_the_app_from_the_entry_point():
    assert app_args([]) == (None,)
    assert app_args(["--db", "x.db"]) == ("x.db",)
    assert app_args(["--db=~/x.db"]) == ("~/x.db",)
    for left_to_click in (["--db"], ["--db", ""], ["--db="], ["--db", "--help"], ["--help"],
                          ["--version"], ["log"], ["--db", "x.db", "review"], ["x.db"]):
        assert app_args(left_to_click) is None, left_to_click


def test_a_refused_file_is_the_same_sentence_and_status_without_click(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database\n")
    full = CliRunner().invoke(cli.main, ["--db", str(bad)])
    for args in (["--db", str(bad)], [f"--db={bad}"]):
        done = subprocess.run([sys.executable, "-c", QUICK, *args], capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == full.exit_code == 1
        assert done.stderr == full.output
        assert done.stdout == "False\n"  # click was never imported
    assert bad.read_text() == "not a database\n"
