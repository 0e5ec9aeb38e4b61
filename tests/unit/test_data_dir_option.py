"""A data directory named explicitly (``--data-dir`` or ``$AUDIOREPRO_DATA``) that does not exist is an error.

Issue 14, finding 5: a mistyped folder used to turn all 650 paper_values tests into skips (exit 0).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluators import sources

pytest_plugins = ["pytester"]


def test_data_env_naming_a_missing_folder_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv(sources.DATA_ENV, str(tmp_path / "typo"))
    with pytest.raises(sources.MissingDataError, match="AUDIOREPRO_DATA names .*typo"):
        sources.data_dir_from_env()
    with pytest.raises(sources.MissingDataError):
        sources.locate_data_dir()


def test_the_suite_errors_instead_of_skipping_on_a_mistyped_data_dir(pytester, tmp_path, monkeypatch):
    """The repository's own ``data_dir`` fixture: a typo is an error for every data test, never 650 skips."""
    monkeypatch.delenv(sources.DATA_ENV, raising=False)
    pytester.makeconftest((Path(__file__).parents[2] / "conftest.py").read_text()
                          .replace('pytest_plugins = ["evaluators.report.plugin"]', "pytest_plugins = []"))
    pytester.makepyfile(test_data="def test_needs_data(require_data_dir):\n    pass\n")
    run = pytester.runpytest("-p", "no:cacheprovider", f"--data-dir={tmp_path / 'typo'}")
    run.assert_outcomes(errors=1)
    run.stdout.fnmatch_lines(["*MissingDataError: data directory *typo does not exist*"])
    monkeypatch.setenv(sources.DATA_ENV, str(tmp_path / "typo"))
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(errors=1)
