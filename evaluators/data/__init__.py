"""Packaged metadata: ``manifest.yaml`` names every public prediction file (origin, size, sha256, licence)."""
