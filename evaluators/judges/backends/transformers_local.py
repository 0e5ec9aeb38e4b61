"""Judge backend running a ``transformers`` causal LM in process (CPU or GPU).

For users with a local judge checkpoint (or a GPU box without a server). The chat messages are
turned into text with the tokenizer's chat template when it has one; otherwise with a plain
``role: content`` layout, and the record says which (``chat_format``), because the same judge gives
different verdicts under a different template. Decoding: greedy when ``temperature`` is unset or 0,
else sampling with ``temperature``/``top_p`` after ``torch.manual_seed(seed)``; ``max_tokens`` caps the
new tokens (``default_max_new_tokens`` when unset). Requests run one at a time (batch size 1), so
padding cannot change a verdict.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evaluators.judges.backends.base import JudgeBackend
from evaluators.judges.decoding import JudgeRequest


class TransformersBackend(JudgeBackend):
    """A loaded ``transformers`` model + tokenizer used as the judge."""

    kind = "transformers"

    def __init__(self, model: Any, tokenizer: Any, *, name: str, revision: str = "unspecified",
                 device: str | None = None, default_max_new_tokens: int = 256):
        super().__init__(name, revision)
        import torch  # noqa: F401  (fail early with ImportError when torch is missing)

        self._model = model
        self._tokenizer = tokenizer
        self.device = device or str(next(model.parameters()).device)
        if device is not None:
            self._model.to(device)
        self._model.eval()
        self.default_max_new_tokens = default_max_new_tokens
        self.chat_format = "chat-template" if getattr(tokenizer, "chat_template", None) else "plain"

    @classmethod
    def from_pretrained(cls, path: str | Path, *, revision: str | None = None, device: str = "cpu",
                        **kwargs: Any) -> TransformersBackend:
        """Load a local checkpoint directory (nothing is downloaded: ``HF_HUB_OFFLINE`` applies)."""
        from transformers import AutoModelForCausalLM, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(str(path))
        model = AutoModelForCausalLM.from_pretrained(str(path))
        return cls(model, tokenizer, name=str(path), revision=revision or "local", device=device, **kwargs)

    def describe(self) -> dict[str, Any]:
        return super().describe() | {"device": self.device, "chat_format": self.chat_format}

    def _prompt_text(self, request: JudgeRequest) -> str:
        messages = [{"role": role, "content": content} for role, content in request.messages]
        if self.chat_format == "chat-template":
            return self._tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        return "".join(f"{role}: {content}\n" for role, content in request.messages) + "assistant: "

    def complete(self, request: JudgeRequest) -> str:
        import torch

        decoding = request.decoding
        text = self._prompt_text(request)
        inputs = self._tokenizer(text, return_tensors="pt", add_special_tokens=False).to(self.device)
        sample = bool(decoding.temperature)
        generate_kwargs: dict[str, Any] = {
            "max_new_tokens": decoding.max_tokens or self.default_max_new_tokens,
            "do_sample": sample,
            "pad_token_id": self._tokenizer.pad_token_id if self._tokenizer.pad_token_id is not None
            else self._tokenizer.eos_token_id,
        }
        if sample:
            generate_kwargs["temperature"] = decoding.temperature
            if decoding.top_p is not None:
                generate_kwargs["top_p"] = decoding.top_p
            if decoding.seed is not None:
                torch.manual_seed(decoding.seed)
        else:
            generate_kwargs.update(temperature=None, top_p=None, top_k=None)
        with torch.no_grad():
            output = self._model.generate(**inputs, **generate_kwargs)
        new_tokens = output[0, inputs["input_ids"].shape[1]:]
        return self._tokenizer.decode(new_tokens, skip_special_tokens=True)
