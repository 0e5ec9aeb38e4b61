"""One-off import of a paper-values registry (a YAML list of published rows) into ``golden/papers/*.yaml``.

The golden files are the source of truth: they are committed, validated by ``golden/schema.json`` and
curated by hand. This converter created their machine-derivable fields from the project's shared
paper-values registry, which is not part of the repository; it is kept as provenance (every generated
entry can be traced to its row) and to merge a new version of such a registry, whose path must be given
(``--source``): it reads no file outside the repository on its own, and nothing in the product or the
test suite depends on it.

What it derives (machine-derivable fields): the stable id, the file (one per paper or leaderboard), the
value *as printed* (the exact YAML token of the source, so ``10.0`` stays ``10.0``), the unit, canonical
keys for grouping (``model_key``, ``dataset_key``, ``split_key``, ``metric_key``), default candidate
protocols, the link of second-source entries to the entry they re-measure or quote, and a default citation
audit for entries that report a model from another paper.

What it never overwrites (hand-curated fields): for an id that already exists in ``golden/papers/``, the
fields in :data:`CURATED_FIELDS` (protocols, predictions, status, reason, tolerance, citation, ...) that the
file has are kept as they are (a field the file lacks gets the generated default); entries with
``origin: curated`` (not from paper-values.yaml) are kept unchanged.
Rows with a null value (UNVERIFIED) are left out.

What it records (``golden/paper-values-snapshot.tsv``): the published numbers it imported (one line per
verified row: arxiv, table, model, task, dataset, split, metric, direction, value as printed, n), stamped with
the source file's sha256 and a sha256 of the lines. The tests check the golden files against this snapshot,
so they never need the registry, and ``--source PATH --check`` tells whether a registry is the one imported.

Usage:  python golden/import_paper_values.py --source PATH/TO/paper-values.yaml [--check]
        python golden/import_paper_values.py --from-golden --check
``--check`` exits 1 when a re-run would change a file or the snapshot (nothing is written). ``--from-golden``
rebuilds the rows from the golden files' own as-printed fields: its ``--check`` says whether their
machine-derived fields are what these rules derive.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

from evaluators.atomic import write_text_atomically

HERE = Path(__file__).resolve().parent
#: libyaml when available (the same YAML, several times faster)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
PAPERS_DIR = HERE / "papers"

#: fields a person curates; a re-run keeps them from the existing file
CURATED_FIELDS = ("protocols", "predictions", "status", "reason", "tolerance", "citation", "remeasures", "quotes")

#: the order fields are written in
FIELD_ORDER = ("id", "origin", "paper", "arxiv", "table", "model", "model_key", "task", "dataset", "dataset_key",
               "split", "split_key", "metric", "metric_key", "direction", "value", "printed", "unit", "n",
               "source", "note", "protocols", "predictions", "tolerance", "status", "reason", "remeasures",
               "quotes", "citation")

# ----------------------------------------------------------------------------------------------
# files: one per paper or leaderboard


def file_slug(row: dict[str, Any]) -> str:
    """The golden file (and id prefix) of a source row."""
    paper, table = row["paper"], str(row.get("table") or "")
    if paper.startswith("SALMONN: Towards"):
        return "salmonn-2024"
    if paper.startswith("Reproduction of SALMONN"):
        return "salmonn-repro-jaeeewon"
    if paper.startswith("SAKURA reproduction"):
        return "sakura-repro-jaeeewon"
    if paper.startswith("SAKURA:"):
        return "sakura-2025"
    if paper.startswith("AIR-Bench:"):
        return "air-bench-2024"
    if paper.startswith("Qwen2-Audio"):
        return "qwen2-audio-2024"
    if paper.startswith("Qwen-Audio:"):
        return "qwen-audio-2023"
    if paper.startswith("AudioBench:"):
        if "old run" in table:
            return "audiobench-2024"
        if "new run" in table:
            return "audiobench-2025"
        return "audiobench-paper"
    if paper.startswith("MMAU:"):
        return "mmau-2025" if "v05.15.25" in table else "mmau-2024"
    if paper.startswith("MuChoMusic"):
        return "muchomusic-2024"
    if paper.startswith("Typhoon 2"):
        return "typhoon2-2024"
    if paper.startswith("Audio Flamingo 2"):
        return "audio-flamingo-2-2025"
    raise ValueError(f"no golden file for paper {paper!r}")


def slug(text: str) -> str:
    text = text.lower().replace("+", "-plus-").replace("->", "-")
    text = re.sub(r"[^a-z0-9.]+", "-", text)
    return re.sub(r"-+", "-", text).strip("-.")


# ----------------------------------------------------------------------------------------------
# canonical keys


def model_key(model: str) -> str:
    """A model name that is the same across papers (grouping key), e.g. ``salmonn-13b``."""
    m = model.strip()
    low = m.lower()
    if low.startswith("reference value: whisper"):
        return "whisper-large-v2"
    if low.startswith("reference value: wavlm"):
        return "wavlm"
    if low.startswith("salmonn"):
        if "w/o activation" in low:
            return "salmonn-13b-wo-activation"
        if "13b" in low or "as cited" in low:
            return "salmonn-13b"
        if "7b" in low or "7.5b" in low:
            return "salmonn-7b"
        return "salmonn"
    if low.startswith("qwen2-audio"):
        if "instruct" in low:
            return "qwen2-audio-7b-instruct"
        if "hf-converted" in low:
            return "qwen2-audio-7b-hf"
        return "qwen2-audio-7b"
    if low.startswith("qwen-audio-turbo"):
        return "qwen-audio-turbo"
    if low.startswith("qwen-audio-chat"):
        return "qwen-audio-chat"
    if low.startswith("qwen-audio"):
        return "qwen-audio"
    return slug(re.sub(r"\(.*?\)", "", m))


def model_slug(model: str) -> str:
    """The model part of an id: the key plus a run variant where one model has several runs."""
    key = model_key(model)
    variant = re.match(r"SALMONN-7B, batch (\d+), (fp\d+)", model)
    if variant:
        return f"{key}-b{variant.group(1)}-{variant.group(2)}"
    return key


_DATASETS: tuple[tuple[str, str], ...] = (
    (r"^librispeech\+gigaspeech", "librispeech-plus-gigaspeech"),
    (r"^librispeech", "librispeech"),
    (r"^covost2 (\w+)(?:->|-)(\w+)", "covost2-{0}-{1}"),
    (r"^mmau", "mmau"),
    (r"^sakura-(\w+)", "sakura-{0}"),
    (r"^sakura \(mean", "sakura-average"),
    (r"^air-bench chat", "air-bench-chat"),
    (r"^air-bench foundation \((.*)\)", "air-bench-foundation"),
    (r"^air-bench foundation$", "air-bench-foundation"),
    (r"^librimix", "librimix-libri2mix"),
    (r"^inspec", "inspec-tts"),
    (r"^wikiqa", "wikiqa-tts"),
    (r"^iemocap$", "iemocap"),
    (r"^common ?voice", "common-voice"),
    (r"^(en|th|th2en|en2th|x2th) \(test sets not named", "typhoon2-{0}-unnamed"),
)


def dataset_key(row: dict[str, Any]) -> str:
    """The test set, same across papers; benchmark sub-tasks are part of it (``mmau-sound``)."""
    dataset = str(row["dataset"]).strip()
    low = dataset.lower()
    task = str(row.get("task") or "")
    for pattern, template in _DATASETS:
        match = re.match(pattern, low)
        if match:
            key = template.format(*match.groups())
            break
    else:
        key = slug(dataset)
    if key == "mmau":
        sub = "average" if task.lower() in ("avg", "audio understanding (mcq)") else task.lower()
        key = f"mmau-{slug(sub)}"
    elif key.startswith("air-bench"):
        key = f"{key}-{slug(task.replace('AIR-Bench ', '').replace('chat ', '').replace('foundation ', ''))}"
    elif key == "muchomusic":
        key = f"muchomusic-{slug(task.replace('music MCQ ', '').replace('music understanding (MCQ)', 'all'))}"
    if key.startswith("air-bench-chat-mixed"):
        key = "air-bench-chat-mixed-audio"
    return key


def split_key(row: dict[str, Any]) -> str:
    dataset, split = str(row["dataset"]).lower(), str(row["split"]).lower()
    if "test-clean" in dataset or dataset == "librispeech-clean":
        return "test-clean"
    if "test-other" in dataset:
        return "test-other"
    if dataset.startswith("mmau test-mini"):
        return "test-mini"
    return slug(split)


_METRICS: tuple[tuple[str, str, str], ...] = (
    # (regex on the metric as printed, metric key, unit)
    (r"^%wer", "wer", "percent"),
    (r"^wer \(fraction\)", "wer", "fraction"),
    (r"^wer$", "wer", "percent"),
    (r"^%per", "per", "percent"),
    (r"^bleu", "bleu", "bleu"),
    (r"^meteor \(fraction\)", "meteor", "fraction"),
    (r"^meteor", "meteor", "percent"),
    (r"^spider", "spider", "percent"),
    (r"^rouge-l", "rouge-l", "percent"),
    (r"^accuracy \(fraction\)", "accuracy", "fraction"),
    (r"^accuracy \(%\)", "accuracy", "percent"),
    (r"^string match accuracy", "accuracy", "percent"),
    (r"^following rate", "following-rate", "fraction"),
    (r"^instruction following rate", "following-rate", "percent"),
    (r"^diversity", "diversity", "count"),
    (r"^gpt-4 score", "gpt4-score", "score"),
    (r"^llama-3-70b", "llama3-judge-score", "score"),
)


def metric_key_and_unit(metric: str) -> tuple[str, str]:
    low = metric.lower()
    for pattern, key, unit in _METRICS:
        if re.match(pattern, low):
            return key, unit
    raise ValueError(f"no unit rule for metric {metric!r}")


# ----------------------------------------------------------------------------------------------
# default candidate protocols (ids of docs/protocols.md)


def default_protocols(row: dict[str, Any], file: str, metric_key: str, dataset: str) -> list[str]:
    task = str(row.get("task") or "").lower()
    if file.startswith("audiobench"):
        if metric_key == "wer":
            return ["ASR-AB"]
        if metric_key == "bleu":
            return ["ST-AB"]
        if metric_key == "meteor":
            return ["AAC-AB-METEOR"]
        if metric_key == "accuracy" and dataset.startswith("mmau"):
            return ["MCQ-AB-MMAU"]
        if "binary" in str(row.get("source")) or "mcq" in str(row.get("dataset")).lower() or dataset.startswith("mmau"):
            return ["J-AB-BINARY"]
        return ["J-AB-SCALE"]
    if file.startswith("air-bench"):
        return ["J-AIR-CHAT"] if metric_key == "gpt4-score" else ["MCQ-AIR"]
    if file.startswith("mmau") or file == "r1-aqa-2025":
        return ["MCQ-MMAU"]
    if file.startswith("muchomusic"):
        return ["MCQ-MUCHO"]
    if file == "sakura-2025":
        return ["J-SAKURA"]
    if file == "sakura-repro-jaeeewon":
        return ["J-SAKURA-JW-DIST", "J-SAKURA-JW-EVAL"]
    if metric_key == "gpt4-score":
        return ["J-AIR-CHAT"]
    if "as cited" in str(row["model"]) and file != "salmonn-2024":
        return default_protocols(row, "salmonn-2024", metric_key, dataset)
    if file == "qwen2-audio-2024":
        return ["ASR-QWEN2"] if metric_key == "wer" else ["ST-QWEN"]
    if file == "qwen-audio-2023":
        return ["ASR-QWEN1"] if metric_key == "wer" else ["ST-QWEN"]
    if file == "typhoon2-2024":
        return []  # no evaluation code released; datasets not named
    if file == "audio-flamingo-2-2025":
        return []
    # SALMONN paper and its reproduction (jaeeewon): one family per task
    if metric_key == "wer" and dataset.startswith("librimix"):
        return ["OSR-JW", "OSR-CPWER"]
    if metric_key == "wer":
        return ["ASR-JW", "ASR-JW-STRICT", "ASR-NOTA", "ASR-QWEN2", "ASR-AB"]
    if metric_key == "per":
        return ["PER-JW"]
    if metric_key == "bleu" and dataset.startswith("covost2"):
        return (["ST-JW-JA"] if dataset.endswith("-ja") else []) + ["ST-COVOST", "ST-QWEN", "ST-AB"]
    if metric_key == "bleu" or metric_key == "rouge-l":
        return ["MC-JW", "MC-CMI"]
    if metric_key in ("meteor", "spider"):
        return ["AAC-JW-COCO", "AAC-QWEN-COCO", "AAC-NOTA-CIDERD", "AAC-NLTK-METEOR"]
    if task.startswith("er "):
        return ["ER-JW", "ER-QWEN-EXACT"]
    if task.startswith("sv "):
        return ["SV-JW"]
    if task.startswith("ke "):
        return ["KE-JW", "KE-ONMT"]
    if task.startswith("sqqa"):
        return ["J-SQQA-JW"]
    if task.startswith("sf "):
        return ["J-SF-JW"]
    if task.startswith("story"):
        return ["STORY-JW"]
    return []


# ----------------------------------------------------------------------------------------------
# citation audit defaults (curated afterwards in the files)

#: where each model family was first published (arXiv id); a number for it in another paper is a citation
MODEL_ORIGIN = {
    "salmonn": "2310.13289",
    "qwen-audio": "2311.07919",
    "qwen2-audio": "2407.10759",
}

#: per citing file: (test data vs the original paper's, note, public evaluation code, protocol)
CITING_FILES: dict[str, tuple[str, str, str | None, str | None]] = {
    "air-bench-2024": ("different", "AIR-Bench's own benchmark items (multiple choice / open chat); "
                       "the model's own paper has no result on them", "OFA-Sys/AIR-Bench", None),
    "audiobench-2024": ("different", "AudioBench's own copies and subsets (e.g. LibriSpeech test-clean 2,617 "
                        "of 2,620 utterances), a random ASR instruction per item", "AudioLLMs/AudioBench", None),
    "audiobench-2025": ("different", "AudioBench's own copies and subsets (e.g. LibriSpeech test-clean 2,617 "
                        "of 2,620 utterances), a random ASR instruction per item", "AudioLLMs/AudioBench", None),
    "audiobench-paper": ("different", "prompt-sensitivity study on AudioBench's copies of the test sets",
                         "AudioLLMs/AudioBench", "ASR-AB"),
    "mmau-2024": ("different", "MMAU benchmark, not in the model's own paper", "Sakshi113/MMAU", "MCQ-MMAU"),
    "mmau-2025": ("different", "MMAU v05.15.25 benchmark, not in the model's own paper", "Sakshi113/MMAU",
                  "MCQ-MMAU"),
    "muchomusic-2024": ("different", "MuChoMusic benchmark, not in the model's own paper", "mulab-mir/muchomusic",
                        "MCQ-MUCHO"),
    "sakura-2025": ("different", "SAKURA benchmark, not in the model's own paper", "ckyang1124/SAKURA",
                    "J-SAKURA"),
    "sakura-repro-jaeeewon": ("different", "SAKURA benchmark, not in the model's own paper",
                              "jaeeewon/project-multimodal", "J-SAKURA-JW-DIST"),
    "typhoon2-2024": ("unknown", "Typhoon 2 Table 31 does not name its test sets", None, None),
    "audio-flamingo-2-2025": ("different", "CMM Hallucination benchmark, not in the model's own paper; SALMONN "
                              "appears only as the previous-SOTA value", None, None),
    "qwen2-audio-2024": ("same", "value quoted from the original paper, not re-evaluated", None, None),
    "qwen-audio-2023": ("same", "value quoted from the original paper, not re-evaluated", None, None),
    "salmonn-repro-jaeeewon": ("unknown", "same task and dataset as the paper; the paper does not state its test "
                               "subset size", "jaeeewon/project-multimodal", None),
}


#: models a citing paper built itself (its own baselines or its own model): not a citation
OWN_MODELS = {"air-bench-2024": {"whisper-plus-gpt-4"}, "typhoon2-2024": {"typhoon2-audio"}}


def model_origin(key: str, model: str = "") -> str | None:
    """The arXiv id of the paper a model comes from; for other models a description naming the model."""
    for prefix in sorted(MODEL_ORIGIN, key=len, reverse=True):
        if key == prefix or key.startswith(prefix + "-"):
            return MODEL_ORIGIN[prefix]
    if model:
        name = re.sub(r"^Reference value: ", "", model)
        return f"{name}: its own paper or report (arXiv id not recorded in paper-values.yaml)"
    return None


def default_citation(file: str, arxiv: str, key: str, protocols: list[str], entry: dict[str, Any]) -> dict | None:
    if key in OWN_MODELS.get(file, set()):
        return None
    origin = model_origin(key, str(entry.get("model") or ""))
    if origin is None or str(arxiv) == origin:
        return None
    if file == "salmonn-2024" and entry["model"].startswith("Reference value"):
        return {"original_paper": origin, "test_data": "unknown",
                "test_data_note": ("a reference value the SALMONN paper quotes from other work (the authors' "
                                   "OpenReview comment: Whisper large-v2 for ASR, SOTA values for PR); its test "
                                   "subset is not stated"),
                "eval_code": None, "protocol": None}
    if file not in CITING_FILES:
        return None
    test_data, note, code, protocol = CITING_FILES[file]
    if not key.startswith(("salmonn", "qwen")):
        note = note.replace("the model's own paper", "that model's own paper")
    if file == "salmonn-repro-jaeeewon" and entry.get("n") and "librispeech" in entry["dataset_key"]:
        note = (f"LibriSpeech {entry['split_key']} in full ({entry['n']} utterances); "
                "the paper does not state its test subset size")
    if file in ("qwen-audio-2023", "qwen2-audio-2024") and "AIR-Bench" in str(entry.get("note")):
        note = "value copied from AIR-Bench, not re-evaluated; SALMONN's own paper has no AIR-Bench result"
        test_data = "different"
    if file == "air-bench-2024" and key.startswith("qwen2-audio") and entry["metric_key"] == "gpt4-score":
        test_data = "same"
        note = "the Qwen2-Audio report evaluates on AIR-Bench chat itself (same benchmark, same judge set-up)"
    if file.startswith("audiobench") and key == "salmonn-7b":
        note += "; AudioBench runs SALMONN-7B, while the SALMONN paper's Table 3 reports the 13B model"
    if file.startswith("audiobench") and key == "qwen-audio-chat":
        note += "; the Qwen-Audio paper reports the base Qwen-Audio model on LibriSpeech, not Qwen-Audio-Chat"
    return {"original_paper": origin, "test_data": test_data, "test_data_note": note, "eval_code": code,
            "protocol": protocol if protocol is not None else (protocols[0] if protocols and code else None)}


# ----------------------------------------------------------------------------------------------
# reading the source with the value tokens as printed


def read_source(path: Path) -> list[tuple[dict[str, Any], str | None]]:
    """Rows of paper-values.yaml, each with its ``value`` token exactly as written."""
    text = path.read_text(encoding="utf-8")
    rows = yaml.load(text, Loader=_LOADER)
    node = yaml.compose(text, Loader=_LOADER)
    printed: list[str | None] = []
    for item in node.value:
        token = None
        for key_node, value_node in item.value:
            if key_node.value == "value":
                token = None if value_node.tag.endswith(":null") else value_node.value
        printed.append(token)
    return list(zip(rows, printed, strict=True))


#: the fields of a source row that the converter reads (a row rebuilt from a golden entry has exactly these)
ROW_FIELDS = ("paper", "arxiv", "table", "model", "task", "dataset", "split", "metric", "direction", "value", "n",
              "source", "note")


def rows_from_golden(papers_dir: Path = PAPERS_DIR) -> list[tuple[dict[str, Any], str | None]]:
    """Source rows rebuilt from the as-printed fields of the generated entries of the golden files.

    Each ``origin: paper-values`` entry keeps every field of its row (text with whitespace collapsed), and
    each file keeps its rows in source order, so converting these rows must give the golden files back:
    that checks the machine-derived fields (ids, keys, units, links, field order) against the rules
    here without the registry itself, which is not in the repository.
    """
    rows: list[tuple[dict[str, Any], str | None]] = []
    for path in sorted(papers_dir.glob("*.yaml")):
        document = read_existing(path) or {}
        for entry in document.get("entries", []):
            if entry.get("origin") == "paper-values":
                rows.append(({key: entry.get(key) for key in ROW_FIELDS}, entry["printed"]))
    return rows


# ----------------------------------------------------------------------------------------------
# the snapshot of what was imported: the published numbers, stamped with the source's sha256

SNAPSHOT = HERE / "paper-values-snapshot.tsv"
#: what identifies a published number and its value; ``value`` is the token as printed
SNAPSHOT_FIELDS = ("arxiv", "table", "model", "task", "dataset", "split", "metric", "direction", "value", "n")


def snapshot_line(values: list[Any]) -> str:
    """One tab-separated line (null → empty); a tab or newline inside a field is refused."""
    cells = ["" if value is None else str(value) for value in values]
    for cell in cells:
        if "\t" in cell or "\n" in cell:
            raise ValueError(f"snapshot field {cell!r} holds a tab or newline")
    return "\t".join(cells)


def render_snapshot(rows: list[tuple[dict[str, Any], str | None]], source_name: str, source_sha256: str) -> str:
    """The snapshot of the verified rows (value not null), in source order, with its stamps.

    ``source`` stamps the registry file it was taken from (sha256, row counts); ``rows`` stamps the table
    below it, so an edit of the snapshot by hand shows up as a stamp mismatch.
    """
    body = [snapshot_line(list(SNAPSHOT_FIELDS))]
    for row, printed in rows:
        if row.get("value") is not None:
            body.append(snapshot_line([tidy(row.get(field)) if field != "value" else printed
                                       for field in SNAPSHOT_FIELDS]))
    text = "\n".join(body) + "\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return ("# Published numbers of the paper-values registry that golden/papers/*.yaml was imported from, one per\n"
            "# verified row (value not null), in source order. Written by golden/import_paper_values.py --source;\n"
            "# tests/unit/test_golden.py checks that the golden files hold each of them exactly once.\n"
            f"# source: {source_name} sha256={source_sha256} rows={len(rows)} verified={len(body) - 1}\n"
            f"# rows: sha256={digest}\n" + text)


def read_snapshot(path: Path = SNAPSHOT) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The stamps and rows of a snapshot; ValueError when the rows do not match their stamps."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    stamps = {}
    for line in lines:
        match = re.match(r"# (source|rows): (?:(\S+) )?sha256=(\w+)(?: rows=(\d+) verified=(\d+))?$", line.rstrip("\n"))
        if match:
            stamps[match.group(1)] = match.groups()
    body = [line for line in lines if not line.startswith("#")]
    if set(stamps) != {"source", "rows"}:
        raise ValueError(f"{path}: the source and rows stamps are missing")
    if hashlib.sha256("".join(body).encode("utf-8")).hexdigest() != stamps["rows"][2]:
        raise ValueError(f"{path}: the rows do not match their sha256 stamp (edited by hand?)")
    header = body[0].rstrip("\n").split("\t")
    rows = [dict(zip(header, line.rstrip("\n").split("\t"), strict=True)) for line in body[1:]]
    if int(stamps["source"][4]) != len(rows):
        raise ValueError(f"{path}: {len(rows)} rows, the source stamp says {stamps['source'][4]}")
    _, name, digest, total, verified = stamps["source"]
    return {"source": name, "source_sha256": digest, "source_rows": total, "verified": verified}, rows


def tidy(text: Any) -> Any:
    return " ".join(str(text).split()) if isinstance(text, str) else text


def build_entries(rows: list[tuple[dict[str, Any], str | None]]) -> dict[str, list[dict[str, Any]]]:
    """Generated entries per golden file (no curated fields applied yet) from source rows (see :func:`read_source`)."""
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row, printed in rows:
        if row.get("value") is None:
            continue
        file = file_slug(row)
        metric_key, unit = metric_key_and_unit(row["metric"])
        dataset = dataset_key(row)
        entry: dict[str, Any] = {
            "origin": "paper-values", "paper": tidy(row["paper"]), "arxiv": str(row["arxiv"]),
            "table": tidy(row.get("table")), "model": tidy(row["model"]), "model_key": model_key(row["model"]),
            "task": tidy(row["task"]), "dataset": tidy(row["dataset"]), "dataset_key": dataset,
            "split": tidy(row["split"]), "split_key": split_key(row), "metric": row["metric"],
            "metric_key": metric_key, "direction": row["direction"], "value": row["value"], "printed": printed,
            "unit": unit, "n": row.get("n"), "source": tidy(row["source"]), "note": tidy(row.get("note") or ""),
        }
        entry["protocols"] = default_protocols(row, file, metric_key, dataset)
        entry["_model_slug"] = model_slug(row["model"])
        if "as cited" in str(row["model"]) and "AIR-Bench" in str(row.get("note")):
            # copied from AIR-Bench, which names the model without a size: the same key as there
            entry["model_key"] = entry["_model_slug"] = model_key(re.sub(r"\s*\(as cited\)", "", row["model"]))
        by_file[file].append(entry)
    for file, entries in by_file.items():
        assign_ids(file, entries)
    link_second_sources(by_file)
    for file, entries in by_file.items():
        for entry in entries:
            citation = default_citation(file, entry["arxiv"], entry["model_key"], entry["protocols"], entry)
            if citation:
                entry["citation"] = citation
            entry["predictions"] = None
            entry["status"] = "unknown"
            entry["reason"] = "no public per-sample predictions for this number"
    return by_file


def assign_ids(file: str, entries: list[dict[str, Any]]) -> None:
    """``<file>/<model>/<dataset>-<split>/<metric>``; where ids collide, the task if it tells them apart,
    else ``-v2``, ``-v3``... in source order (stable as long as paper-values.yaml keeps its row order)."""
    def base(entry: dict[str, Any], with_task: bool) -> str:
        data = f"{entry['dataset_key']}-{entry['split_key']}" if entry["split_key"] != "test" else entry["dataset_key"]
        if with_task:
            data += "-" + slug(str(entry["task"]))
        return f"{file}/{entry['_model_slug']}/{data}/{entry['metric_key']}"

    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        groups[base(entry, False)].append(entry)
    # the task names the difference where it differs within a group (prompt-1, prompt-2, ...)
    by_task = {key for key, members in groups.items()
               if len(members) > 1 and len({str(m["task"]) for m in members}) == len(members)}
    ids = [base(e, base(e, False) in by_task) for e in entries]
    seen: Counter[str] = Counter()
    for entry, ident in zip(entries, ids, strict=True):
        seen[ident] += 1
        entry["id"] = ident if seen[ident] == 1 else f"{ident}-v{seen[ident]}"
        del entry["_model_slug"]


def link_second_sources(by_file: dict[str, list[dict[str, Any]]]) -> None:
    """Reproductions point to the entry they re-measure; quotes to the entry they copy."""
    index: dict[tuple[str, ...], str] = {}
    for file in ("salmonn-2024", "sakura-2025", "audiobench-2024", "air-bench-2024"):
        for entry in by_file.get(file, []):
            key = (file, entry["model_key"], entry["dataset_key"], entry["split_key"], entry["metric_key"])
            index.setdefault(key, entry["id"])
    relations = {"salmonn-repro-jaeeewon": ("remeasures", "salmonn-2024"),
                 "sakura-repro-jaeeewon": ("remeasures", "sakura-2025"),
                 "audiobench-2025": ("remeasures", "audiobench-2024")}
    for file, entries in by_file.items():
        for entry in entries:
            relation, target = relations.get(file, (None, None))
            if file in ("qwen2-audio-2024", "qwen-audio-2023") and "as cited" in entry["model"]:
                relation = "quotes"
                target = "air-bench-2024" if "AIR-Bench" in entry["note"] else "salmonn-2024"
            if relation is None:
                continue
            model = entry["model_key"]
            if file == "sakura-repro-jaeeewon" and model == "salmonn-13b":
                continue  # SAKURA's leaderboard has the 7B model only
            key = (target, model, entry["dataset_key"], entry["split_key"], entry["metric_key"])
            if key in index:
                entry[relation] = index[key]


# ----------------------------------------------------------------------------------------------
# merging with the existing files, writing


def order(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: entry[key] for key in FIELD_ORDER if key in entry} | \
        {key: value for key, value in entry.items() if key not in FIELD_ORDER}


def read_existing(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


def merge(file: str, generated: list[dict[str, Any]], existing: dict[str, Any] | None) -> dict[str, Any]:
    old = {e["id"]: e for e in (existing or {}).get("entries", [])}
    merged: list[dict[str, Any]] = []
    for entry in generated:
        previous = old.get(entry["id"])
        if previous is not None:
            for key in CURATED_FIELDS:
                if key in previous:
                    entry[key] = previous[key]
        merged.append(order(entry))
    merged.extend(e for e in old.values() if e.get("origin") == "curated")
    dropped = sorted(set(old) - {e["id"] for e in merged})
    if dropped:  # an id changed (a source row was edited or removed): its curated fields are not carried over
        print(f"warning: {file}: {len(dropped)} entries no longer generated, dropped: {', '.join(dropped)}",
              file=sys.stderr)
    header = {"file": file, "paper": generated[0]["paper"] if generated else (existing or {}).get("paper"),
              "arxiv": generated[0]["arxiv"] if generated else (existing or {}).get("arxiv")}
    if existing and existing.get("about"):
        header["about"] = existing["about"]
    return header | {"entries": merged}


def dump(document: dict[str, Any]) -> str:
    head = ("# Golden paper values. Generated by golden/import_paper_values.py from ../shared/docs/paper-values.yaml;\n"
            "# curated fields (protocols, predictions, status, reason, tolerance, citation, remeasures, quotes) and\n"
            "# entries with origin: curated are kept on re-runs. Schema: golden/schema.json, golden/README.md.\n")
    return head + yaml.dump(document, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=120)


def convert(rows: list[tuple[dict[str, Any], str | None]], out: Path, check: bool) -> tuple[list[str], str]:
    """Merge the entries generated from ``rows`` into the golden files under ``out``.

    Returns the names of the files that changed (with ``check``: that a re-run would change; nothing is
    written) and a one-line summary.
    """
    generated = build_entries(rows)
    changed = []
    total = 0
    for file, entries in sorted(generated.items()):
        path = out / f"{file}.yaml"
        document = merge(file, entries, read_existing(path))
        total += len(document["entries"])
        text = dump(document)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            changed.append(path.name)
            if not check:
                write_text_atomically(path, text)
    summary = (f"{sum(len(e) for e in generated.values())} generated entries; {total} in {len(generated)} files; "
               f"{'would change' if check else 'changed'}: {changed or 'none'}")
    return changed, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--source", type=Path,
                        help="the paper-values registry to import (a YAML list of rows; not in the repository)")
    source.add_argument("--from-golden", action="store_true",
                        help="rebuild the rows from the golden files themselves (with --check: are their "
                             "machine-derived fields what the rules here derive?)")
    parser.add_argument("--out", type=Path, default=PAPERS_DIR)
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT,
                        help="where the stamped snapshot of the imported numbers goes (with --source)")
    parser.add_argument("--check", action="store_true", help="only report files a re-run would change")
    args = parser.parse_args(argv)
    rows = rows_from_golden(args.out) if args.from_golden else read_source(args.source)
    changed, summary = convert(rows, args.out, args.check)
    if args.source is not None:
        data = args.source.read_bytes()
        snapshot = render_snapshot(rows, args.source.name, hashlib.sha256(data).hexdigest())
        if not args.snapshot.exists() or args.snapshot.read_text(encoding="utf-8") != snapshot:
            changed.append(args.snapshot.name)
            if not args.check:
                write_text_atomically(args.snapshot, snapshot)
    print(f"{args.source.name if args.source else 'rows of the golden files'}: {summary}"
          + (f"; snapshot {args.snapshot.name} {'would change' if args.check else 'changed'}"
             if args.snapshot.name in changed else ""))
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
