"""Citation audit: is a number quoted for a model comparable to the model's own?

Entries are grouped by (model, dataset, split, metric) with :func:`evaluators.golden.comparison_groups`;
each group with values from several papers becomes one test that puts every paper's value side by side in
one unit (attached for the report under ``audiorepro_citation_group``) and checks what can be checked
without predictions:

* a value that says it *quotes* another paper's entry equals that entry (to the rounding of both);
* every value converts into the group's unit (a WER fraction next to a WER percent is fine, a judge score
  next to a percentage is not);
* the citation audit of a number reported for another paper's model names a test-data verdict and, when
  it names evaluation code, a protocol id.
"""

from __future__ import annotations

import pytest

from evaluators import golden
from evaluators.golden import to_published_unit

pytestmark = pytest.mark.paper_values

CITATION_PROPERTY_KEY = "audiorepro_citation_group"
ENTRIES = {entry.id: entry for entry in golden.all_entries()}
GROUPS = golden.comparison_groups(ENTRIES.values(), min_papers=2)


def _group_id(group: dict) -> str:
    return f"{group['model']}/{group['dataset']}-{group['split']}/{group['metric']}"


@pytest.mark.parametrize("group", GROUPS, ids=[_group_id(g) for g in GROUPS])
def test_side_by_side(group: dict, request: pytest.FixtureRequest) -> None:
    members = [ENTRIES[value["id"]] for value in group["values"]]
    unit = members[0].unit
    rows = []
    for entry in members:
        rows.append({"id": entry.id, "paper": entry.paper, "printed": entry.printed, "unit": entry.unit,
                     "value_in_group_unit": to_published_unit(entry.value, entry.unit, unit),
                     "status": entry.status, "quotes": entry.quotes, "remeasures": entry.remeasures,
                     "test_data": entry.citation.test_data if entry.citation else None,
                     "eval_code": entry.citation.eval_code if entry.citation else None,
                     "protocol": entry.citation.protocol if entry.citation else entry.protocol})
    request.node.user_properties.append((CITATION_PROPERTY_KEY, {**group, "unit": unit, "rows": rows}))

    for entry in members:
        if entry.quotes:
            original = ENTRIES[entry.quotes]
            quoted = to_published_unit(entry.value, entry.unit, original.unit)
            assert abs(quoted - original.value) <= max(entry.tolerance, original.tolerance), (
                f"{entry.id} says it quotes {original.id} but prints {entry.printed} vs {original.printed}")
        if entry.citation is not None:
            assert entry.citation.test_data in ("same", "different", "unknown")
            if entry.citation.eval_code and entry.model_key.startswith("salmonn"):
                assert entry.citation.protocol, f"{entry.id}: evaluation code named without its protocol id"


def test_audit_of_salmonn_numbers_in_other_papers() -> None:
    """Every SALMONN number outside the SALMONN paper has an audit row; counts per verdict are stable facts."""
    rows = [row for row in golden.citation_audit(ENTRIES.values()) if row["model"].upper().startswith("SALMONN")]
    by_paper: dict[str, set[str]] = {}
    for row in rows:
        by_paper.setdefault(row["id"].split("/")[0], set()).add(row["test_data"])
    # no other paper's SALMONN number is on the paper's own test set, except values copied from the paper
    assert by_paper["qwen2-audio-2024"] >= {"same"} and by_paper["qwen-audio-2023"] == {"same"}
    for paper in ("air-bench-2024", "audiobench-2024", "audiobench-2025", "mmau-2024", "mmau-2025",
                  "muchomusic-2024", "sakura-2025"):
        assert by_paper[paper] == {"different"}, paper
    assert by_paper["typhoon2-2024"] == {"unknown"}
