"""Suite-wide pytest options and fixtures.

Options:
  --gpu         run determinism tests on CUDA (tests marked ``gpu`` are skipped without it)
  --data-dir    folder holding the public prediction sets (default: env AUDIOREPRO_DATA)
  --report-dir  where the reproduction report is written (default: reports/)
  --run         your own run (manifest YAML or result directory): ``pytest -m paper_values --run RUN`` adds one
                test per matched published number and protocol, and a "Your run" report section

Nothing in the suite touches the network: hub look-ups are switched off here, before any test
module imports transformers or huggingface_hub.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent

pytest_plugins = ["evaluators.report.plugin"]  # writes reports/ from paper_values results


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("audiorepro")
    group.addoption("--gpu", action="store_true", default=False,
                    help="run determinism tests on a CUDA device and compare with the cuda snapshots")
    group.addoption("--snapshot-replace-device", action="store_true", default=False,
                    help="let --snapshot-update rewrite snapshots taken on another device model (GPU/CPU); "
                         "without it they are only checked and the check is recorded")
    group.addoption("--data-dir", default=os.environ.get("AUDIOREPRO_DATA"),
                    help="folder with the public prediction sets (default: $AUDIOREPRO_DATA)")
    group.addoption("--report-dir", default=os.environ.get("AUDIOREPRO_REPORT_DIR", str(ROOT / "reports")),
                    help="where the reproduction report is written (default: reports/)")
    group.addoption("--run", default=os.environ.get("AUDIOREPRO_RUN") or None,
                    help="your run (manifest YAML or directory, docs/run-manifest.md): check it against every "
                         "matching published number (tests/paper_values/test_your_run.py)")


def pytest_configure(config: pytest.Config) -> None:
    """A bad ``--run`` stops the session at once with one line naming the file and field (exit status 4)."""
    run = config.getoption("--run", default=None)
    if run:
        from evaluators.errors import AudioreproError
        from evaluators.run_manifest import load_run

        try:
            load_run(run)
        except AudioreproError as error:
            raise pytest.UsageError(f"--run {run}: {error}") from None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--gpu"):
        return
    skip_gpu = pytest.mark.skip(reason="needs --gpu (a CUDA device)")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip_gpu)


@pytest.fixture(scope="session")
def use_gpu(request: pytest.FixtureRequest) -> bool:
    """True when the run was started with --gpu."""
    return bool(request.config.getoption("--gpu"))


@pytest.fixture(scope="session")
def data_dir(request: pytest.FixtureRequest) -> Path | None:
    """The public prediction data directory, or None when not configured (tests then skip).

    --data-dir, else $AUDIOREPRO_DATA, else the `audiorepro fetch` cache if it holds files. A data
    directory named explicitly (option or variable) that does not exist is an error, never a skip.
    """
    from evaluators.sources import locate_data_dir

    return locate_data_dir(request.config.getoption("--data-dir") or None)


@pytest.fixture
def require_data_dir(data_dir: Path | None) -> Path:
    """The data directory; skips the test with a precise reason when it is absent."""
    if data_dir is None:
        pytest.skip("no public prediction data directory: run `audiorepro fetch` (needs network), "
                    "or set AUDIOREPRO_DATA / pass --data-dir to a folder holding the public prediction sets")
    return data_dir


@pytest.fixture(scope="session")
def report_dir(request: pytest.FixtureRequest) -> Path:
    return Path(request.config.getoption("--report-dir")).expanduser()


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return ROOT / "fixtures"
