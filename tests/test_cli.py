"""The CLI contract: commands, JSON shapes, batch mode, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from bot.app.cli import main

ARTICLE = """Harbour bridge opens after five years of work

PORTSMOUTH (AP) — The new harbour bridge opened on Monday after five years of construction, city officials said.

The bridge cost 240 million dollars and carries about 30,000 cars a day, according to the transport office.

Mayor Ellen Price cut the ribbon and said the crossing would halve travel times to the port.
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of this checkout, installed into a folder of its own: the rest of the suite runs
    the checkout, these tests what a user gets (console script, package data)."""
    tmp = tmp_path_factory.mktemp("installed")
    pip = [sys.executable, "-m", "pip", "-q"]
    build = ["wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"), str(ROOT)]
    subprocess.run([*pip, *build], check=True, capture_output=True, timeout=600)
    wheel = next((tmp / "dist").glob("briefbot-*.whl"))
    site = tmp / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(site), str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return site


def briefbot(*args: str, home: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, BRIEFBOT_HOME=str(home), PYTHONPATH=str(site))
    return subprocess.run(
        [str(site / "bin" / "briefbot"), *args],
        capture_output=True, text=True, env=env, timeout=300, cwd=site.parent,
    )  # fmt: skip


def test_installed_package_holds_its_data(installed: Path) -> None:
    code = "import bot.app.cli, bot.qa.answer; print(bot.app.cli.__file__)"
    env = dict(os.environ, PYTHONPATH=str(installed))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=installed.parent
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(str(installed))
    for data in ("index/articles/*.txt", "prompts/*.txt", "bot/qa/weights/*.json"):
        assert list(installed.glob(data)), data


def test_installed_console_script_answers_with_a_citation(
    isolated_home: Path, installed: Path
) -> None:
    done = briefbot(
        "ask",
        "How many North Korean troops does the U.S. think are in Russia?",
        home=isolated_home,
        site=installed,
    )
    assert done.returncode == 0, done.stderr
    first, _, *evidence = done.stdout.splitlines()
    assert first == "10,000 [¶9]"
    assert evidence[0].startswith("> [¶9] The U.S. has estimated there are about **10,000**")


def test_installed_console_script_errors_are_one_line(isolated_home: Path, installed: Path) -> None:
    done = briefbot(
        "ask", "--article", "no-such-article", "Who?", home=isolated_home, site=installed
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("briefbot: error: no article named")
    assert "Traceback" not in done.stderr


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_list_ask_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    code, out, _ = run(capsys, "index", str(path), "--name", "Harbour Bridge")
    assert code == 0 and out.strip() == "harbour-bridge"
    code, out, _ = run(capsys, "index", str(path))
    assert out.strip() == "harbour-bridge-opens-after-five-years"
    code, out, _ = run(capsys, "list", "--json")
    names = {a["name"] for a in json.loads(out)}
    assert {"harbour-bridge", "north-korean-troops-in-russian-uniforms"} <= names
    code, out, _ = run(
        capsys, "ask", "--article", "harbour-bridge", "--json", "How much did the bridge cost?"
    )
    answer = json.loads(out)
    assert answer["short_answer"] == "240 million dollars"
    assert answer["citations"][0]["passage"] == "¶2"
    assert not answer["abstained"]


def test_batch_keeps_order_and_reports_bad_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        "\n".join(
            json.dumps(x)
            for x in (
                {"q": "How many containers did North Korea ship?"},
                {"question": "What did China say?"},
                {"q": ""},
                {"question": "Who will Austin and Kim meet on Thursday?"},
            )
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "ask", "--batch", str(batch), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 4
    assert rows[0]["citations"][0]["passage"] == "¶12"
    assert rows[1]["abstained"] is True
    assert "empty" in rows[2]["error"]
    assert rows[3]["citations"][0]["passage"] == "¶15"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ask", ""], "the question is empty"),
        (["ask", "x" * 5000], "limit is 1,000"),
        (["index", "/no/such/file.txt"], "no such file"),
        (["ask", "--article", "../../etc", "hi"], "invalid article name"),
        (["ask", "--batch", "/no/such.jsonl", "--json"], "cannot read"),
    ],
)
def test_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


def test_empty_and_binary_files_leave_the_store_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "list")  # indexes the default article
    _, before, _ = run(capsys, "list")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "pic.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    for bad in ("empty.txt", "pic.md"):
        code, _, err = run(capsys, "index", str(tmp_path / bad))
        assert code == 2 and "briefbot: error:" in err
    _, after, _ = run(capsys, "list")
    assert after == before
