"""Tests of headway_progress.py, run by `npm test` (tests/unit/python-examples.test.ts)."""

import contextlib
import io
import json
import os
import sys
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from headway_progress import ProgressTracker  # noqa: E402


def printed(under_headway: bool, action) -> list[str]:
    out = io.StringIO()
    env = {"HEADWAY_JOB_ID": "7"} if under_headway else {}
    with mock.patch.dict(os.environ, env, clear=True), contextlib.redirect_stdout(out):
        action()
    return out.getvalue().splitlines()


class InATerminal(unittest.TestCase):
    def test_prints_the_seeds_readable_lines(self):
        tracker = ProgressTracker()
        lines = printed(False, lambda: (
            tracker.emit("judge", "starting", "Running Judge to validate claims..."),
            tracker.emit("judge", "running", "quiet", suppress_terminal=True),
            tracker.log("warning", "two\nlines"),
        ))
        self.assertEqual(lines, ["[judge] Running Judge to validate claims...", "[warn] two", "[warn] lines"])

    def test_artifact_says_where_the_file_is(self):
        lines = printed(False, lambda: ProgressTracker().artifact("out/chart.svg", title="Chart"))
        self.assertEqual(lines, ["[artifact] out/chart.svg (Chart)"])


class UnderHeadway(unittest.TestCase):
    def test_prints_one_progress_line_per_event_with_the_protocols_fields(self):
        tracker = ProgressTracker()
        lines = printed(True, lambda: tracker.emit(
            "gap_analysis", "running", "Iteration 2", iteration=2, stage_progress=1.5, pillar="Ethics", when={1, 2}
        ))
        self.assertEqual(len(lines), 1)
        self.assertTrue(lines[0].startswith("::progress "))
        self.assertEqual(json.loads(lines[0][len("::progress "):]), {
            "stage": "gap_analysis",
            "phase": "running",
            "message": "Iteration 2",
            "stageProgress": 1.0,
            "iteration": 2,
            "metadata": {"pillar": "Ethics", "when": "{1, 2}"},
        })

    def test_suppress_terminal_still_reports_to_headway(self):
        tracker = ProgressTracker()
        lines = printed(True, lambda: tracker.emit("judge", "running", "quiet", suppress_terminal=True))
        self.assertEqual(len(lines), 1)
        self.assertNotIn("suppress_terminal", lines[0])

    def test_log_lines_and_oversized_metadata(self):
        tracker = ProgressTracker()
        lines = printed(True, lambda: (
            tracker.log("error", "disk full\nretrying"),
            tracker.log("loud", "unknown levels are info"),
            tracker.emit("judge", "running", "big", blob="x" * 5000),
        ))
        self.assertEqual(lines[:3], ["::log error disk full", "::log error retrying", "::log info unknown levels are info"])
        self.assertEqual(json.loads(lines[3][len("::progress "):])["metadata"], {"omitted": "metadata over 4000 characters"})

    def test_artifact_prints_the_absolute_path_quoting_one_with_spaces(self):
        tracker = ProgressTracker()
        lines = printed(True, lambda: (
            tracker.artifact("out/chart.svg", title="Completeness\nby pillar"),
            tracker.artifact("/tmp/my report.md"),
        ))
        self.assertEqual(lines, [
            f"::artifact {os.path.abspath('out/chart.svg')} Completeness by pillar",
            '::artifact "/tmp/my report.md"',
        ])

    def test_calls_the_callback_with_the_event_as_the_seed_did(self):
        events = []
        tracker = ProgressTracker(callback=events.append)
        printed(True, lambda: tracker.emit("judge", "complete", "done", claims=3))
        self.assertEqual([(e.stage, e.phase, e.message, e.metadata) for e in events], [("judge", "complete", "done", {"claims": 3})])


if __name__ == "__main__":
    unittest.main()
