"""The ± printed next to SAKURA accuracies, recomputed from the accuracies (protocols.md §12.3-4).

Published ± values: jaeeewon/project-multimodal ``results/sakura.md`` (commit 6aee32a1a87e), whose
``*-paper`` rows quote the SAKURA paper's accuracies with their ±, and whose SALMONN rows carry the
reproducers' own ± (their formula, n = 500). The accuracies are also checked against our golden
file ``golden/papers/sakura-2025.yaml``, so the ± test covers every SAKURA paper entry that prints one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from evaluators.judges.intervals import (
    jw_average_half_width,
    jw_half_width,
    sakura_average_plus_minus,
    sakura_plus_minus,
)
from evaluators.metrics.stats import wald_half_width

pytestmark = pytest.mark.judge

CELLS = ("Gender single", "Gender multi", "Language single", "Language multi", "Emotion single", "Emotion multi",
         "Animal single", "Animal multi", "Average single", "Average multi")

#: model (golden model name) -> the ten (accuracy, ±) cells of its ``*-paper`` row, in CELLS order
PAPER_ROWS: dict[str, list[tuple[float, float]]] = {
    "SALMONN (7.5B)": [(59.8, 4.3), (48.6, 4.4), (21.8, 3.6), (29.6, 4.0), (19.8, 3.5), (28.2, 3.9), (68.6, 4.1),
                       (34.6, 4.2), (42.5, 4.3), (35.3, 4.2)],
    "Qwen-Audio-Chat (8.4B)": [(49.6, 4.4), (43.8, 4.3), (87.6, 2.9), (40.6, 4.3), (63.2, 4.2), (37.0, 4.2),
                               (92.2, 2.4), (66.0, 4.2), (73.2, 3.9), (46.9, 4.4)],
    "Qwen2-Audio-Instruct (8.4B)": [(88.0, 2.8), (47.2, 4.4), (83.8, 3.2), (48.0, 4.4), (64.2, 4.2), (39.8, 4.3),
                                    (88.8, 2.8), (61.4, 4.3), (81.2, 3.4), (49.1, 4.4)],
}
#: the reproducers' own rows (judge Qwen3-8B): ± = 1.96·sqrt(p(1−p)/n + 1e−9), average = mean of track ±
JW_ROWS: dict[str, list[tuple[float, float]]] = {
    "SALMONN-13B": [(53.8, 4.4), (49.0, 4.4), (22.0, 3.6), (22.0, 3.6), (31.0, 4.1), (31.8, 4.1), (73.0, 3.9),
                    (46.4, 4.4), (45.0, 4.0), (37.3, 4.1)],
    "SALMONN-7B": [(60.0, 4.3), (48.8, 4.4), (20.6, 3.5), (29.4, 4.0), (19.6, 3.5), (28.2, 3.9), (68.0, 4.1),
                   (34.6, 4.2), (42.0, 3.9), (35.2, 4.1)],
}


@pytest.mark.parametrize(("accuracy", "plus_minus"), [(59.8, 4.3), (21.8, 3.6), (19.8, 3.5), (68.6, 4.1)])
def test_protocols_md_pairs(accuracy: float, plus_minus: float) -> None:
    assert sakura_plus_minus(accuracy) == plus_minus


def test_average_uses_the_averaged_accuracy_with_n_500() -> None:
    salmonn = [59.8, 21.8, 19.8, 68.6]
    assert sakura_average_plus_minus(salmonn) == 4.3
    assert round(sum(sakura_plus_minus(p) for p in salmonn) / 4, 1) == 3.9          # mean of the four: not it
    assert round(100 * wald_half_width(0.425, 2000), 1) == 2.2                       # n = 2,000: not it
    assert sakura_average_plus_minus([88.0, 83.8, 64.2, 88.8]) == 3.4                # Qwen2-Audio average 81.2


@pytest.mark.parametrize("model", sorted(PAPER_ROWS))
def test_every_paper_cell_reproduces_its_plus_minus(model: str) -> None:
    cells = PAPER_ROWS[model]
    for name, (accuracy, plus_minus) in zip(CELLS, cells, strict=True):
        assert sakura_plus_minus(accuracy) == plus_minus, f"{model} {name}"
    for hop, offset in (("single", 0), ("multi", 1)):
        tracks = [cells[2 * track + offset][0] for track in range(4)]
        average, average_pm = cells[8 + offset]
        # the printed average is the mean of the (exact, n = 500) track accuracies rounded half up
        assert abs(sum(tracks) / 4 - average) <= 0.05 + 1e-9, f"{model} average {hop}"
        assert sakura_average_plus_minus(tracks) == average_pm, f"{model} average {hop}"


@pytest.mark.parametrize("model", sorted(JW_ROWS))
def test_reproducer_rows_use_their_own_formula(model: str) -> None:
    cells = JW_ROWS[model]
    for name, (accuracy, plus_minus) in zip(CELLS[:8], cells[:8], strict=True):
        assert round(100 * jw_half_width(accuracy / 100, 500), 1) == plus_minus, f"{model} {name}"
    for offset in (0, 1):
        tracks = [cells[2 * track + offset][0] / 100 for track in range(4)]
        assert round(100 * jw_average_half_width(tracks, [500] * 4), 1) == cells[8 + offset][1]


def test_golden_sakura_entries_match_the_quoted_rows() -> None:
    path = Path(__file__).resolve().parents[2] / "golden" / "papers" / "sakura-2025.yaml"
    if not path.is_file():
        pytest.skip(f"golden file {path} not present")
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]
    checked = 0
    for entry in entries:
        rows = PAPER_ROWS.get(entry["model"])
        if rows is None:
            continue
        cell = CELLS.index(entry["task"].replace("-hop", ""))
        accuracy, plus_minus = rows[cell]
        assert entry["value"] == accuracy, entry["id"]
        assert sakura_plus_minus(entry["value"]) == plus_minus, entry["id"]
        checked += 1
    assert checked == 30
