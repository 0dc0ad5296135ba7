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


def ms_to_s(value):
    return None if value is None else value / 1000.0


def errors(result):
    found = {k: v for k, v in (result or {}).get("errorDetails", {}).items() if v}
    return ", ".join(f"{k} {v}" for k, v in sorted(found.items())) or "none"


def report(results):
    size = os.environ.get("BENCH_SIZE", "full")
    tasks = load(results, "gateway-tasks")
    stop = load(results, "gateway-stop")
    realtime = load(results, "gateway-tasks-realtime")
    print("## Chat tasks (S7, S8, S12)\n")
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
        print(f"| S7 chunks delivered (snapshot `chat:completion` events); time from the first start "
              f"to the last final event (starting them all) | {fmt(metric(tasks, 'tasks', 'chunksDelivered'))}; "
              f"{fmt(metric(tasks, 'tasks', 'elapsed'))} s ({fmt(metric(tasks, 'tasks', 'startElapsed'))} s) | |")
        print(f"| S7 one reply at its tab, first chunk to final event (nominal {fmt(4.95, 2)} s) | p50 "
              f"{fmt(ms_to_s(metric(tasks, 'tasks', 'firstChunkToDone', 'p50')), 2)} s, p99 "
              f"{fmt(ms_to_s(metric(tasks, 'tasks', 'firstChunkToDone', 'p99')), 2)} s | |")
        print(f"| S7 gateway CPU per delivered chunk | {fmt(metric(tasks, 'tasks', 'serverCpuPerChunk'))} µs | reported |")
        print(f"| S7 gateway CPU while streaming | {fmt(metric(tasks, 'tasks', 'serverCpu'), 0)} % of one core "
              f"(load generator: {fmt(metric(tasks, 'tasks', 'loadgenCpu'), 0)} %) | |")
    if realtime:
        print(f"| S7 with {fmt(metric(realtime, 'tasks', 'tasksStarted'))} tasks: complete and in order; one reply "
              f"at its tab (nominal 4.95 s); CPU per chunk | "
              f"{fmt(metric(realtime, 'tasks', 'tasksCompleteAndInOrder'))}; p50 "
              f"{fmt(ms_to_s(metric(realtime, 'tasks', 'firstChunkToDone', 'p50')), 2)} s, p99 "
              f"{fmt(ms_to_s(metric(realtime, 'tasks', 'firstChunkToDone', 'p99')), 2)} s; "
              f"{fmt(metric(realtime, 'tasks', 'serverCpuPerChunk'))} µs | |")
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
    print(f"Errors reported: S7 {errors(tasks)}; S7 ({fmt(metric(realtime, 'tasks', 'tasksStarted'))} tasks) "
          f"{errors(realtime)}; S8 {errors(stop)}.")
    compression(results)


COMPRESSION_RUNS = [(stream, deflate) for stream in ("snapshot", "delta") for deflate in ("true", "false")]


def compression(results):
    """S12: the same streamed replies with and without permessage-deflate, in both formats."""
    found = {key: load(results, f"gateway-compression-{key[0]}-{key[1]}") for key in COMPRESSION_RUNS}
    if not any(found.values()):
        return
    first = next(r for r in found.values() if r)
    replies = metric(first, "tasks", "tasksStarted")
    print()
    print("### WebSocket compression (S12)\n")
    print(f"{fmt(replies)} replies of 100 chunks at 20/s each, streamed at once to one replica, whose tabs "
          "offer permessage-deflate as browsers do (`permessage-deflate; client_max_window_bits`); the "
          "gateway takes it or not by `UVICORN_WS_PER_MESSAGE_DEFLATE`, in both `GATEWAY_COMPLETION_STREAM` "
          "formats. Bytes on the wire are the kernel's TCP count of the client sockets (`ss -tin`, "
          "`bytes_received` of every client WebSocket, read before and after the measured round): the "
          "frames as the gateway sent them, headers included, after compression. Uncompressed is the "
          "characters of the text packets the clients read, after Vert.x inflated them. CPU is the "
          "gateway's, per delivered chunk and per reply, over the measured round (an unmeasured round "
          "of the same replies ran first).\n")
    print("| Format | permessage-deflate | Tabs that negotiated it | Bytes on the wire per reply | "
          "Uncompressed per reply | Wire / uncompressed | Gateway CPU per chunk | Gateway CPU per reply | "
          "Complete and in order |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (stream, deflate), r in found.items():
        if not r:
            print(f"| {stream} | {deflate} | n/a | n/a | n/a | n/a | n/a | n/a | n/a |")
            continue
        started = metric(r, "tasks", "tasksStarted") or 0
        wire = metric(r, "tasks", "wireBytesPerReply")
        chars = metric(r, "tasks", "clientPayloadChars")
        per_reply_chars = chars / started if chars is not None and started else None
        cpu_chunk = metric(r, "tasks", "serverCpuPerChunk")
        chunks = metric(r, "tasks", "chunksDelivered")
        cpu_reply = cpu_chunk * chunks / started if cpu_chunk is not None and chunks and started else None
        share = f"{100 * wire / per_reply_chars:.0f} %" if wire and per_reply_chars else "n/a"
        negotiated = metric(r, "clients", "deflateNegotiated")
        print(f"| {stream} | {deflate} | {fmt(negotiated)} of {fmt(metric(r, 'connect', 'connected'))} | "
              f"{fmt(wire, 0)} B | {fmt(per_reply_chars, 0)} B | {share} | {fmt(cpu_chunk)} µs | "
              f"{fmt(None if cpu_reply is None else cpu_reply / 1000, 2)} ms | "
              f"{fmt(metric(r, 'tasks', 'tasksCompleteAndInOrder'))} of {fmt(started)} |")
    print()
    print("Errors reported: " + "; ".join(f"{stream} / deflate {deflate}: {errors(r)}"
                                          for (stream, deflate), r in found.items()) + ".")


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
