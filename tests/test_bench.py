"""The benchmark's verdicts: which measure a target is judged on, and the targets of each way."""

from __future__ import annotations

import sys

import pytest

from support import TESTS

sys.path.insert(0, str(TESTS.parent / "benchmarks"))

import bench

COUNTED = {"label": "Full build, warm, cards only", "dgx": 101, "hand": 100, "ratio": 1.01}


def test_a_counted_measure_is_judged_on_its_count_not_on_the_timed_median() -> None:
    verdict = bench.judged(1.03, [1.21, 1.05, 0.82, 1.06, 1.04], COUNTED)
    assert verdict["judged_on"] == "instructions"
    assert verdict["met"] is True
    assert verdict["timed_met"] is False  # the timed median (1.05x) stays on record
    assert verdict["instructions"] is COUNTED


def test_a_count_over_the_target_misses_whatever_the_pairs_say() -> None:
    verdict = bench.judged(1.03, [0.9, 0.95, 1.0], {**COUNTED, "ratio": 1.04})
    assert (verdict["met"], verdict["timed_met"], verdict["judged_on"]) == (False, True, "instructions")


@pytest.mark.parametrize(("ratios", "met"), [([1.0, 1.02, 1.2], True), ([1.0, 1.04, 1.05], False)])
def test_without_a_count_the_median_of_the_pairs_decides(ratios: list[float], met: bool) -> None:
    verdict = bench.judged(1.03, ratios, None)
    assert (verdict["met"], verdict["timed_met"], verdict["judged_on"]) == (met, met, "time")


def test_a_measure_without_a_target_has_no_verdict_even_when_counted() -> None:
    assert bench.judged(None, [6.4], COUNTED)["met"] is None


def test_report_pages_add_their_budget_to_the_no_change_and_memory_targets_only() -> None:
    measures = {m.key: m for m in bench.MEASURES}
    budget = bench.PAGES_BUDGET
    assert measures["noop_cards"].target == bench.NOOP_TARGET
    assert measures["noop_pages_text"].target == pytest.approx(bench.NOOP_TARGET + budget)
    assert measures["warm_cards"].target == bench.CARDS_TARGET
    assert measures["warm_pages_text"].target == pytest.approx(bench.WARM_TARGET + budget)
    for key in ("cold", "warm_cards", "noop_cards"):
        assert measures[key].memory_target == bench.MEMORY_TARGET
    for key in ("warm_pages_no_text", "warm_pages_text", "again", "noop_pages_text"):
        assert measures[key].memory_target == pytest.approx(bench.MEMORY_TARGET + budget)


def test_the_instruction_counts_are_of_measures_the_timed_benchmark_has() -> None:
    import instructions

    timed = {m.key: m for m in bench.MEASURES}
    for key, label in instructions.MEASURES.items():
        assert key in timed and timed[key].way is bench.CARDS
        assert timed[key].label.startswith(label)
