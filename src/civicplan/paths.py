"""Where civicplan keeps its data (docs/operations.md names this folder)."""

import os
from pathlib import Path


def data_dir() -> Path:
    """The data folder: $CIVICPLAN_DATA_DIR, else $XDG_DATA_HOME/civicplan, else ~/.local/share/civicplan.

    It holds the embedded SQLite database (civicplan.sqlite3), the generated secret key and,
    later, uploaded source documents and generated reports.
    """
    explicit = os.environ.get("CIVICPLAN_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser().resolve()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "civicplan"
