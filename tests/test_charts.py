"""Plain-text charts: labelled axes, gaps drawn as "·", the calibration diagonal, and never a
line wider than the width asked for."""

from datetime import date, timedelta

import pytest

from efficacy_tui.coach import charts
from efficacy_tui.coach.calibration import calibrate, totals_from_pairs
from efficacy_tui.content import say

AXIS = say("trends.axis")
WIDTHS = [24, 40, 57, 76, 80, 100, 116, 120, 160]


def weeks(n: int = 26) -> list[str]:
    first = date(2026, 6, 1)
    return [(first + timedelta(weeks=i)).strftime("%-d %b") for i in range(n)]


def two_series(n: int = 26) -> list[charts.Series]:
    rate = [None if i in (3, 4) else (i % 10) / 10 for i in range(n)]
    conf = [None if i in (3, 4) else 0.5 for i in range(n)]
    return [charts.Series("success rate", "●", rate), charts.Series("confidence", "○", conf)]


# -- line chart ----------------------------------------------------------------------------------


def test_line_chart_labels_both_axes_and_names_each_mark():
    lines = charts.line_chart(two_series(), weeks(), 76)
    text = "\n".join(lines)
    assert lines[0].startswith("100% ┤")
    assert any(line.startswith(" 50% ┤") for line in lines)
    assert any(line.startswith("  0% ┤") for line in lines)
    assert "23 Nov" in text  # the latest week is always labelled
    assert "└" in text and "┬" in text
    assert "● success rate" in text and "○ confidence" in text


def test_line_chart_draws_a_week_without_data_as_a_dot_on_the_baseline():
    lines = charts.line_chart(two_series(), weeks(), 76, height=9)
    baseline = lines[8]
    assert baseline.startswith("  0% ┤")
    plot = baseline[len("  0% ┤"):]
    step = 2
    assert plot[3 * step + 1] == charts.GAP and plot[4 * step + 1] == charts.GAP
    assert "· no data" in "\n".join(lines)


def test_line_chart_marks_a_shared_point_and_says_so():
    same = [charts.Series("a", "●", [0.5, 1.0]), charts.Series("b", "○", [0.5, 0.0])]
    lines = charts.line_chart(same, ["w1", "w2"], 40, both_label="both")
    text = "\n".join(lines)
    assert charts.BOTH in lines[4]
    assert "◉ both" in text


def test_line_chart_values_land_on_their_rows():
    series = [charts.Series("s", "●", [0.0, 0.5, 1.0])]
    lines = charts.line_chart(series, ["a", "b", "c"], 40, height=5)
    assert "●" in lines[0] and "●" in lines[2] and "●" in lines[4]
    assert lines[0].index("●") > lines[2].index("●") > lines[4].index("●")


def test_line_chart_keeps_the_latest_weeks_when_narrow():
    lines = charts.line_chart(two_series(52), weeks(52), 40)
    assert max(len(line) for line in lines) <= 40
    assert weeks(52)[-1] in "\n".join(lines)


def test_line_chart_with_a_right_axis_labels_it():
    series = [charts.Series("anxiety", "■", [0.2, 0.4]),
              charts.Series("energy", "□", [0.6, 0.8])]
    lines = charts.line_chart(series, ["a", "b"], 50, left=((0.0, "0"), (1.0, "100")),
                              right=((0.0, "0"), (0.5, "5"), (1.0, "10")))
    assert lines[0].endswith("├ 10") and lines[0].startswith("100 ┤")
    assert any(line.endswith("├ 5") for line in lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_line_chart_never_exceeds_its_width(width):
    for count in (0, 1, 5, 26, 53):
        lines = charts.line_chart(two_series(count), weeks(count), width)
        assert all(len(line) <= width for line in lines), (width, count)


def test_line_chart_uses_more_room_when_wide():
    narrow = charts.line_chart(two_series(), weeks(), 76)
    wide = charts.line_chart(two_series(), weeks(), 120)
    assert max(map(len, wide)) > max(map(len, narrow)) + 30


# -- bar chart -----------------------------------------------------------------------------------


def test_bar_chart_prints_each_count_and_a_round_top():
    months = AXIS["months"]
    lines = charts.bar_chart([0, 2, 1, 3], months[:4], 60)
    text = "\n".join(lines)
    assert lines[0].startswith("4 ┤")  # 3 rounds up to 4
    assert lines[2].startswith("2 ┤")
    assert lines[4].startswith("0 └")
    counts = lines[5].split()
    assert counts == ["0", "2", "1", "3"]
    assert all(m in text for m in months[:4])
    assert "█" in text


def test_bar_chart_shows_a_missing_period_as_a_dot():
    lines = charts.bar_chart([1, None, 2], ["a", "b", "c"], 40, gap_label="no data")
    assert charts.GAP in lines[3]
    assert "· no data" in lines[-1]


@pytest.mark.parametrize("width", WIDTHS)
def test_bar_chart_never_exceeds_its_width(width):
    values = [i % 4 for i in range(12)]
    lines = charts.bar_chart(values, AXIS["months"], width)
    assert all(len(line) <= width for line in lines)


def test_nice_top():
    assert [charts.nice_top(v) for v in (0.5, 1, 3, 4, 6, 11, 45, 51, 101)] == [
        1, 1, 4, 4, 10, 20, 50, 100, 200]


# -- heatmap -------------------------------------------------------------------------------------


END = date(2026, 11, 26)  # a Thursday


def activity():
    checkins = {END - timedelta(days=n) for n in range(1, 40) if n % 3}
    wins = {END - timedelta(days=n): 1 + n % 3 for n in range(0, 30)}
    return checkins, wins


def test_heatmap_has_a_row_per_weekday_and_month_labels():
    checkins, wins = activity()
    lines = charts.heatmap(END, checkins, wins, 80, AXIS["days"], AXIS["months"])
    assert len(lines) == 8
    assert [line[:3] for line in lines[1:]] == AXIS["days"]
    assert "Nov" in lines[0] and "Dec" in lines[0] and "Jun" in lines[0]


def test_heatmap_cells_say_what_each_day_held():
    yesterday, two_days, four_days = (END - timedelta(days=n) for n in (1, 2, 4))
    checkins = {yesterday, two_days}
    wins = {yesterday: 2, END: 1, four_days: 1}
    lines = charts.heatmap(END, checkins, wins, 60, AXIS["days"], AXIS["months"], weeks=2)
    col = 4 + 2  # label width, then the second (current) week; two columns a week fit
    cell = {weekday: lines[1 + weekday].ljust(col + 2)[col] for weekday in range(7)}
    assert cell[3] == charts.WIN  # today, Thursday: a win, no check-in yet
    assert cell[2] == charts.CHECKIN_AND_WIN  # yesterday
    assert cell[1] == charts.CHECKIN  # Tuesday: a check-in only
    assert cell[0] == charts.NOTHING  # Monday
    assert cell[4] == " " and cell[6] == " "  # days to come
    assert lines[1 + 6][4:] == charts.WIN  # Sunday of last week; this Sunday is still to come


def test_heatmap_uses_two_columns_a_week_when_wide_and_keeps_the_latest_when_narrow():
    checkins, wins = activity()
    wide = charts.heatmap(END, checkins, wins, 116, AXIS["days"], AXIS["months"])
    assert len(wide[1]) == 4 + 53 * 2 - 1  # a cell and a space per week, trailing space cut
    narrow = charts.heatmap(END, checkins, wins, 30, AXIS["days"], AXIS["months"])
    assert all(len(line) <= 30 for line in narrow)
    assert narrow[4][-1] == charts.WIN  # the latest Thursday is still there


@pytest.mark.parametrize("width", WIDTHS)
def test_heatmap_never_exceeds_its_width(width):
    checkins, wins = activity()
    lines = charts.heatmap(END, checkins, wins, width, AXIS["days"], AXIS["months"])
    assert all(len(line) <= width for line in lines)


def test_legend_wraps_items_to_the_width():
    items = [("·", "nothing recorded"), ("░", "check-in"), ("▒", "win"), ("█", "both")]
    assert charts.legend(items, 200) == ["· nothing recorded   ░ check-in   ▒ win   █ both"]
    narrow = charts.legend(items, 30)
    assert len(narrow) > 1 and all(len(line) <= 30 for line in narrow)


# -- calibration ---------------------------------------------------------------------------------


def cal():
    pairs = ([(10, "success")] * 12 + [(30, "partial")] * 7 + [(50, "success")] * 20
             + [(90, "setback")] * 3 + [(90, "success")] * 9)
    return calibrate(totals_from_pairs(pairs))


def test_calibration_plot_draws_the_diagonal_and_labels_its_axes():
    lines = charts.calibration_plot(cal().bins, 76, height=11)
    plot = lines[1:12]
    assert plot[0].startswith("100% ┤") and plot[0].endswith(charts.DIAGONAL)
    assert plot[5].startswith(" 50% ┤") and plot[10].startswith("  0% ┤")
    assert plot[10][len("  0% ┤")] == charts.DIAGONAL  # the diagonal starts at (0, 0)
    assert sum(line.count(charts.DIAGONAL) for line in plot) >= 20
    axis_labels = lines[13]
    assert "0%" in axis_labels and "50%" in axis_labels and axis_labels.rstrip().endswith("100%")
    assert "predicted" in lines[-1] and "observed" in lines[0]


def test_calibration_plot_marks_each_bin_with_its_count():
    c = cal()
    lines = charts.calibration_plot(c.bins, 76, height=11)
    text = "\n".join(lines)
    assert text.count(charts.POINT) == 4  # the 60-79 bin is empty
    for b in c.bins:
        if b.count:
            assert f"{charts.POINT}{b.count}" in text or f"{b.count}{charts.POINT}" in text
    # 10% predicted, 100% observed: top row, a tenth of the way along 61 columns
    assert lines[1].index(charts.POINT) == len("100% ┤") + 6


@pytest.mark.parametrize("width", WIDTHS)
def test_calibration_plot_never_exceeds_its_width(width):
    lines = charts.calibration_plot(cal().bins, width)
    assert all(len(line) <= width for line in lines)


def test_calibration_table_lists_all_five_bins():
    headers = say("calibration.table_headers")
    lines = charts.calibration_table(cal().bins, headers)
    assert lines[0].split() == headers
    assert [line.split()[0] for line in lines[1:]] == ["0–19", "20–39", "40–59", "60–79",
                                                     "80–100"]
    assert lines[1].split()[1:] == ["12", "10%", "100%"]
    assert lines[2].split()[1:] == ["7", "30%", "50%"]
    assert lines[4].split()[1:] == ["0", "—", "—"]
    assert lines[5].split()[1:] == ["12", "90%", "75%"]


def test_side_by_side_only_when_both_fit():
    left, right = ["aaaa", "bb"], ["cc", "dd", "ee"]
    assert charts.side_by_side(left, right, 10, gap=2) == ["aaaa  cc", "bb    dd", "      ee"]
    assert charts.side_by_side(left, right, 7, gap=2) is None


def test_a_short_history_starts_the_chart_at_its_first_period():
    weeks = [0, 0, 0, 0, 0, 3, 0, 2, 1, 4, 0, 5]
    assert charts.from_first(weeks, bool, 4) == [3, 0, 2, 1, 4, 0, 5]
    assert charts.from_first(weeks, bool, 9) == [0, 0, 3, 0, 2, 1, 4, 0, 5]  # never fewer
    assert charts.from_first([0, 0, 0], bool, 2) == [0, 0]  # nothing yet: the last `keep`
    assert charts.from_first([1, 0], bool, 8) == [1, 0]


def test_line_chart_refuses_a_series_not_matching_its_labels():
    with pytest.raises(ValueError):
        charts.line_chart(two_series(26), weeks(8), 76)
