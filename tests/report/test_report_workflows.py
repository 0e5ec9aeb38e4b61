"""The GitHub workflows run what the README and the nightly contract promise."""

from __future__ import annotations

from pathlib import Path

import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def commands(job: dict) -> list[str]:
    return [step.get("run", "") for step in job["steps"]]


def test_ci_runs_the_readme_test_command_on_push_and_pr():
    workflow = load("ci.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    (job,) = workflow["jobs"].values()
    runs = commands(job)
    system = next(index for index, run in enumerate(runs) if run.startswith("sudo make system-deps"))
    assert system < runs.index("make test")
    assert any("audiorepro fetch" in run for run in runs)
    assert "make test" in (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_nightly_reports_uploads_and_gates_on_status_changes_only():
    workflow = load("nightly.yml")
    assert "schedule" in workflow["on"]
    (job,) = workflow["jobs"].values()
    steps = {step.get("name", step.get("uses", "")): step for step in job["steps"]}
    report_step = steps["Paper values (make report)"]
    assert "make report" in report_step["run"] and "set +e" in report_step["run"]  # judged by the gate, not here
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "always()" and "REPORT_DIR" in upload["with"]["path"]
    gate = job["steps"][-1]
    assert "audiorepro report --check" in gate["run"]
    fetch = steps["Fetch missing public prediction sets (sha256-checked)"]
    assert "audiorepro fetch" in fetch["run"] and "continue-on-error" not in fetch  # no data: its own red step
