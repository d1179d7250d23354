"""Allows `python -m efficacy_tui`."""

from efficacy_tui.entry import main

main()
