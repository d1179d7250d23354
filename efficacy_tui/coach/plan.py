"""If-then plans (implementation intentions, Gollwitzer 1999): the situation and the action as the
user meant them, for every screen that asks for one."""

import re

# The words a plan's two labels already say ("If …, then I will …"), typed again in a field.
_IF = re.compile(r"^\s*if\b[\s,:…]*", re.IGNORECASE)
_THEN = re.compile(r"^\s*(?:then\b[\s,:…]*)?(?:i\s+will\b|i['’]ll\b)?[\s,:…]*",
                   re.IGNORECASE)


def plan_parts(situation: str, action: str) -> tuple[str, str]:
    """The if-then plan as typed, without a leading "if" or "then (I will)" that the card's
    "If …, then I will …." already says, and without a final full stop it adds."""
    action = _THEN.sub("", action, count=1).strip().rstrip(".").rstrip()
    return _IF.sub("", situation, count=1).strip().rstrip(",").rstrip(), action
