"""Our own theme: a high-contrast choice beside Textual's built-in themes.

Textual 8 ships no high-contrast theme, so this one uses pure black, white and yellow with text at
full strength; the stylesheet draws its borders heavy. Signals never depend on it: every screen
marks state with symbols and words, so any theme (and NO_COLOR=1) keeps them readable.
"""

from textual.theme import Theme

HIGH_CONTRAST_NAME = "efficacy-high-contrast"

BLACK, WHITE, YELLOW, CYAN = "#000000", "#FFFFFF", "#FFFF00", "#00FFFF"

HIGH_CONTRAST = Theme(
    name=HIGH_CONTRAST_NAME,
    primary=YELLOW,
    secondary=CYAN,
    accent=YELLOW,
    warning=YELLOW,
    error="#FF8080",
    success="#00FF00",
    foreground=WHITE,
    background=BLACK,
    surface=BLACK,
    panel=BLACK,
    boost="#303030",
    dark=True,
    luminosity_spread=0.1,
    text_alpha=1.0,
    variables={
        "text": WHITE,
        "text-muted": WHITE,
        "text-disabled": "#C0C0C0",
        "foreground-muted": WHITE,
        "border": YELLOW,
        "border-blurred": WHITE,
        "block-cursor-background": YELLOW,
        "block-cursor-foreground": BLACK,
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-background": WHITE,
        "block-cursor-blurred-foreground": BLACK,
        "block-cursor-blurred-text-style": "bold",
        "block-hover-background": "#303030",
        "footer-background": BLACK,
        "footer-foreground": WHITE,
        "footer-key-foreground": YELLOW,
        "footer-description-foreground": WHITE,
        "input-cursor-background": YELLOW,
        "input-cursor-foreground": BLACK,
        "input-selection-background": YELLOW,
        "input-selection-foreground": BLACK,
        "scrollbar": WHITE,
        "scrollbar-hover": YELLOW,
        "scrollbar-active": YELLOW,
        "scrollbar-background": BLACK,
        "scrollbar-background-hover": BLACK,
        "scrollbar-background-active": BLACK,
        "scrollbar-corner-color": BLACK,
        "link-color": YELLOW,
        "screen-selection-background": YELLOW,
        "screen-selection-foreground": BLACK,
    },
)

OUR_THEMES = (HIGH_CONTRAST,)
