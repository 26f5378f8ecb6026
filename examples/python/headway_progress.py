"""Progress reporting that works both in a terminal and under Headway.

Plug an existing program into Headway by changing its progress prints into
``ProgressTracker.emit(...)`` calls. When Headway runs the program it sets
HEADWAY_JOB_ID, and the tracker prints the ``::progress {json}`` and
``::log level text`` lines Headway reads from standard output; otherwise it
prints the readable ``[stage] message`` lines the program printed before.
``ProgressTracker.artifact(path, title)`` publishes a file the program wrote
(``::artifact <path> [title]``): put it in HEADWAY_OUTPUT_DIR and its artifact
name is its path relative to that folder.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Optional

LOG_LEVELS = ("debug", "info", "warn", "error")
METADATA_LIMIT = 4000


@dataclass
class ProgressEvent:
    """One progress event, as handed to the callback."""

    timestamp: str
    stage: str
    phase: str  # starting, running, complete, error or skipped
    message: str
    stage_progress: Optional[float] = None  # 0..1, progress inside the stage
    iteration: Optional[int] = None  # 1, 2, ... for looping stages
    metadata: dict[str, Any] = field(default_factory=dict)


def under_headway() -> bool:
    """True when Headway runs this program (it sets HEADWAY_JOB_ID)."""
    return bool(os.environ.get("HEADWAY_JOB_ID"))


def read_input() -> dict[str, Any]:
    """The job's input: the JSON object on stdin, or {} for a terminal or empty stdin."""
    if sys.stdin is None or sys.stdin.isatty():
        return {}
    text = sys.stdin.read().strip()
    if not text:
        return {}
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError(f"the input on stdin is not a JSON object: {text[:80]}")
    return value


def _jsonable(value: Any) -> Any:
    """The value itself if JSON can encode it, else its str()."""
    try:
        json.dumps(value, allow_nan=False)
        return value
    except (TypeError, ValueError):
        return str(value)


class ProgressTracker:
    """Emits progress events to Headway or the terminal, and to an optional callback."""

    def __init__(self, callback: Optional[Callable[[ProgressEvent], None]] = None) -> None:
        self.callback = callback
        self.current_stage: Optional[str] = None

    def emit(self, stage: str, phase: str, message: str, **kwargs: Any) -> ProgressEvent:
        """Report `phase` of `stage`.

        stage_progress= (or stageProgress=) and iteration= become those fields;
        suppress_terminal=True prints nothing in a terminal (Headway still gets
        the event); every other keyword argument goes into the metadata.
        """
        suppress_terminal = bool(kwargs.pop("suppress_terminal", False))
        stage_progress = kwargs.pop("stage_progress", kwargs.pop("stageProgress", None))
        iteration = kwargs.pop("iteration", None)
        event = ProgressEvent(
            timestamp=datetime.now(timezone.utc).isoformat(),
            stage=stage,
            phase=phase,
            message=str(message),
            stage_progress=None if stage_progress is None else min(1.0, max(0.0, float(stage_progress))),
            iteration=None if iteration is None else max(1, int(iteration)),
            metadata={str(key): _jsonable(value) for key, value in kwargs.items()},
        )
        self.current_stage = stage

        if under_headway():
            line: dict[str, Any] = {"stage": stage, "phase": phase, "message": event.message}
            if event.stage_progress is not None:
                line["stageProgress"] = event.stage_progress
            if event.iteration is not None:
                line["iteration"] = event.iteration
            if event.metadata:
                # Headway ignores a line whose metadata is over 4,096 characters; keep the rest of it.
                fits = len(json.dumps(event.metadata, ensure_ascii=False)) <= METADATA_LIMIT
                line["metadata"] = event.metadata if fits else {"omitted": f"metadata over {METADATA_LIMIT} characters"}
            print("::progress " + json.dumps(line, separators=(",", ":"), ensure_ascii=False), flush=True)
        elif not suppress_terminal:
            print(f"[{stage}] {message}", flush=True)

        if self.callback:
            self.callback(event)
        return event

    def log(self, level: str, message: str) -> None:
        """A log line: level is debug, info, warn or error ("warning" is taken as warn)."""
        level = "warn" if level == "warning" else level
        if level not in LOG_LEVELS:
            level = "info"
        for text in str(message).splitlines() or [""]:
            if under_headway():
                print(f"::log {level} {text}", flush=True)
            else:
                print(f"[{level}] {text}", flush=True)

    def artifact(self, path: str, title: Optional[str] = None) -> None:
        """Publish the file at `path` as an artifact of the current stage, with an optional title.

        Under Headway the path is printed absolute (so a later chdir does not matter), as a JSON
        string when it holds whitespace; Headway stores the file once the line is read. In a
        terminal it prints where the file is.
        """
        caption = " ".join(str(title).split()) if title else ""
        if under_headway():
            full = os.path.abspath(path)
            shown = json.dumps(full, ensure_ascii=False) if full.startswith('"') or any(c.isspace() for c in full) else full
            print(f"::artifact {shown}" + (f" {caption}" if caption else ""), flush=True)
        else:
            print(f"[artifact] {path}" + (f" ({caption})" if caption else ""), flush=True)
