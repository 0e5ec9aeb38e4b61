"""results.json validates against the committed schema; bad files are rejected naming file and result."""

from __future__ import annotations

import json

import jsonschema
import pytest

from evaluators.report.model import Report, ReportFormatError
from evaluators.report.schema import SCHEMA_PATH, load_results, results_schema, validate_results
from evaluators.report.writer import write_report


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(results_schema())
    assert SCHEMA_PATH.name == "results.schema.json"


def test_written_results_validate(sample_report, tmp_path):
    write_report(sample_report, tmp_path)
    data = json.loads((tmp_path / "results.json").read_text())
    jsonschema.validate(data, results_schema())  # the library itself, not only our wrapper
    assert data["counts"]["total"] == 4
    assert load_results(tmp_path / "results.json").to_dict() == Report.from_dict(data).to_dict()


def test_empty_report_validates():
    validate_results(Report().to_dict())


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d["results"][1].update(status="great"), "at results/1/status (result 'audiobench-2024/"),
    (lambda d: d["results"][0].pop("published"), "'published' is a required property"),
    (lambda d: d["results"][0].update(interval=[1.0]), "at results/0/interval"),
    (lambda d: d.pop("counts"), "'counts' is a required property"),
    (lambda d: d.update(schema_version=2), "at schema_version"),
])
def test_invalid_results_name_file_and_place(sample_report, tmp_path, mutate, message):
    data = sample_report.to_dict()
    mutate(data)
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ReportFormatError) as error:
        load_results(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_not_json_and_missing_file(tmp_path):
    path = tmp_path / "results.json"
    path.write_text("{not json")
    with pytest.raises(ReportFormatError, match=r"results.json: not valid JSON \(line 1"):
        load_results(path)
    with pytest.raises(ReportFormatError, match="no such file"):
        load_results(tmp_path / "missing.json")
