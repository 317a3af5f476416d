"""Reading a recognition-rule file (YAML) that must be a mapping holding one list, with one-line errors."""

from __future__ import annotations

from pathlib import Path

import yaml


def load_rule_file(path: Path, key: str, kind: str, error: type[Exception]) -> dict:
    """The file's mapping, checked to hold a list under `key`; `error` names `kind` on any failure."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as cause:
        raise error(f"cannot read {kind} {path}: {cause}") from cause
    except yaml.YAMLError as cause:
        raise error(f"{kind} {path} is not valid YAML: {cause}") from cause
    if not isinstance(raw, dict) or not isinstance(raw.get(key), list):
        raise error(f"{kind} {path} must be a mapping with a '{key}' list")
    return raw
