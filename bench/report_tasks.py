#!/usr/bin/env python3
"""Chat-task benchmarks (bench/tasks.sh). Standard library only.
  report_tasks.py report RESULTS_DIR > bench/tasks.md   the section, from loadgen's JSON
  report_tasks.py splice BENCHMARKS.md bench/tasks.md   puts the section into BENCHMARKS.md
The section sits between two markers; bench/report.py writes them around bench/tasks.md too."""
import json
import os
import sys

START = "<!-- tasks:start -->"
END = "<!-- tasks:end -->"


def load(results, name):
    path = os.path.join(results, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def metric(result, group, name, field="value"):
    try:
        return result["metrics"][group][name][field]
    except (KeyError, TypeError):
        return None


def fmt(value, digits=1):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def errors(result):
    found = {k: v for k, v in (result or {}).get("errorDetails", {}).items() if v}
    return ", ".join(f"{k} {v}" for k, v in sorted(found.items())) or "none"


def report(results):
    size = os.environ.get("BENCH_SIZE", "full")
    tasks = load(results, "gateway-tasks")
    stop = load(results, "gateway-stop")
    print("## Chat tasks (S7, S8)\n")
    print("Made by `" + ("BENCH_SIZE=smoke " if size == "smoke" else "") + "bench/tasks.sh` "
          "(also run by `bench/run.sh`). Gateway only: the peers have no tasks, and Open WebUI "
          "publishes no figures for these (its stop crossed replicas only through a listener that "
          "died on Redis hiccups, spec §10). The model server is the load generator's fake "
          "(OpenAI-compatible SSE, loopback), so its clock is the clients' clock.\n")
    print("| Figure | Value | Target |")
    print("|---|---|---|")
    if tasks:
        started = metric(tasks, "tasks", "tasksStarted")
        complete = metric(tasks, "tasks", "tasksCompleteAndInOrder")
        print(f"| S7 concurrent tasks on one replica, 100 chunks at 20/s each | {fmt(started)} | 2,000 |")
        print(f"| S7 tasks whose every chunk arrived, in order, with the whole final output | "
              f"{fmt(complete)} of {fmt(started)} | all |")
        print(f"| S7 chunks delivered (snapshot `chat:completion` events) | "
              f"{fmt(metric(tasks, 'tasks', 'chunksDelivered'))} in {fmt(metric(tasks, 'tasks', 'elapsed'))} s "
              f"(nominal {fmt(metric(tasks, 'tasks', 'nominalDuration'))} s) | |")
        print(f"| S7 gateway CPU per delivered chunk | {fmt(metric(tasks, 'tasks', 'serverCpuPerChunk'))} µs | reported |")
        print(f"| S7 gateway CPU while streaming | {fmt(metric(tasks, 'tasks', 'serverCpu'), 0)} % of one core | |")
    if stop:
        p50 = metric(stop, "stop", "stopToUpstreamClosed", "p50")
        p99 = metric(stop, "stop", "stopToUpstreamClosed", "p99")
        print(f"| S8 stop on replica B → model server sees replica A's stream closed, "
              f"{fmt(metric(stop, 'stop', 'tasksStopped'))} streaming tasks (after {fmt(metric(stop, 'stop', 'warmupStops'))} warm-up stops) | p50 {fmt(p50, 2)} ms, "
              f"p99 {fmt(p99, 2)} ms, max {fmt(metric(stop, 'stop', 'stopToUpstreamClosed', 'max'), 2)} ms | p99 ≤ 100 ms |")
        print(f"| S8 stop on replica B → its HTTP answer | p50 "
              f"{fmt(metric(stop, 'stop', 'stopHttpAnswer', 'p50'), 2)} ms, p99 "
              f"{fmt(metric(stop, 'stop', 'stopHttpAnswer', 'p99'), 2)} ms | |")
        print(f"| S8 stop on replica B → the tab's `chat:tasks:cancel` | p50 "
              f"{fmt(metric(stop, 'stop', 'stopToCancelEvent', 'p50'), 2)} ms, p99 "
              f"{fmt(metric(stop, 'stop', 'stopToCancelEvent', 'p99'), 2)} ms | |")
    print()
    print(f"Errors reported: S7 {errors(tasks)}; S8 {errors(stop)}.")


def splice(benchmarks, section_file):
    with open(section_file) as f:
        section = START + "\n" + f.read().rstrip() + "\n" + END + "\n"
    with open(benchmarks) as f:
        text = f.read()
    if START in text and END in text:
        before = text[: text.index(START)]
        after = text[text.index(END) + len(END):].lstrip("\n")
        text = before + section + "\n" + after
    elif "## Profiling log" in text:
        at = text.index("## Profiling log")
        text = text[:at] + section + "\n" + text[at:]
    else:
        text = text.rstrip() + "\n\n" + section
    with open(benchmarks, "w") as f:
        f.write(text)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "report":
        report(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "splice":
        splice(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
