"""efficacy: a terminal coach that builds self-efficacy from planned, tracked mastery experiences.

Kept empty of imports so that `efficacy log` and `efficacy nudge` start fast.
"""

__version__ = "0.1.0"
