"""`briefbot bench` with the real models: the speed targets hold with room for noisy machines
(the figures in BENCHMARKS.md are the measured ones)."""

from __future__ import annotations

from bot.dev.bench import format_bench, run_bench


def test_speed_against_floors_measured_in_the_same_run(bot) -> None:  # noqa: ANN001
    r = run_bench(bot, rounds=2)
    assert r["ask_p50_ratio"] < 5, r  # target 3x one query embedding
    assert r["cold_ratio"] < 3, r  # target 2x importing sentence-transformers
    assert r["brief_ms"] < 1000 and r["quiz20_ms"] < 1000, r
    assert r["reindex_unchanged_ms"] < 100, r
    assert r["index_records"] == 42
    table = format_bench(r)
    assert table.count("\n") == 9 and "warm question p50" in table
