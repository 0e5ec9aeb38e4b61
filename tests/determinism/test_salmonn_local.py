"""SALMONN from a local checkout: configuration errors are named; the real run needs the user's paths."""

from __future__ import annotations

import numpy as np
import pytest

from runners.salmonn_local import ENVIRONMENT, SalmonnPaths, SalmonnUnavailableError, prepare_batch

pytestmark = pytest.mark.determinism


def test_missing_environment_names_the_variables():
    with pytest.raises(SalmonnUnavailableError, match="AUDIOREPRO_SALMONN_REPO.*AUDIOREPRO_SALMONN_VICUNA"):
        SalmonnPaths.from_environment({})


def test_missing_path_is_named(tmp_path):
    environ = {variable: str(tmp_path) for variable in ENVIRONMENT.values()}
    environ["AUDIOREPRO_SALMONN_CKPT"] = str(tmp_path / "salmonn_v1.pth")
    paths = SalmonnPaths.from_environment(environ)
    with pytest.raises(SalmonnUnavailableError, match=r"SALMONN ckpt not found: .*salmonn_v1\.pth"):
        paths.check()


def test_a_folder_without_salmonn_code_is_not_a_checkout(tmp_path):
    paths = SalmonnPaths(*(tmp_path for _ in range(5)))
    with pytest.raises(SalmonnUnavailableError, match="is not a SALMONN checkout: no models/salmonn.py"):
        paths.check()


def test_prepare_batch_pads_to_one_second_and_masks_padding():
    from transformers import WhisperFeatureExtractor

    short, longer = np.ones(8000, dtype=np.float32) * 0.1, np.ones(20000, dtype=np.float32) * 0.1
    batch = prepare_batch([short, longer], WhisperFeatureExtractor())
    assert tuple(batch["spectrogram"].shape) == (2, 80, 3000)
    assert tuple(batch["raw_wav"].shape) == (2, 20000)
    # the short clip is padded with silence to 1 s (SALMONN's prepare_one_sample), then to the batch length
    assert not batch["padding_mask"][0, :16000].any() and batch["padding_mask"][0, 16000:].all()
    assert float(batch["raw_wav"][0, 8000:16000].abs().sum()) == 0.0
    assert not batch["padding_mask"][1].any()


@pytest.mark.gpu
def test_salmonn_generates_from_the_users_checkout(require_data_dir):
    """Runs only where the user has SALMONN and its weights (paths in AUDIOREPRO_SALMONN_*) and a GPU."""
    from runners.items import crema_d_items
    from runners.salmonn_local import SalmonnRunner

    try:
        runner = SalmonnRunner.from_environment()
    except SalmonnUnavailableError as error:
        pytest.skip(str(error))
    outputs = runner.generate(crema_d_items(require_data_dir, limit=2), 32)
    assert all(output.text for output in outputs)
