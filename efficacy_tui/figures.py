"""Per-domain figures, read from the store and given meaning by the coach, shared by
`efficacy stats`, the ladder screen and the review screen's calibration pane so all three always
show the same numbers."""

from dataclasses import dataclass
from typing import Any

from efficacy_tui.coach import calibration, ladder
from efficacy_tui.content import say
from efficacy_tui.records import Domain, Rung, RungLine
from efficacy_tui.store import attempts, domains, reframes
from efficacy_tui.store.core import Store
from efficacy_tui.store.ladder import ladder_lines
from efficacy_tui.store.readiness import readiness_summary


@dataclass(frozen=True)
class Recent:
    """The domain's last attempts, any rung: what they were, and the two figures they give."""

    attempts: int
    successes: int
    partials: int
    setbacks: int

    @property
    def success_rate(self) -> float | None:
        """Successes alone, over the attempts."""
        return self.successes / self.attempts if self.attempts else None

    @property
    def score(self) -> float | None:
        """Mean score (success 1, partial 0.5, setback 0), the same scoring as the ladder rule."""
        if not self.attempts:
            return None
        return (self.successes + ladder.OUTCOME_SCORE["partial"] * self.partials) / self.attempts


@dataclass(frozen=True)
class DomainReport:
    domain: Domain
    mastered: int
    total: int
    active: Rung | None
    suggestion: ladder.Suggestion | None
    recent: Recent
    recorded_wins: int  # wins from check-ins and the audit: shown as wins, never in a rate
    calibration: calibration.Calibration


def recent(outcomes: list[str]) -> Recent:
    return Recent(len(outcomes), outcomes.count("success"), outcomes.count("partial"),
                  outcomes.count("setback"))


def domain_report(
    store: Store, domain: Domain, lines: list[RungLine] | None = None
) -> DomainReport:
    """The domain's figures; pass its ladder lines when they have just been read."""
    lines = ladder_lines(store, domain.id) if lines is None else lines
    active = next((line for line in lines if line.rung.status == "active"), None)
    outcomes = attempts.recent_outcomes(store, domain.id, ladder.WINDOW)
    mastered, total = ladder.progress([line.rung.status for line in lines])
    return DomainReport(
        domain=domain,
        mastered=mastered,
        total=total,
        active=active.rung if active else None,
        suggestion=ladder.suggest(active.outcomes) if active else None,
        recent=recent(outcomes),
        recorded_wins=attempts.recorded_wins(store, domain.id),
        calibration=domain_calibration(store, domain.id),
    )


def domain_calibration(store: Store, domain_id: int | None) -> calibration.Calibration:
    """Calibration of the predictions in one domain (None: every domain), with the count of
    confidences recalled afterwards that it leaves out."""
    return calibration.calibrate(attempts.calibration_totals(store, domain_id),
                                 attempts.recalled_count(store, domain_id))


def overall_calibration(store: Store) -> calibration.Calibration:
    return domain_calibration(store, None)


def figures_line(cal: calibration.Calibration) -> str:
    """Brier, bias, rated and recalled counts as `efficacy stats --format json` rounds them."""
    data = calibration.as_dict(cal)
    line = say("calibration.figures", brier=f"{data['brier']:.3f}", bias=f"{data['bias']:+.3f}",
               rated=f"{data['rated_attempts']:,}")
    if cal.recalled:
        line += say("calibration.recalled_figure", recalled=f"{cal.recalled:,}")
    return line


PerDomain = list[tuple[Domain, calibration.Calibration]]


def domain_calibrations(store: Store) -> tuple[calibration.Calibration, PerDomain]:
    """Overall and per-domain calibration, computed exactly as `efficacy stats` computes them."""
    per_domain = [
        (d, domain_calibration(store, d.id)) for d in domains.list_domains(store)
    ]
    return overall_calibration(store), per_domain


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _calibration_fields(cal: calibration.Calibration) -> dict[str, Any]:
    data = calibration.as_dict(cal)
    return {
        "brier": data["brier"],
        "bias": data["bias"],
        "bias_low": data["bias_low"],
        "bias_high": data["bias_high"],
        "direction": data["direction"],
        "rated_attempts": data["rated_attempts"],
        "recalled_attempts": data["recalled_attempts"],
        "bins": data["bins"],
        "calibration": data,
    }


def attribution_trend(store: Store) -> list[dict[str, Any]]:
    """Per month, the share of reframes that ended on a controllable, temporary cause."""
    from efficacy_tui.coach.attribution import monthly_share

    return [
        {"month": month, "reframes": n, "controllable_temporary": ct, "share": _round(share)}
        for month, n, ct, share in monthly_share(reframes.monthly_counts(store))
    ]


def stats(store: Store) -> dict[str, Any]:
    """Everything `efficacy stats --format json` prints."""
    reports = [domain_report(store, d) for d in domains.list_domains(store)]
    by_domain = reframes.reframes_by_domain(store)
    return {
        "generated_at": store.stamp(),
        "domains": [
            {
                "name": r.domain.name,
                "goal": r.domain.goal,
                "rungs_mastered": r.mastered,
                "rungs_total": r.total,
                "active_rung": (
                    {"title": r.active.title, "difficulty": r.active.difficulty}
                    if r.active else None
                ),
                "suggestion": (
                    {"kind": r.suggestion.kind, "label": r.suggestion.label,
                     "reason": r.suggestion.reason, "attempts": r.suggestion.attempts,
                     "successes": r.suggestion.successes, "partials": r.suggestion.partials,
                     "setbacks": r.suggestion.setbacks, "score": _round(r.suggestion.score)}
                    if r.suggestion else None
                ),
                "last_10": {"attempts": r.recent.attempts, "successes": r.recent.successes,
                            "partials": r.recent.partials, "setbacks": r.recent.setbacks,
                            "success_rate": _round(r.recent.success_rate),
                            "score": _round(r.recent.score)},
                "recorded_wins": r.recorded_wins,
                **_calibration_fields(r.calibration),
                "reframes": by_domain.get(r.domain.id, (0, 0))[0],
                "reframes_controllable_temporary": by_domain.get(r.domain.id, (0, 0))[1],
            }
            for r in reports
        ],
        "overall": _calibration_fields(overall_calibration(store)),
        "attribution": attribution_trend(store),
        "readiness": readiness_summary(store),
    }


def as_text(data: dict[str, Any]) -> str:
    """The stats as plain lines for a terminal, from the same figures as the JSON."""
    lines: list[str] = []
    for d in data["domains"]:
        lines.append(say("stats.domain", name=d["name"], mastered=d["rungs_mastered"],
                         total=d["rungs_total"]))
        rung = d["active_rung"]
        lines.append(say("stats.active", title=rung["title"], difficulty=rung["difficulty"])
                     if rung else say("stats.no_active"))
        if d["suggestion"]:
            lines.append(say("stats.suggestion", **d["suggestion"]))
        last = d["last_10"]
        lines.append(
            say("stats.last_10", count=last["attempts"],
                counts=ladder.counts(last["successes"], last["partials"]),
                success_rate=ladder.percent(last["success_rate"]),
                score=ladder.percent(last["score"]))
            if last["attempts"] else say("stats.no_attempts")
        )
        if d["recorded_wins"]:
            lines.append(say("stats.recorded_wins", count=d["recorded_wins"]))
        lines.append(say("stats.calibration", sentence=d["calibration"]["sentence"]))
        if d["recalled_attempts"] and d["calibration"]["status"] != "none":
            lines.append(say("stats.recalled", count=d["recalled_attempts"]))
        if d["reframes"]:
            lines.append(say("stats.reframes", count=d["reframes"],
                             ct=d["reframes_controllable_temporary"]))
        lines.append("")
    if not data["domains"]:
        lines.append(say("stats.no_domains"))
    lines.append(say("stats.overall", sentence=data["overall"]["calibration"]["sentence"]))
    if data["overall"]["recalled_attempts"] and data["overall"]["calibration"]["status"] != "none":
        lines.append(say("stats.recalled", count=data["overall"]["recalled_attempts"]))
    if data["attribution"]:
        lines.append(say("stats.attribution"))
        lines.extend(
            say("stats.attribution_month",
                month=m["month"], percent=ladder.percent(m["share"]),
                ct=m["controllable_temporary"], count=m["reframes"])
            for m in data["attribution"]
        )
    lines.extend(readiness_lines(data.get("readiness")))
    return "\n".join(lines)


def readiness_lines(data: dict[str, Any] | None) -> list[str]:
    """A short section on performances and their walkthroughs, left out until there is one."""
    if not data or not data["performances"]:
        return []
    lines = ["", say("stats.readiness.heading", performances=data["performances"],
                     completed=data["sessions_completed"], upcoming=data["scheduled_upcoming"])]
    changes = [
        say("stats.readiness.change_item", label=say(f"stats.readiness.labels.{name}"),
            sign=_signed(value))
        for name, value in data["mean_change"].items() if value is not None
    ]
    if changes:
        lines.append(say("stats.readiness.change", changes=", ".join(changes)))
    outcomes = data["outcomes"]
    if sum(outcomes.values()) or data["followups_dismissed"]:
        lines.append(say("stats.readiness.outcomes", **outcomes,
                         dismissed=data["followups_dismissed"]))
    if data["followups_due"]:
        lines.append(say("stats.readiness.due", count=data["followups_due"]))
    kept = [d for d in data["domains"] if d["models"] or d["feedback"]]
    lines.extend(say("stats.readiness.domain", **d) for d in kept)
    return lines


def _signed(value: float) -> str:
    number = f"{abs(value):g}"
    return number if value == 0 else ("+" if value > 0 else "−") + number
