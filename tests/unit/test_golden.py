"""The golden registry: schema validation with precise errors, tolerance rule, units, grouping, provenance."""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from evaluators import golden
from evaluators.cli import main as cli_main
from evaluators.errors import GoldenFormatError
from evaluators.golden import (
    GoldenEntry,
    comparison_groups,
    load_all,
    load_file,
    rounding_tolerance,
    to_published_unit,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "golden"
PROTOCOLS_MD = ROOT / "docs" / "protocols.md"
TOY_ID = "toy-model-7b/toyspeech-test-clean/wer"


# ----------------------------------------------------------------------------------------------
# malformed files: each error names file, entry id and field

MALFORMED = [
    ("bad-unit", f"bad-unit/{TOY_ID}", "unit"),
    ("missing-status", f"missing-status/{TOY_ID}", "status"),
    ("printed-mismatch", f"printed-mismatch/{TOY_ID}", "value"),
    ("id-prefix", f"other-file/{TOY_ID}", "id"),
    ("differs-without-reason", f"differs-without-reason/{TOY_ID}", "reason"),
    ("unknown-field", f"unknown-field/{TOY_ID}", "valeu"),
    ("bad-direction", f"bad-direction/{TOY_ID}", "direction"),
    ("reproduces-without-predictions", f"reproduces-without-predictions/{TOY_ID}", "predictions"),
    ("duplicate-in-file", f"duplicate-in-file/{TOY_ID}", "id"),
    ("bad-citation", f"bad-citation/{TOY_ID}", "citation.test_data"),
    ("file-name-mismatch", None, "file"),
]


@pytest.mark.parametrize(("name", "entry", "field"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_file_is_rejected_naming_file_entry_and_field(name: str, entry: str | None, field: str) -> None:
    path = FIXTURES / f"{name}.yaml"
    with pytest.raises(GoldenFormatError) as caught:
        load_file(path)
    error = caught.value
    assert error.path == str(path)
    assert error.entry == entry
    assert error.field == field
    assert str(path) in str(error) and f"'{field}'" in str(error)
    if entry:
        assert entry in str(error)


def test_invalid_yaml_names_file_and_line() -> None:
    with pytest.raises(GoldenFormatError, match=r"not-yaml\.yaml: not valid YAML \(line \d+\)"):
        load_file(FIXTURES / "not-yaml.yaml")


def test_duplicate_id_across_files_is_rejected() -> None:
    first, second = (FIXTURES / "duplicate-across" / side / "toy-2025.yaml" for side in ("a", "b"))
    with pytest.raises(GoldenFormatError) as caught:
        load_all([first, second])
    assert caught.value.path == str(second) and caught.value.field == "id"
    assert f"toy-2025/{TOY_ID}" in str(caught.value) and str(first) in str(caught.value)


def test_dangling_link_is_rejected() -> None:
    with pytest.raises(GoldenFormatError) as caught:
        load_all([FIXTURES / "dangling-link.yaml"])
    assert caught.value.field == "remeasures" and "toy-2025/no-such/entry/wer" in str(caught.value)


def test_valid_files_load_into_frozen_entries() -> None:
    entries = load_all(sorted((FIXTURES / "valid").glob("*.yaml")))
    assert [e.id for e in entries] == [f"toy-2025/{TOY_ID}", "toy-2025/toy-model-7b/toyspeech-test-other/wer",
                                       "toy-citing-2026/toy-model-7b/toyspeech-test-other/wer"]
    first = entries[0]
    assert isinstance(first, GoldenEntry)
    assert first.predictions is not None and first.predictions.file == "toy/predictions.json"
    assert first.protocol == "ASR-AB" and first.tolerance == pytest.approx(0.005)
    with pytest.raises(AttributeError):
        first.value = 1.0  # type: ignore[misc]
    assert entries[2].remeasures == entries[1].id and entries[2].citation.test_data == "unknown"


def test_cli_validate_rejects_a_malformed_file_with_file_id_and_field(capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "bad-unit.yaml"
    assert cli_main(["golden", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and f"bad-unit/{TOY_ID}" in err and "'unit'" in err


def test_cli_validate_and_list_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["golden", "validate"]) == 0
    assert re.search(r"ok: \d+ entries in \d+ files", capsys.readouterr().out)
    assert cli_main(["golden", "list", "--filter", "r1-aqa-2025", "--status", "reproduces"]) == 0
    out = capsys.readouterr().out
    assert "r1-aqa-2025/r1-aqa/mmau-average-test-mini/accuracy" in out and "64.50" in out
    assert "mmau-music" not in out  # that one is `differs`


# ----------------------------------------------------------------------------------------------
# tolerance rule and units (hand-computed)

@pytest.mark.parametrize(("printed", "expected"), [
    ("55.58", 0.005), ("2.1", 0.05), ("60", 0.5), ("64.50", 0.005), ("0.94", 0.005), ("82.57", 0.005),
    ("0.0", 0.05), ("34.35271", 0.000005),
    ("0.555834307918663", 1e-12),  # half a unit is 5e-16: the floating-point floor applies
])
def test_rounding_tolerance_is_half_a_unit_of_the_last_printed_digit(printed: str, expected: float) -> None:
    assert rounding_tolerance(printed) == pytest.approx(expected, rel=1e-12)


def test_explicit_tolerance_wins() -> None:
    entry = load_file(FIXTURES / "valid" / "toy-2025.yaml")[0]
    assert golden.tolerance(entry) == pytest.approx(0.005)
    wider = GoldenEntry(**{**entry.__dict__, "explicit_tolerance": 0.5})
    assert golden.tolerance(wider) == 0.5 and golden.within_tolerance(56.0, wider)
    assert not golden.within_tolerance(55.586, entry) and golden.within_tolerance(55.584, entry)


@pytest.mark.parametrize(("value", "metric_unit", "published_unit", "expected"), [
    (0.555834307918663, "fraction", "percent", 55.5834307918663),
    (55.58, "percent", "fraction", 0.5558),
    (0.645, "fraction", "fraction", 0.645),
    (33.1, "bleu", "bleu", 33.1),
    (33.1, "bleu", "percent", 33.1),
    (6.16, "score", "score", 6.16),
])
def test_unit_conversion(value: float, metric_unit: str, published_unit: str, expected: float) -> None:
    assert to_published_unit(value, metric_unit, published_unit) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(("metric_unit", "published_unit"), [("fraction", "bleu"), ("fraction", "score"),
                                                             ("percent", "count")])
def test_unit_conversion_refuses_other_scales(metric_unit: str, published_unit: str) -> None:
    with pytest.raises(ValueError, match="cannot convert"):
        to_published_unit(0.5, metric_unit, published_unit)


def test_comparison_groups_put_papers_side_by_side() -> None:
    entries = load_all(sorted((FIXTURES / "valid").glob("*.yaml")))
    groups = comparison_groups(entries)
    assert [(g["model"], g["dataset"], g["split"], g["metric"]) for g in groups] == [
        ("toy-model-7b", "toyspeech", "test-clean", "wer"), ("toy-model-7b", "toyspeech", "test-other", "wer")]
    other = groups[1]
    assert [(v["id"].split("/")[0], v["value"], v["unit"]) for v in other["values"]] == [
        ("toy-2025", 4.9, "percent"), ("toy-citing-2026", 5.3, "percent")]
    assert set(other["values"][0]) >= {"id", "paper", "value", "unit", "source"}
    assert len(comparison_groups(entries, min_papers=2)) == 1


# ----------------------------------------------------------------------------------------------
# the real registry

def test_registry_loads_and_ids_are_unique() -> None:
    entries = golden.all_entries()
    assert len({e.id for e in entries}) == len(entries) > 600
    assert {e.status for e in entries} <= set(golden.STATUSES)


def _converter():
    """golden/import_paper_values.py, the importer of the paper-values registry (not a package module)."""
    sys.path.insert(0, str(ROOT / "golden"))
    try:
        import import_paper_values
    finally:
        sys.path.pop(0)
    return import_paper_values


def test_every_verified_value_of_paper_values_is_encoded_once() -> None:
    """Each number of the stamped snapshot of the imported registry is in the golden files once, as printed."""
    stamps, rows = _converter().read_snapshot()  # raises when the rows do not match their sha256 stamp
    assert len(rows) == int(stamps["verified"]) == 634 and len(stamps["source_sha256"]) == 64
    fields = list(rows[0])
    assert fields == ["arxiv", "table", "model", "task", "dataset", "split", "metric", "direction", "value", "n"]
    snapshot = Counter(tuple(row[field] for field in fields) for row in rows)
    encoded = [e for e in golden.all_entries() if e.origin == "paper-values"]
    in_golden = Counter((e.arxiv, e.table, e.model, e.task, e.dataset, e.split, e.metric, e.direction, e.printed,
                         "" if e.n is None else str(e.n)) for e in encoded)
    assert len(encoded) == 634
    assert in_golden == snapshot, (f"in golden only: {sorted(in_golden - snapshot)[:3]}, "
                                   f"in the snapshot only: {sorted(snapshot - in_golden)[:3]}")


def test_snapshot_edited_by_hand_is_refused(tmp_path: Path) -> None:
    converter = _converter()
    text = converter.SNAPSHOT.read_text(encoding="utf-8")
    edited = tmp_path / "snapshot.tsv"
    edited.write_text(text.replace("\t2.1\t", "\t2.2\t", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="do not match their sha256 stamp"):
        converter.read_snapshot(edited)


def test_checked_entries_name_registered_protocols_and_known_formats() -> None:
    from evaluators.predictions import FORMATS
    from evaluators.protocols import get_protocol

    checked = [e for e in golden.all_entries() if e.status in ("reproduces", "differs")]
    assert len(checked) >= 20
    for entry in checked:
        assert entry.predictions is not None, entry.id
        get_protocol(entry.protocol)  # raises UnknownProtocolError naming close ids
        assert entry.predictions.format in FORMATS, entry.id


def test_candidate_protocol_ids_are_registered_and_documented() -> None:
    """Every protocol id a golden entry names (candidates, citation audit) is registered and has its own
    heading in the catalogue of the repository's docs/protocols.md."""
    from evaluators.errors import UnknownProtocolError
    from evaluators.protocols import get_protocol

    documented = set(re.findall(r"^#### `([^`]+)`$", PROTOCOLS_MD.read_text(encoding="utf-8"), re.MULTILINE))
    assert len(documented) > 100
    named = 0
    for entry in golden.all_entries():
        for protocol in entry.protocols + ((entry.citation.protocol,) if entry.citation and entry.citation.protocol
                                            else ()):
            named += 1
            assert protocol in documented, f"{entry.id}: {protocol} has no entry in {PROTOCOLS_MD}'s catalogue"
            try:
                get_protocol(protocol)
            except UnknownProtocolError:
                pytest.fail(f"{entry.id}: {protocol} is not a registered protocol")
    assert named > 600


def test_second_sources_link_to_what_they_remeasure() -> None:
    by_id = {e.id: e for e in golden.all_entries()}
    links = [e for e in by_id.values() if e.remeasures or e.quotes]
    assert len(links) > 50
    for entry in links:
        target = by_id[entry.remeasures or entry.quotes]
        assert target.metric_key == entry.metric_key and target.model_key in (entry.model_key, "salmonn-13b",
                                                                              "r1-aqa"), entry.id
    assert by_id["salmonn-repro-jaeeewon/salmonn-13b/librispeech-test-clean/wer"].remeasures == \
        "salmonn-2024/salmonn-13b/librispeech-test-clean/wer"
    assert by_id["qwen2-audio-2024/salmonn-13b/librispeech-test-clean/wer"].quotes == \
        "salmonn-2024/salmonn-13b/librispeech-test-clean/wer"


def test_citation_audit_covers_every_number_reported_for_another_papers_model() -> None:
    audit = {row["id"]: row for row in golden.citation_audit()}
    for entry in golden.all_entries():
        if entry.model_key.startswith("salmonn") and entry.paper_key != "salmonn-2024":
            assert entry.id in audit, f"{entry.id} reports SALMONN but has no citation audit"
    row = audit["audiobench-2024/salmonn-7b/librispeech-test-clean/wer"]
    assert (row["test_data"], row["eval_code"], row["protocol"]) == ("different", "AudioLLMs/AudioBench", "ASR-AB")
    assert audit["typhoon2-2024/salmonn-13b/typhoon2-en-unnamed/wer"]["test_data"] == "unknown"


def test_citations_file_lists_the_required_works_and_existing_golden_files() -> None:
    data = yaml.safe_load((ROOT / "golden" / "citations.yaml").read_text(encoding="utf-8"))
    works = data["works"]
    statuses = {"numbers encoded", "no SALMONN numbers", "not accessible"}
    required = ["AIR-Bench", "Qwen2-Audio", "AudioBench", "MuChoMusic", "MMAU", "FunAudioLLM", "VoxtLM",
                "video-SALMONN", "SALMon", "Towards Holistic Evaluation", "Are you really listening",
                "Investigating Modality Contribution", "Leveraging Content and Acoustic Representations",
                "Audio Flamingo 2", "DiVA", "Typhoon", "On the Landscape of Spoken Language Models",
                "Recent Advances in Speech Language Models", "CMI-Bench", "SAKURA"]
    for name in required:
        assert any(name in work["work"] for work in works), name
    files = {path.stem for path in golden.golden_files()}
    named = set()
    for work in works:
        assert work["status"] in statuses, work["work"]
        if work["status"] == "numbers encoded":
            assert work["golden"] and set(work["golden"]) <= files, work["work"]
            named |= set(work["golden"])
    assert files - named <= {"salmonn-2024", "qwen-audio-2023"}  # SALMONN itself; Qwen-Audio is not in the list


# ----------------------------------------------------------------------------------------------
# the converter keeps curated fields

def test_converter_rerun_changes_nothing_and_keeps_curated_fields(tmp_path: Path) -> None:
    """Converting the rows the golden files were generated from gives the golden files back (their
    machine-derived fields follow the rules), and a re-run keeps curated fields and restores derived ones."""
    converter = _converter()
    rows = converter.rows_from_golden()
    assert len(rows) == 634
    assert converter.convert(rows, ROOT / "golden" / "papers", check=True)[0] == []
    assert converter.main(["--from-golden", "--check"]) == 0
    out = tmp_path / "papers"
    shutil.copytree(ROOT / "golden" / "papers", out)
    path = out / "audiobench-2024.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["entries"][0]["status"] = "differs"
    document["entries"][0]["reason"] = "curated by a person"
    document["entries"][0]["value"] = 0.1  # a machine-derived field: the re-run restores it
    document["entries"][1]["model_key"] = "salmonn-13b"  # so is a key
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    assert converter.convert(rows, out, check=True)[0] == ["audiobench-2024.yaml"]
    assert converter.convert(rows, out, check=False)[0] == ["audiobench-2024.yaml"]
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]
    assert (entries[0]["status"], entries[0]["reason"], entries[0]["value"]) == ("differs", "curated by a person",
                                                                                 0.555834307918663)
    assert entries[0]["printed"] == "0.555834307918663" and entries[1]["model_key"] == "salmonn-7b"


def test_converter_writes_a_stamped_snapshot_of_its_source(tmp_path: Path) -> None:
    """The snapshot records the source's sha256 and its verified rows; null-valued rows are left out."""
    converter = _converter()
    source = tmp_path / "values.yaml"
    source.write_text(yaml.safe_dump([
        {"paper": "SALMONN: Towards X", "arxiv": "2310.13289", "table": "Table 3", "model": "SALMONN-13B",
         "task": "ASR", "dataset": "LibriSpeech", "split": "test-clean", "metric": "%WER", "direction": "lower",
         "value": 2.10, "n": None, "source": "somewhere", "note": ""},
        {"paper": "SALMONN: Towards X", "arxiv": "2310.13289", "table": "Table 3", "model": "SALMONN-13B",
         "task": "ASR", "dataset": "LibriSpeech", "split": "test-other", "metric": "%WER", "direction": "lower",
         "value": None, "n": None, "source": "somewhere", "note": "UNVERIFIED"}]).replace("2.1\n", "2.10\n"),
        encoding="utf-8")
    snapshot, out = tmp_path / "snapshot.tsv", tmp_path / "papers"
    out.mkdir()
    assert converter.main(["--source", str(source), "--out", str(out), "--snapshot", str(snapshot)]) == 0
    stamps, rows = converter.read_snapshot(snapshot)
    assert stamps == {"source": "values.yaml", "source_rows": "2", "verified": "1",
                      "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest()}
    assert [(row["split"], row["value"], row["n"]) for row in rows] == [("test-clean", "2.10", "")]
    assert converter.main(["--source", str(source), "--out", str(out), "--snapshot", str(snapshot), "--check"]) == 0


# ----------------------------------------------------------------------------------------------
# the verdict rule of the paper_values tests

@pytest.mark.parametrize(("status", "measured", "action", "reproduces"), [
    ("reproduces", 55.584, "pass", True),
    ("reproduces", 55.59, "fail", False),
    ("differs", 52.90, "xfail", False),
    ("differs", 55.576, "fail", True),      # strict: a `differs` entry that starts reproducing fails
    ("unknown", 55.58, "skip", True),
    ("unknown", 60.0, "skip", False),
])
def test_expected_outcome(status: str, measured: float, action: str, reproduces: bool) -> None:
    entry = load_file(FIXTURES / "valid" / "toy-2025.yaml")[0]  # published 55.58 %, tolerance 0.005
    entry = GoldenEntry(**{**entry.__dict__, "status": status, "reason": "fixture"})
    outcome = golden.expected_outcome(entry, measured)
    assert (outcome.action, outcome.reproduces) == (action, reproduces)
    assert "55.58" in outcome.message and f"{measured:.10g}" in outcome.message
    if status == "differs" and reproduces:
        assert "now reproduces" in outcome.message


def test_side_by_side_view_of_salmonn_librispeech_test_clean() -> None:
    """The citation view for one number: the paper, two READMEs quoting it and the reproduction."""
    groups = {(g["model"], g["dataset"], g["split"], g["metric"]): g for g in comparison_groups(min_papers=2)}
    group = groups[("salmonn-13b", "librispeech", "test-clean", "wer")]
    rows = sorted((v["id"].split("/")[0], v["printed"], v["unit"]) for v in group["values"])
    assert rows == [("qwen-audio-2023", "2.1", "percent"), ("qwen2-audio-2024", "2.1", "percent"),
                    ("salmonn-2024", "2.1", "percent"), ("salmonn-repro-jaeeewon", "2.24", "percent")]
    audiobench = groups[("salmonn-7b", "librispeech", "test-clean", "wer")]
    assert sorted(v["id"] for v in audiobench["values"]) == [
        "audiobench-2024/salmonn-7b/librispeech-test-clean-run-0e689b4/wer",
        "audiobench-2024/salmonn-7b/librispeech-test-clean/wer",
        "audiobench-2025/salmonn-7b/librispeech-test-clean/wer",
        "audiobench-paper/salmonn-7b/librispeech-test-clean-asr-prompt-sensitivity-prompt-1/wer",
        "audiobench-paper/salmonn-7b/librispeech-test-clean-asr-prompt-sensitivity-prompt-2/wer",
        "audiobench-paper/salmonn-7b/librispeech-test-clean-asr-prompt-sensitivity-prompt-3/wer"]


# ----------------------------------------------------------------------------------------------
# values a schema cannot bound (issue 14, finding 7): each one used to validate as "ok"

def _variant(tmp_path: Path, replace: dict[str, str]) -> Path:
    """The valid toy file with textual replacements, written under tmp_path with its own name."""
    text = (FIXTURES / "valid" / "toy-2025.yaml").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "toy-2025.yaml"
    path.write_text(text, encoding="utf-8")
    return path


ACCURACY = {"metric_key: wer": "metric_key: accuracy", "direction: lower": "direction: higher"}
BAD_VALUES = {
    "infinite-tolerance": ({"  reason: fixture": "  reason: fixture\n  tolerance: .inf"}, "tolerance", "finite"),
    "nan-tolerance": ({"  reason: fixture": "  reason: fixture\n  tolerance: .nan"}, "tolerance", "finite"),
    "accuracy-over-100": ({**ACCURACY, "value: 55.58": "value: 693.7", "printed: '55.58'": "printed: '693.7'"},
                          "value", "outside 0..100"),
    "fraction-in-percent": ({**ACCURACY, "value: 55.58": "value: 0.853", "printed: '55.58'": "printed: '0.853'"},
                            "value", "looks like a fraction"),
    "duplicate-yaml-key": ({"  status: reproduces": "  status: differs\n  status: reproduces"}, None,
                           "duplicate key 'status'"),
}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_values_a_schema_cannot_bound_are_rejected(tmp_path: Path, case: str) -> None:
    replace, field, message = BAD_VALUES[case]
    with pytest.raises(GoldenFormatError, match=message) as caught:
        load_file(_variant(tmp_path, replace))
    assert caught.value.field == field


@pytest.mark.parametrize(("replace", "message"), [
    ({"  - ASR-AB": "  - ASR-NO-SUCH"}, "unknown protocol id 'ASR-NO-SUCH'"),
    ({"format: audiobench-raw": "format: no-such-format"}, "unknown prediction format 'no-such-format'"),
])
def test_validate_refuses_unregistered_protocols_and_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             replace: dict[str, str], message: str) -> None:
    path = _variant(tmp_path, replace)
    assert cli_main(["golden", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"audiorepro: error: {path}, entry toy-2025/{TOY_ID}") and message in err


def test_validate_refuses_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["golden", "validate", str(tmp_path)]) == 2
    assert "no golden files" in capsys.readouterr().err


def test_yaml_aliases_are_refused_before_they_expand(tmp_path: Path) -> None:
    """An 8-level alias bomb (9^8 leaves once expanded) took 5.7 s and 560 MB; now one cheap error."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\nfile: bomb\nentries: *a8\n", encoding="utf-8")
    with pytest.raises(GoldenFormatError, match="aliases .* are not allowed"):
        load_file(path)


def test_registry_entries_with_predictions_name_registered_protocols_and_formats() -> None:
    golden.check_references(golden.all_entries())
