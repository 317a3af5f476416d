"""Scoring the pipeline against annotated answers, and coders against each other."""
