"""The Markdown "mastery record": per domain its goal, ladder, recent wins, reframes, role models
and feedback, for a person to read. User text is escaped, so it is shown and never read as
Markdown. Written by `efficacy export --format md` through store/export.py."""

import re
from typing import IO, Any

from efficacy_tui.content import fill, say
from efficacy_tui.store.core import Store

MD_LIMIT = 50
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_MARKER = re.compile(r"^([-+=])")
_MD_NUMBERED = re.compile(r"^(\d+)([.)])")
# Control characters as the app shows them (ESC as ␛, NUL as ␀, DEL as ␡, C1 as �), so a record
# printed to a terminal cannot retitle, recolour or clear it.
_CONTROLS = {
    **{code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)},
    0x7F: "\u2421",
    **{code: "\ufffd" for code in range(0x80, 0xA0)},
}


def md_escape(text: Any) -> str:
    """User text as literal Markdown on one line: markup characters are backslash-escaped and
    line breaks become spaces, so a title like "# Me | [x]" cannot start a heading, split a
    table cell or make a link; control characters are shown as symbols."""
    flat = " ".join(str(text).split()).translate(_CONTROLS)
    flat = _MD_ENTITY.sub(r"\\&", _MD_SPECIAL.sub(r"\\\1", flat))
    return _MD_NUMBERED.sub(r"\1\\\2", _MD_MARKER.sub(r"\\\1", flat))


def _day(stamp: str | None) -> str:
    return (stamp or "")[:10].translate(_CONTROLS)


def write_markdown(store: Store, out: IO[str]) -> None:
    """Per live domain: goal, ladder (hardest first), the most recent wins, reframes, models and
    feedback. Soft-deleted rows are left out; the JSON and CSV exports hold everything. Call it
    inside one read transaction (store/export.py does), so every part is of the same moment."""
    words = say("export.markdown")
    live = "deleted_at IS NULL"
    out.write(f"# {words['title']}\n\n{words['intro'].format(date=store.today())}\n")
    domains = store.query(f"SELECT * FROM domains WHERE {live} ORDER BY position, id")
    if not domains:
        out.write(f"\n{words['no_domains']}\n")
    for domain in domains:
        archived = f" {words['archived']}" if domain["archived_at"] else ""
        out.write(f"\n## {md_escape(domain['name'])}{archived}\n")
        for label in ("goal", "why"):
            if domain[label].strip():
                out.write(f"\n**{words[label]}:** {md_escape(domain[label])}\n")
        _md_ladder(store, out, words, domain["id"])
        _md_wins(store, out, words, "domain_id = ?", [domain["id"]])
        _md_reframes(store, out, words, domain["id"])
        _md_models(store, out, words, domain["id"])
    if store.scalar(f"SELECT 1 FROM attempts WHERE domain_id IS NULL AND {live} "
                    "AND outcome = 'success' LIMIT 1"):
        out.write(f"\n## {words['other']}\n")
        _md_wins(store, out, words, "domain_id IS NULL", [], heading=False)


def _md_ladder(store: Store, out: IO[str], words: dict, domain_id: int) -> None:
    out.write(f"\n### {words['ladder']}\n\n")
    rungs = store.query("SELECT * FROM rungs WHERE domain_id = ? AND deleted_at IS NULL "
                        "ORDER BY position DESC, id DESC", [domain_id])
    if not rungs:
        out.write(f"{words['no_rungs']}\n")
        return
    out.write(f"{words['ladder_note']}\n\n")
    out.write("| " + " | ".join(words["ladder_columns"]) + " |\n|:-:|---|--:|---|\n")
    for rung in rungs:
        cells = [words["status"].get(rung["status"], "·"), md_escape(rung["title"]),
                 str(rung["difficulty"]), md_escape(rung["criterion"])]
        out.write("| " + " | ".join(cells) + " |\n")


def _md_wins(store: Store, out: IO[str], words: dict, where: str, params: list,
             heading: bool = True) -> None:
    where = f"{where} AND outcome = 'success' AND deleted_at IS NULL"
    total = store.scalar(f"SELECT count(*) FROM attempts WHERE {where}", params)
    if heading:
        out.write(f"\n### {words['wins']}\n\n")
    else:
        out.write("\n")
    if not total:
        out.write(f"{words['no_wins']}\n")
        return
    wins = store.query(f"SELECT happened_at, title, what_i_did FROM attempts WHERE {where} "
                       "ORDER BY happened_at DESC, id DESC LIMIT ?", [*params, MD_LIMIT])
    note = words["wins_all"] if total <= MD_LIMIT else words["wins_recent"]
    out.write(fill(note, count=total, shown=len(wins)) + "\n\n")
    for win in wins:
        line = f"- **{_day(win['happened_at'])}** {md_escape(win['title'])}"
        if win["what_i_did"].strip():
            line += f" — *{words['win_did']}* {md_escape(win['what_i_did'])}"
        out.write(line + "\n")
    if total > len(wins):
        out.write(f"\n{words['more'].format(count=total - len(wins))}\n")


def _md_reframes(store: Store, out: IO[str], words: dict, domain_id: int) -> None:
    where = ("coalesce(r.domain_id, a.domain_id) = ? AND r.deleted_at IS NULL")
    source = "reframes r LEFT JOIN attempts a ON a.id = r.attempt_id"
    total = store.scalar(f"SELECT count(*) FROM {source} WHERE {where}", [domain_id])
    if not total:
        return
    reframes = store.query(f"SELECT r.* FROM {source} WHERE {where} "
                           "ORDER BY r.created_at DESC, r.id DESC LIMIT ?", [domain_id, MD_LIMIT])
    out.write(f"\n### {words['reframes']}\n\n{words['reframes_note']}\n\n")
    for reframe in reframes:
        line = f"- **{_day(reframe['created_at'])}** {md_escape(reframe['what_happened'])}"
        if reframe["new_explanation"].strip():
            line += f" → {md_escape(reframe['new_explanation'])}"
        plan = words["plan"].format(situation=md_escape(reframe["if_situation"]),
                                    action=md_escape(reframe["then_action"]))
        out.write(f"{line}\n  - {plan}\n")
    if total > len(reframes):
        out.write(f"\n{words['more'].format(count=total - len(reframes))}\n")


def _md_models(store: Store, out: IO[str], words: dict, domain_id: int) -> None:
    models = store.query("SELECT * FROM models WHERE domain_id = ? AND deleted_at IS NULL "
                         "ORDER BY created_at, id", [domain_id])
    if models:
        out.write(f"\n### {words['models']}\n\n")
        for model in models:
            line = f"- **{md_escape(model['who'])}**"
            if model["like_me"].strip():
                line += f" — {words['model_like_me']} {md_escape(model['like_me'])}"
            out.write(f"{line} — {words['model_did']} {md_escape(model['what_they_did'])}\n")
    feedback = store.query("SELECT * FROM feedback WHERE domain_id = ? AND deleted_at IS NULL "
                           "ORDER BY given_at DESC, id DESC", [domain_id])
    if feedback:
        out.write(f"\n### {words['feedback']}\n\n")
        for said in feedback:
            meta = words["feedback_meta"].format(credibility=said["credibility"],
                                                 date=_day(said["given_at"]))
            out.write(f"- **{md_escape(said['who'])}** ({meta}): "
                      f"{md_escape(said['what_they_said'])}\n")
