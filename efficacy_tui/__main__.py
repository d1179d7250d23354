"""Allows `python -m efficacy_tui`."""

from efficacy_tui.cli import main

main()
