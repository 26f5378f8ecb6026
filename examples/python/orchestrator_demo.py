"""A stand-in for literature_review/orchestrator.py that reports its progress to Headway.

It runs the orchestrator's six stages on made-up papers: initialization, judge,
deep_review, gap_analysis, visualization, finalization. Judge and deep review
work on the papers in child processes; gap analysis loops in DEEP_LOOP mode.
Run it in a terminal to read `[stage] message` lines, or under Headway (which
sets HEADWAY_JOB_ID) to get the `::progress` lines Headway shows live.

    python3 orchestrator_demo.py --run-mode DEEP_LOOP --pace-ms 5
"""

from __future__ import annotations

import argparse
import hashlib
import html
import math
import os
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from headway_progress import ProgressTracker, read_input  # noqa: E402

STAGES = ("initialization", "judge", "deep_review", "gap_analysis", "visualization", "finalization")
PILLARS = {
    "provenance": "Data Provenance",
    "robustness": "Model Robustness",
    "evaluation": "Evaluation Methods",
    "reproducibility": "Reproducibility",
    "ethics": "Ethics & Fairness",
}
TOPICS = ("Benchmark design", "Dataset documentation", "Adversarial testing", "Replication study",
          "Bias audits", "Uncertainty estimates", "Shared evaluation code")
DEFAULTS = {"runMode": "ONCE", "maxIterations": 5, "papers": 12, "paceMs": 60, "workers": 2}
# Gap analysis: iteration i gains FIRST_GAIN_PP / 2**(i-1) percentage points of completeness,
# and the loop stops after an iteration that gains less than MIN_GAIN_PP (20, 10, 5: 3 iterations).
FIRST_GAIN_PP = 20.0
MIN_GAIN_PP = 6.0
# Pace units: each costs --pace-ms of wall time.
JUDGE_UNITS, REVIEW_UNITS, PILLAR_UNITS = 4, 10, 4


@dataclass
class Paper:
    id: str
    title: str
    abstract: str


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def pace(units: float, pace_ms: int) -> None:
    time.sleep(units * pace_ms / 1000)


def score(text: str) -> float:
    """A deterministic 0..1 score standing in for a model's judgement (and a little CPU work)."""
    digest = text.encode()
    for _ in range(2000):
        digest = hashlib.sha256(digest).digest()
    return int.from_bytes(digest[:2], "big") / 0xFFFF


# The two functions below run in the child processes.

def judge_paper(paper: Paper, pace_ms: int) -> dict[str, Any]:
    if not paper.abstract:
        print(f"warning: paper {paper.id} has no abstract; judged on its title only", file=sys.stderr, flush=True)
    value = score(f"judge:{paper.id}:{paper.title}:{paper.abstract}")
    pace(JUDGE_UNITS, pace_ms)
    return {"paper": paper.id, "verdict": "supported" if value >= 0.25 else "rejected", "pid": os.getpid()}


def review_paper(paper: Paper, pace_ms: int) -> dict[str, Any]:
    claims = 1 + int(score(f"claims:{paper.id}") * 5)
    evidence = [pillar for pillar in PILLARS if score(f"{pillar}:{paper.id}:{paper.title}") >= 0.5]
    pace(REVIEW_UNITS, pace_ms)
    return {"paper": paper.id, "claims": claims, "evidence": evidence, "pid": os.getpid()}


def parse_config() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Each setting comes from its flag if given, else from the key in brackets of the JSON "
               "object on stdin (how Headway passes a job's input), else from the default. "
               "stdin is not read when it is a terminal.",
    )
    parser.add_argument("--run-mode", choices=("ONCE", "DEEP_LOOP"),
                        help="[runMode] ONCE: one gap-analysis pass; DEEP_LOOP: iterate (default ONCE)")
    parser.add_argument("--max-iterations", type=int, metavar="N",
                        help="[maxIterations] DEEP_LOOP's iteration cap (default 5)")
    parser.add_argument("--papers", type=int, metavar="N", help="[papers] how many papers to review (default 12)")
    parser.add_argument("--pace-ms", type=int, metavar="N",
                        help="[paceMs] milliseconds per unit of work, 0 for no waiting (default 60)")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="[workers] child processes for judge and deep review (default 2)")
    parser.add_argument("--fail-in", choices=STAGES, metavar="STAGE",
                        help="[failIn] raise an error in STAGE (one of %(choices)s), to try a failing run")
    args = parser.parse_args()

    try:
        given = read_input()
    except ValueError as error:  # json.JSONDecodeError is a ValueError
        parser.error(f"stdin: {error}")
    for flag, key in (("run_mode", "runMode"), ("max_iterations", "maxIterations"), ("papers", "papers"),
                      ("pace_ms", "paceMs"), ("workers", "workers"), ("fail_in", "failIn")):
        if getattr(args, flag) is None:
            setattr(args, flag, given.get(key, DEFAULTS.get(key)))

    if args.run_mode not in ("ONCE", "DEEP_LOOP"):
        parser.error(f"runMode must be ONCE or DEEP_LOOP, not {args.run_mode!r}")
    if args.fail_in is not None and args.fail_in not in STAGES:
        parser.error(f"failIn must be one of {', '.join(STAGES)}, not {args.fail_in!r}")
    for name, low in (("max_iterations", 1), ("papers", 1), ("pace_ms", 0), ("workers", 1)):
        value = getattr(args, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            parser.error(f"{name} must be an integer >= {low}, not {value!r}")
    return args


def check_failure(args: argparse.Namespace, stage: str) -> None:
    if args.fail_in == stage:
        raise RuntimeError(f"simulated failure in {stage} (failIn)")


def run(args: argparse.Namespace, tracker: ProgressTracker, out_dir: str) -> None:
    # initialization
    tracker.emit("initialization", "starting", "Loading definitions...")
    pace(3, args.pace_ms)
    papers = [Paper(f"P{n}", f"{TOPICS[n % len(TOPICS)]} for {list(PILLARS.values())[n % len(PILLARS)]}",
                    "" if n % 7 == 0 else f"Abstract of paper {n}.") for n in range(1, args.papers + 1)]
    check_failure(args, "initialization")
    print(f"Writing artifacts to {out_dir}", flush=True)
    tracker.emit("initialization", "complete", f"Loaded {len(PILLARS)} pillar definitions and {len(papers)} papers",
                 pillars=len(PILLARS), papers=len(papers))

    # judge
    tracker.emit("judge", "starting", "Running Judge to validate claims...", workers=args.workers)
    verdicts: dict[str, str] = {}
    pool = ProcessPoolExecutor(max_workers=args.workers)
    try:
        futures = [pool.submit(judge_paper, paper, args.pace_ms) for paper in papers]
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            verdicts[result["paper"]] = result["verdict"]
            tracker.emit("judge", "running", f"Judged {result['paper']} ({done}/{len(papers)}): {result['verdict']}",
                         stage_progress=done / len(papers), paper=result["paper"], worker_pid=result["pid"])
            if done == len(papers) // 2:
                check_failure(args, "judge")
    finally:
        pool.shutdown(cancel_futures=True)  # on an error, skip the papers not yet started
    supported = [paper for paper in papers if verdicts[paper.id] == "supported"]
    tracker.emit("judge", "complete", f"Claims validated: {len(supported)} supported, "
                 f"{len(papers) - len(supported)} rejected", supported=len(supported))

    # deep_review
    tracker.emit("deep_review", "starting", f"Running deep review on {len(papers)} papers...")
    evidence_count = {pillar: 0 for pillar in PILLARS}
    claims = 0
    pool = ProcessPoolExecutor(max_workers=args.workers)
    try:
        futures = [pool.submit(review_paper, paper, args.pace_ms) for paper in papers]
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            claims += result["claims"]
            for pillar in result["evidence"]:
                evidence_count[pillar] += 1
            tracker.emit("deep_review", "running",
                         f"Reviewed {result['paper']} ({done}/{len(papers)}): {plural(result['claims'], 'claim')}",
                         stage_progress=done / len(papers), paper=result["paper"], worker_pid=result["pid"])
            if done == len(papers) // 2:
                check_failure(args, "deep_review")
    finally:
        pool.shutdown(cancel_futures=True)  # on an error, skip the papers not yet started
    tracker.emit("deep_review", "complete", f"Deep review complete: {claims} claims extracted", claims=claims)

    # gap_analysis
    deep_loop = args.run_mode == "DEEP_LOOP"
    cap = args.max_iterations if deep_loop else 1
    tracker.emit("gap_analysis", "starting", f"Running gap analysis ({args.run_mode}"
                 + (f", up to {cap} iterations)..." if deep_loop else ")..."))
    completeness = {pillar: min(60.0, 25.0 + 4.0 * count) for pillar, count in evidence_count.items()}
    iteration = 0
    gain = FIRST_GAIN_PP
    while iteration < cap:
        iteration += 1
        gain = FIRST_GAIN_PP / 2 ** (iteration - 1)
        loop = {"iteration": iteration} if deep_loop else {}
        for n, (pillar, name) in enumerate(PILLARS.items(), start=1):
            pace(PILLAR_UNITS, args.pace_ms)
            completeness[pillar] = min(100.0, completeness[pillar] + gain)
            label = f"Iteration {iteration}: " if deep_loop else ""
            tracker.emit("gap_analysis", "running", f"{label}searched pillar {name}",
                         stage_progress=n / len(PILLARS), **loop)
        check_failure(args, "gap_analysis")
        mean = sum(completeness.values()) / len(completeness)
        done = f"Iteration {iteration} complete" if deep_loop else "Pass complete"
        tracker.emit("gap_analysis", "running", f"{done}: mean completeness {mean:.1f}% "
                     f"(+{gain:g} points)", stage_progress=1, completeness_scores=dict(completeness), **loop)
        if gain < MIN_GAIN_PP:
            break
    if deep_loop and gain >= MIN_GAIN_PP:
        print(f"warning: stopped at the iteration cap ({cap}) while still gaining {gain:g} points",
              file=sys.stderr, flush=True)
    for pillar, name in PILLARS.items():
        gaps = math.ceil((100 - completeness[pillar]) / 15)
        print(f"Found {plural(gaps, 'gap')} in pillar {name}", flush=True)
    mean = sum(completeness.values()) / len(completeness)
    tracker.emit("gap_analysis", "complete", f"Gap analysis finished after {plural(iteration, 'iteration')}: "
                 f"mean completeness {mean:.1f}%", iterations=iteration)

    # visualization
    tracker.emit("visualization", "starting", "Rendering completeness chart...")
    pace(4, args.pace_ms)
    check_failure(args, "visualization")
    bars = "".join(
        f'<text x="0" y="{24 * i + 16}" font-size="12">{html.escape(name)}</text>'
        f'<rect x="140" y="{24 * i + 4}" width="{2 * completeness[pillar]:.0f}" height="16" fill="#4a7bd0"/>'
        for i, (pillar, name) in enumerate(PILLARS.items()))
    svg_path = os.path.join(out_dir, "completeness.svg")
    with open(svg_path, "w", encoding="utf-8") as file:
        file.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="360" height="{24 * len(PILLARS)}">{bars}</svg>\n')
    # Published while its stage runs; report.md links it by this name (its path in HEADWAY_OUTPUT_DIR).
    tracker.artifact(svg_path, title="Completeness by pillar")
    tracker.emit("visualization", "complete", f"Wrote {svg_path}", chart=svg_path)

    # finalization
    tracker.emit("finalization", "starting", "Writing report...")
    pace(3, args.pace_ms)
    check_failure(args, "finalization")
    report_path = os.path.join(out_dir, "report.md")
    rows = "\n".join(f"| {name} | {completeness[pillar]:.1f}% |" for pillar, name in PILLARS.items())
    with open(report_path, "w", encoding="utf-8") as file:
        file.write(f"# Literature review\n\n{len(papers)} papers, {len(supported)} supported, {claims} claims, "
                   f"{args.run_mode} gap analysis in {plural(iteration, 'iteration')}.\n\n"
                   f"| Pillar | Completeness |\n|---|---|\n{rows}\n\n![Completeness](completeness.svg)\n")
    tracker.artifact(report_path, title="Literature review report")
    tracker.emit("finalization", "complete", f"Report written to {report_path}", report=report_path)


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    args = parse_config()
    out_dir = os.environ.get("HEADWAY_OUTPUT_DIR") or tempfile.mkdtemp(prefix="orchestrator-demo-")
    os.makedirs(out_dir, exist_ok=True)
    tracker = ProgressTracker()
    try:
        run(args, tracker, out_dir)
    except Exception as error:
        tracker.emit(tracker.current_stage or STAGES[0], "error", f"{type(error).__name__}: {error}")
        traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
