"""Orchestration: configuration, the corpus manifest, ingest stages, run state and the CLI."""
