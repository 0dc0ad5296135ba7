#!/usr/bin/env python3
"""Turns bench/results/*.json into BENCHMARKS.md (stdout): one row per figure, one column per
server, and the gateway's ratio to each peer. Standard library only."""
import glob
import json
import os
import platform
import statistics
import subprocess
import sys

RESULTS = sys.argv[1]
SERVERS = ["gateway", "node", "python"]
LABELS = {"gateway": "Gateway", "node": "Node socket.io", "python": "python-socketio"}


def load(name):
    path = os.path.join(RESULTS, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def metric(result, group, name, field="value"):
    try:
        return result["metrics"][group][name][field]
    except (KeyError, TypeError):
        return None


def connect_rate(server):
    parts = [r for r in (load(f"{server}-connect-{i}") for i in (0, 1)) if r]
    if not parts:
        return None
    connected = sum(metric(r, "connect", "connected") or 0 for r in parts)
    elapsed = max(metric(r, "connect", "elapsed") or 0 for r in parts)
    return connected / elapsed if elapsed else None


def memory_per_connection(server, field):
    m = load(f"{server}-memory")
    if not m or m.get(field + "_after_kb") in (None, "") or m.get(field + "_before_kb") in (None, ""):
        return None
    return (m[field + "_after_kb"] - m[field + "_before_kb"]) / m["connections"]


def cpu_per_message(server, scenario, group, rate_name):
    """Server CPU in microseconds per delivered message (or call): efficiency independent of how
    much of the machine the load generator took."""
    result = load(f"{server}-{scenario}")
    cpu, rate = metric(result, group, "serverCpu"), metric(result, group, rate_name)
    if cpu is None or not rate:
        return None
    return cpu / 100 / rate * 1e6


def start(server, field):
    s = load(f"{server}-start")
    if not s:
        return None
    return statistics.median(run[field] for run in s["runs"])


# (figure, unit, better, getter(server))
ROWS = [
    ("S1 connections/s (10,000 authenticated)", "conn/s", "higher", connect_rate),
    ("S1 RSS per idle connection", "KiB", "lower", lambda s: memory_per_connection(s, "rss")),
    ("S1 JVM heap per idle connection", "KiB", "lower", lambda s: memory_per_connection(s, "heap")),
    ("S2 fan-out delivered at saturation", "msg/s", "higher",
     lambda s: metric(load(f"{s}-fanout"), "saturation", "deliveriesPerSec")),
    ("S2 server CPU per delivered message at saturation", "µs", "lower",
     lambda s: cpu_per_message(s, "fanout", "saturation", "deliveriesPerSec")),
    ("S2 emit→receive p50 at half rate", "ms", "lower",
     lambda s: metric(load(f"{s}-fanout"), "rate", "emitToReceive", "p50")),
    ("S2 emit→receive p99 at half rate", "ms", "lower",
     lambda s: metric(load(f"{s}-fanout"), "rate", "emitToReceive", "p99")),
    ("S3 room broadcast deliveries", "msg/s", "higher",
     lambda s: metric(load(f"{s}-room"), "room", "deliveriesPerSec")
     or metric(load(f"{s}-room"), "saturation", "deliveriesPerSec")),
    ("S3 room broadcast p99", "ms", "lower",
     lambda s: metric(load(f"{s}-room"), "room", "emitToReceive", "p99")
     or metric(load(f"{s}-room"), "saturation", "emitToReceive", "p99")),
    ("S4 calls", "calls/s", "higher", lambda s: metric(load(f"{s}-calls"), "calls", "callsPerSec")),
    ("S4 server CPU per call", "µs", "lower", lambda s: cpu_per_message(s, "calls", "calls", "callsPerSec")),
    ("S4 call round trip p50", "ms", "lower",
     lambda s: metric(load(f"{s}-calls"), "calls", "roundTrip", "p50")),
    ("S4 call round trip p99", "ms", "lower",
     lambda s: metric(load(f"{s}-calls"), "calls", "roundTrip", "p99")),
    ("S5 cross-replica delivered at saturation", "msg/s", "higher",
     lambda s: metric(load(f"{s}-cross"), "saturation", "deliveriesPerSec")),
    ("S5 cross-replica p99 at half rate", "ms", "lower",
     lambda s: metric(load(f"{s}-cross"), "rate", "emitToReceive", "p99")),
    ("S6 launch to ready (median of 3)", "ms", "lower", lambda s: start(s, "ready_ms")),
    ("S6 idle RSS", "MiB", "lower", lambda s: (start(s, "idle_rss_kb") or 0) / 1024 or None),
]


def fmt(value):
    if value is None:
        return "n/a"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def ratio(gateway, peer, better):
    if gateway is None or peer in (None, 0) or gateway == 0:
        return "n/a"
    r = gateway / peer if better == "higher" else peer / gateway
    return f"{r:.2f}x"


def command(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=10).stdout.strip() \
            or subprocess.run(args, capture_output=True, text=True, timeout=10).stderr.strip()
    except OSError:
        return "not found"


def errors_summary():
    lines = []
    for path in sorted(glob.glob(os.path.join(RESULTS, "*.json"))):
        with open(path) as f:
            data = json.load(f)
        if isinstance(data, dict) and data.get("errors"):
            details = {k: v for k, v in data.get("errorDetails", {}).items() if v}
            lines.append(f"- `{os.path.basename(path)}`: {data['errors']} errors {details}")
    return lines


cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
mem = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
java = command("java", "-version").splitlines()[0]
node = command("node", "--version")
sio_py = command("dpkg-query", "-W", "-f=${Version}", "python3-socketio")

print("# Benchmarks\n")
size = os.environ.get("BENCH_SIZE", "full")
print("Made by `" + ("BENCH_SIZE=smoke " if size == "smoke" else "") + "bench/run.sh` (sizes: " + size + "). "
      "Every server ran alone on this machine, with the load generator (`bench/loadgen`) beside it; "
      "ratios are the gateway against each peer, above 1x meaning the gateway does better.\n")
print(f"- Machine: {os.cpu_count()} cores ({cpu}), {int(mem) // 1024 // 1024} GiB, {platform.platform()}")
print(f"- Gateway: Quarkus 3.33.2 on {java}")
print(f"- Node socket.io 4.8.3 (@socket.io/redis-adapter 8.3.0) on Node {node}")
print(f"- python-socketio {sio_py} (Debian) with aiohttp on {command('/usr/bin/python3', '--version')}")
print()
print("| Figure | Unit | " + " | ".join(LABELS[s] for s in SERVERS) + " | vs Node | vs Python |")
print("|---|---|" + "---|" * len(SERVERS) + "---|---|")
for figure, unit, better, getter in ROWS:
    values = {}
    for server in SERVERS:
        try:
            values[server] = getter(server)
        except Exception:  # a missing or partial result is shown as n/a
            values[server] = None
    print(f"| {figure} | {unit} | " + " | ".join(fmt(values[s]) for s in SERVERS)
          + f" | {ratio(values['gateway'], values['node'], better)}"
          + f" | {ratio(values['gateway'], values['python'], better)} |")
print()
print("## Targets (issue #4)\n")


def row(figure):
    return next(getter for name, _, _, getter in ROWS if name == figure)


fanout = {srv: row("S2 fan-out delivered at saturation")(srv) for srv in SERVERS}
fanout_cpu = {srv: row("S2 server CPU per delivered message at saturation")(srv) for srv in SERVERS}
generator_cpu = {srv: metric(load(f"{srv}-fanout"), "saturation", "loadgenCpu") for srv in SERVERS}
rss = memory_per_connection("gateway", "rss")
p99_half = row("S2 emit→receive p99 at half rate")("gateway")
p99_cross = row("S5 cross-replica p99 at half rate")("gateway")


def target(name, ok, actual, value=None, goal=None, better="higher"):
    """One target line; a missed one says by how much."""
    gap = ""
    if not ok and value and goal:
        short = (goal - value) / goal if better == "higher" else (value - goal) / goal
        gap = f", {100 * short:.0f} % {'short of' if better == 'higher' else 'over'} the target"
    print(f"- {name}: {'met' if ok else 'missed'} ({actual}{gap})")


if fanout["gateway"] and fanout["node"] and fanout["python"]:
    vs_node, vs_python = fanout["gateway"] / fanout["node"], fanout["gateway"] / fanout["python"]
    target("S2 >= 3x Node socket.io", vs_node >= 3, f"{vs_node:.2f}x", vs_node, 3)
    target("S2 >= 10x python-socketio", vs_python >= 10, f"{vs_python:.2f}x", vs_python, 10)
if rss is not None:
    target("S1 <= 8 KB RSS per idle connection", rss <= 8, f"{rss:.1f} KiB", rss, 8, "lower")
if p99_half is not None:
    target("S2 p99 at half rate <= 5 ms", p99_half <= 5, f"{p99_half:.2f} ms", p99_half, 5, "lower")
if p99_cross is not None:
    target("S5 p99 <= 10 ms", p99_cross <= 10, f"{p99_cross:.2f} ms", p99_cross, 10, "lower")
if all(fanout_cpu.values()) and all(generator_cpu.values()):
    print(f"\nS2 shares two cores between the server and the load generator, which used "
          + ", ".join(f"{generator_cpu[s]:.0f} %" for s in SERVERS)
          + " of a core against " + ", ".join(LABELS[s] for s in SERVERS) + ". Server CPU per delivered "
          f"message, which does not depend on that share: gateway {fanout_cpu['gateway']:.1f} µs, "
          f"{fanout_cpu['node'] / fanout_cpu['gateway']:.2f}x less than Node socket.io, "
          f"{fanout_cpu['python'] / fanout_cpu['gateway']:.2f}x less than python-socketio.")
print("\nWhat limits each missed target, and how much the figures move from run to run: section 5 of "
      "the profiling log below.")
jdk25 = load("gateway25-start")
if jdk25:
    print()
    print(f"S6 on JDK 25 with an AOT cache: launch to ready {fmt(start('gateway25', 'ready_ms'))} ms, "
          f"idle RSS {fmt(start('gateway25', 'idle_rss_kb') / 1024)} MiB.")
tasks_section = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tasks.md")
if os.path.exists(tasks_section):
    print()
    with open(tasks_section) as f:
        print("<!-- tasks:start -->\n" + f.read().rstrip() + "\n<!-- tasks:end -->")
polling_section = os.path.join(os.path.dirname(os.path.abspath(__file__)), "polling.md")
if os.path.exists(polling_section):
    print()
    with open(polling_section) as f:
        print("<!-- polling:start -->\n" + f.read().rstrip() + "\n<!-- polling:end -->")
log = os.path.join(os.path.dirname(os.path.abspath(__file__)), "profiling.md")
if os.path.exists(log):
    print()
    with open(log) as f:
        print(f.read().replace("Hand-written; `bench/report.py` appends it to BENCHMARKS.md.\n\n", ""))
errors = errors_summary()
if errors:
    print("\n## Errors reported by the load generator\n")
    print("\n".join(errors))
