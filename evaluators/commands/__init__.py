"""Sub-commands of ``audiorepro``: one module each, with ``register(subparsers)``."""
