"""Judge backends: OpenAI-compatible HTTP, local ``transformers`` model, replay of judgement files."""
