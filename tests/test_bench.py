"""`briefbot bench` with the real models: every figure is measured and reported next to its
floor. Wall-clock targets are judged in BENCHMARKS.md, not here: a busy machine must not fail
a unit test."""

from __future__ import annotations

import pytest

from bot.dev.bench import format_bench, run_bench


def test_bench_measures_every_figure_against_its_floor(bot) -> None:  # noqa: ANN001
    r = run_bench(bot, rounds=2)
    for key in ("embed_ms", "reader_ms", "ask_p50_ms", "brief_ms", "quiz20_ms", "cold_ask_s"):
        assert r[key] > 0, (key, r)
    assert r["floor_ms"] == pytest.approx(r["embed_ms"] + r["reader_ms"])
    assert r["ask_p50_ratio"] == pytest.approx(r["ask_p50_ms"] / r["floor_ms"])
    assert r["index_records"] == 42
    table = format_bench(r)
    assert table.count("\n") == 9 and "warm question p50" in table
    print(table)
