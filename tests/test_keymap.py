"""Keys remapped through the user's config file: the footer, help, hints and `efficacy keys` show
the new key, it opens what the old one did, and a bad entry is named once and costs only itself."""

from click.testing import CliRunner
from helpers import speaking_ladder
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from efficacy_tui.cli import main
from efficacy_tui.keymap import MAX_BYTES, canonical_keys
from efficacy_tui.ui.screens.checkin import CheckinScreen
from efficacy_tui.ui.screens.help import HelpScreen
from efficacy_tui.ui.screens.home import HomeScreen
from efficacy_tui.ui.screens.ladder import LadderScreen
from efficacy_tui.ui.widgets.rating import Rating


def write_config(monkeypatch, tmp_path, text: str | bytes):
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir()
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    monkeypatch.setenv("EFFICACY_CONFIG", str(path))
    return path


def footer_keys(app) -> dict[str, str]:
    footer = app.screen.query_one(Footer)
    return {key.description: key.key_display for key in footer.query(FooterKey)}


def notes(app) -> list[str]:
    return [str(note.message) for note in app._notifications]


async def test_a_remapped_checkin_key_shows_and_opens_the_checkin(make_app, monkeypatch,
                                                                   tmp_path):
    write_config(monkeypatch, tmp_path, '[keymap]\n"home.checkin" = "k"\n')
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert notes(app) == []
        assert footer_keys(app)["Check-in"] == "k"
        welcome = str(app.screen.query_one("#welcome-text", Static).render())
        assert "Press k to start your first check-in" in welcome

        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        here = str(app.screen.query_one("#keys-here", Static).render())
        line = next(line for line in here.splitlines() if "check-in" in line.lower())
        assert line.split()[0] == "k"
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)


async def test_a_bad_entry_is_named_and_its_default_key_still_works(make_app, monkeypatch,
                                                                     tmp_path):
    write_config(monkeypatch, tmp_path, '[keymap]\n"home.checkin" = "l"\n"home.review" = "w"\n')
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        [sentence] = notes(app)
        assert "home.checkin" in sentence and "home.ladder" in sentence
        assert sentence.count(".") >= 1 and "\n" not in sentence
        keys = footer_keys(app)
        assert keys["Check-in"] == "c" and keys["Ladder"] == "l" and keys["Review"] == "w"
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)


def test_efficacy_keys_lists_ids_descriptions_and_the_remapped_key(monkeypatch, tmp_path):
    path = write_config(monkeypatch, tmp_path,
                        '[keymap]\n"home.checkin" = "k"\n"nowhere.at_all" = "x"\n')
    result = CliRunner().invoke(main, ["keys"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"Config file: {path}"
    checkin = next(line for line in lines if line.strip().startswith("home.checkin"))
    assert checkin.split()[1] == "k" and "check-in" in checkin and "(remapped)" in checkin
    ladder = next(line for line in lines if line.strip().startswith("ladder.plan"))
    assert ladder.split()[1] == "p" and "(remapped)" not in ladder
    assert "Home" in lines and "Everywhere" in lines
    assert result.stderr.count("nowhere.at_all") == 1


def test_efficacy_keys_without_a_config_says_where_to_make_one():
    result = CliRunner().invoke(main, ["keys"])
    assert result.exit_code == 0 and result.stderr == ""
    assert "not there yet" in result.stdout.splitlines()[0]


async def test_crafted_configs_give_one_sentence_and_the_defaults(make_app, monkeypatch,
                                                                   tmp_path):
    crafted = [
        b"\x00\xff\xfe binary \x89PNG",
        b"[keymap]\n" + b"#" * (MAX_BYTES + 10),
        "keymap = 3\n",
        "[keymap\n",
    ]
    for number, text in enumerate(crafted):
        folder = tmp_path / str(number)
        folder.mkdir()
        write_config(monkeypatch, folder, text)
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            [sentence] = notes(app)
            assert "keeps its default" in sentence
            assert footer_keys(app)["Check-in"] == "c"


async def test_wrong_types_and_floods_of_entries_cost_only_themselves(make_app, monkeypatch,
                                                                      tmp_path):
    many = "".join(f'"home.x{n}" = "x"\n' for n in range(500))
    write_config(monkeypatch, tmp_path,
                 f'[keymap]\n"home.checkin" = 7\n"home.ladder" = "j"\n{many}')
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        said = notes(app)
        assert len(said) == 5 and "home.checkin" in said[0] and "more entries" in said[-1]
        keys = footer_keys(app)
        assert keys["Check-in"] == "c" and keys["Ladder"] == "j"


def test_key_names_are_read_as_textual_reads_them():
    assert canonical_keys("?") == "question_mark"
    assert canonical_keys("shift+ctrl+x, f5") == "ctrl+shift+x,f5"
    assert canonical_keys("ctrl+s") == "ctrl+s"
    for bad in ["", "ctrl+", "wat", "ctrl+ctrl+a", "hyperspace+a", "a,,b"]:
        assert canonical_keys(bad) is None, bad


async def test_remapped_keys_show_in_the_sentences_that_name_them(make_app, monkeypatch,
                                                                  tmp_path):
    write_config(monkeypatch, tmp_path, '[keymap]\n"home.checkin" = "k"\n'
                 '"checkin.save" = "ctrl+w"\n"help.close" = "f9,question_mark"\n'
                 '"checkin.clear_rating" = "f8"\n')
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        said = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "the daily check-in (k) sets" in " ".join(said.split())
        assert "Press f9 or ? to close." in said
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        intro = str(app.screen.query_one("#intro", Static).render())
        assert "ctrl+w saves" in intro
        for name, value in (("energy", 5), ("anxiety", 40), ("focus_confidence", 60)):
            app.screen.query_one(f"#{name}", Rating).value = value
        app.screen.query_one("#energy", Rating).focus()  # an input takes ctrl+w itself
        await pilot.press("ctrl+w")  # a confidence rating with no domain: the sentence says how
        await pilot.pause()          # to clear it, with the key as remapped
        error = str(app.screen.query_one("#error", Static).render())
        assert error.endswith("or clear the rating (f8 on it).")


async def test_forms_questions_and_help_name_every_key_they_take_as_remapped(make_app, store,
                                                                              monkeypatch,
                                                                              tmp_path):
    """The keys lines under a form and a yes-or-no question, and help's closing line, are built
    from the keymap: one key where the user left one, every key where there are several."""
    write_config(monkeypatch, tmp_path, '[keymap]\n"help.close" = "f9"\n'
                 '"form.save" = "ctrl+w"\n"confirm.yes" = "j"\n')
    speaking_ladder(store)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert notes(app) == []
        await pilot.press("f1")
        await pilot.pause()
        said = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Press f9 to close." in said
        await pilot.press("f9")
        await pilot.pause()

        await pilot.press("s")
        await pilot.pause()
        keys = app.screen.query_one(".form-keys", Static)
        assert str(keys.render()) == "ctrl+w saves · escape cancels"
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("l", "x")  # archive the domain? asks first
        await pilot.pause()
        keys = app.screen.query_one(".form-keys", Static)
        assert str(keys.render()) == "j: yes · n or escape: no"
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, LadderScreen)
        assert "Archived" in " ".join(notes(app))
