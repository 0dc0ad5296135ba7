#!/usr/bin/env python3
"""Turns bench/results/*.json into BENCHMARKS.md (stdout): one row per figure, one column per
server, and the gateway's ratio to each peer; each figure the median of bench/run.sh's rounds
with its spread. Then S0 (the gateway as a share of a bare Vert.x server), the gateway-only S2b
and S5py, the targets, and the sections of bench/tasks.sh, bench/polling.sh and the profiling log.
Standard library only."""
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


def runs(server, name):
    """Results of the rounds of one scenario: round number -> result."""
    found = {}
    for path in glob.glob(os.path.join(RESULTS, f"{server}-{name}-r*.json")):
        round_id = path[:-len(".json")].rsplit("-r", 1)[1]
        if round_id.isdigit():
            with open(path) as f:
                found[int(round_id)] = json.load(f)
    return found


def per_round(server, name, extract):
    """Round -> value of a repeated scenario, rounds without a value left out."""
    values = {}
    for round_id, result in runs(server, name).items():
        try:
            value = extract(result)
        except Exception:  # a partial result is left out
            value = None
        if value is not None:
            values[round_id] = value
    return values


def connect_rate(server):
    parts = [r for r in (load(f"{server}-connect-{i}") for i in (0, 1)) if r]
    if not parts:
        return {}
    connected = sum(metric(r, "connect", "connected") or 0 for r in parts)
    elapsed = max(metric(r, "connect", "elapsed") or 0 for r in parts)
    return {1: connected / elapsed} if elapsed else {}


def memory_per_connection(server, field):
    """Per-connection growth for each of S1's memory samples."""
    m = load(f"{server}-memory")
    if not m or m.get(field + "_before_kb") in (None, ""):
        return {}
    samples = m.get(field + "_after_samples_kb") or [m.get(field + "_after_kb")]
    return {i + 1: (after - m[field + "_before_kb"]) / m["connections"]
            for i, after in enumerate(samples) if after not in (None, "")}


def cpu_per(result, group, rate_name):
    """Server CPU in microseconds per delivered message (or call): efficiency independent of how
    much of the machine the load generator took."""
    cpu, rate = metric(result, group, "serverCpu"), metric(result, group, rate_name)
    if cpu is None or not rate:
        return None
    return cpu / 100 / rate * 1e6


def start(server, field):
    s = load(f"{server}-start")
    if not s:
        return {}
    return {i + 1: run[field] for i, run in enumerate(s["runs"])}


def repeated(name, extract):
    return lambda server: per_round(server, name, extract)


def room_deliveries(r):
    return metric(r, "room", "deliveriesPerSec") or metric(r, "saturation", "deliveriesPerSec")


# (figure, unit, better, getter(server) -> {round or sample: value}, paired): paired rows come
# from rounds, where each server ran once, so their ratio is taken round by round.
ROWS = [
    ("S1 connections/s (10,000 authenticated)", "conn/s", "higher", connect_rate, False),
    ("S1 RSS per idle connection", "KiB", "lower", lambda s: memory_per_connection(s, "rss"), False),
    ("S1 JVM heap per idle connection", "KiB", "lower", lambda s: memory_per_connection(s, "heap"), False),
    ("S2 fan-out delivered at saturation", "msg/s", "higher",
     repeated("fanout", lambda r: metric(r, "saturation", "deliveriesPerSec")), True),
    ("S2 server CPU per delivered message at saturation", "µs", "lower",
     repeated("fanout", lambda r: cpu_per(r, "saturation", "deliveriesPerSec")), True),
    ("S2 emit→receive p50 at half rate", "ms", "lower",
     repeated("fanout", lambda r: metric(r, "rate", "emitToReceive", "p50")), True),
    ("S2 emit→receive p99 at half rate", "ms", "lower",
     repeated("fanout", lambda r: metric(r, "rate", "emitToReceive", "p99")), True),
    ("S3 room broadcast deliveries", "msg/s", "higher", repeated("room", room_deliveries), True),
    ("S3 room broadcast p99 at saturation", "ms", "lower",
     repeated("room", lambda r: metric(r, "room", "emitToReceive", "p99")
              or metric(r, "saturation", "emitToReceive", "p99")), True),
    ("S3 room broadcast p50 at 20 broadcasts/s", "ms", "lower",
     repeated("room", lambda r: metric(r, "rate", "emitToReceive", "p50")), True),
    ("S3 room broadcast p99 at 20 broadcasts/s", "ms", "lower",
     repeated("room", lambda r: metric(r, "rate", "emitToReceive", "p99")), True),
    ("S4 calls", "calls/s", "higher", repeated("calls", lambda r: metric(r, "calls", "callsPerSec")), True),
    ("S4 server CPU per call", "µs", "lower",
     repeated("calls", lambda r: cpu_per(r, "calls", "callsPerSec")), True),
    ("S4 call round trip p50", "ms", "lower",
     repeated("calls", lambda r: metric(r, "calls", "roundTrip", "p50")), True),
    ("S4 call round trip p99", "ms", "lower",
     repeated("calls", lambda r: metric(r, "calls", "roundTrip", "p99")), True),
    ("S5 cross-replica delivered at saturation", "msg/s", "higher",
     repeated("cross", lambda r: metric(r, "saturation", "deliveriesPerSec")), True),
    ("S5 cross-replica p99 at half rate", "ms", "lower",
     repeated("cross", lambda r: metric(r, "rate", "emitToReceive", "p99")), True),
    ("S6 launch to ready (3 launches)", "ms", "lower", lambda s: start(s, "ready_ms"), False),
    ("S6 idle RSS (3 launches)", "MiB", "lower",
     lambda s: {k: v / 1024 for k, v in start(s, "idle_rss_kb").items()}, False),
]


def median(values):
    values = list(values)
    return statistics.median(values) if values else None


def fmt(value):
    if value is None:
        return "n/a"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def spread(values, show=fmt):
    """The median, and the lowest and highest in brackets when there are several."""
    values = list(values)
    if not values:
        return "n/a"
    if len(values) == 1:
        return show(values[0])
    return f"{show(median(values))} ({show(min(values))}–{show(max(values))})"


def ratio_values(gateway, peer, better, paired):
    """The gateway's ratio to a peer, above 1 meaning better: round by round for paired rows,
    else the ratio of the medians."""
    def one(g, p):
        if g in (None, 0) or p in (None, 0):
            return None
        return g / p if better == "higher" else p / g
    if paired:
        return [r for r in (one(gateway[k], peer[k]) for k in sorted(gateway.keys() & peer.keys()))
                if r is not None]
    r = one(median(gateway.values()), median(peer.values()))
    return [] if r is None else [r]


def ratio(gateway, peer, better, paired):
    return spread(ratio_values(gateway, peer, better, paired), lambda r: f"{r:.2f}x")


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
meta = load("meta") or {}
rounds = meta.get("runs", 1)

print("# Benchmarks\n")
size = os.environ.get("BENCH_SIZE", "full")
print("Made by `" + ("BENCH_SIZE=smoke " if size == "smoke" else "") + "bench/run.sh` (sizes: " + size + "). "
      "Every server ran alone on this machine, with the load generator (`bench/loadgen`) beside it; "
      "ratios are the gateway against each peer, above 1x meaning the gateway does better.\n")
print(f"- Commit measured: `{meta.get('commit', 'unknown')}`, run from {meta.get('started', '?')} to "
      f"{meta.get('finished', '?')} (load average {meta.get('load_before', '?')} before, "
      f"{meta.get('load_after', '?')} after)")
if meta.get("scenarios", "all") != "all" or meta.get("servers", "gateway node python") != "gateway node python":
    print(f"- Filtered run: scenarios {meta.get('scenarios')}, servers {meta.get('servers')}")
print(f"- Method: S0, S2-S5, S2b and S5py ran {rounds} times in rounds, each server once per round; "
      "a figure is the median of the rounds with the lowest and highest in brackets, a ratio the "
      "median of the same-round ratios (with their range). S1 is one run whose memory was read three "
      "times during the hold, S6 three launches. Every load scenario starts with unreported load "
      "(20 s at full size) so that the JVMs' JIT has settled. S3 delivers to one room as fast as 16 broadcasts in "
      "flight allow (saturation), then at 20 broadcasts/s for every server, the same load for all.")
print(f"- Machine: {os.cpu_count()} cores ({cpu}), {int(mem) // 1024 // 1024} GiB, {platform.platform()}")
print(f"- Gateway: Quarkus 3.33.2 on {java}")
print(f"- Node socket.io 4.8.3 (@socket.io/redis-adapter 8.3.0) on Node {node}")
print(f"- python-socketio {sio_py} (Debian) with aiohttp on {command('/usr/bin/python3', '--version')}")
print("- S0: a bare Vert.x 4.5.27 WebSocket server (`bench/peers/vertx`), the gateway's own stack with no "
      "Engine.IO or Socket.IO logic, on the gateway's JVM flags")
print()
print("| Figure | Unit | " + " | ".join(LABELS[s] for s in SERVERS) + " | vs Node | vs Python |")
print("|---|---|" + "---|" * len(SERVERS) + "---|---|")
table = {}
for figure, unit, better, getter, paired in ROWS:
    values = {}
    for server in SERVERS:
        try:
            values[server] = getter(server)
        except Exception:  # a missing or partial result is shown as n/a
            values[server] = {}
    table[figure] = values
    print(f"| {figure} | {unit} | " + " | ".join(spread(values[s].values()) for s in SERVERS)
          + f" | {ratio(values['gateway'], values['node'], better, paired)}"
          + f" | {ratio(values['gateway'], values['python'], better, paired)} |")
print()

# S0: the gateway as a share of a bare Vert.x server doing the least the load generator needs.
S0_ROWS = [
    ("S0 bare Vert.x fan-out", "msg/s", "higher", "fanout",
     lambda r: metric(r, "saturation", "deliveriesPerSec")),
    ("S0 bare Vert.x fan-out: server CPU per delivered message", "µs", "lower", "fanout",
     lambda r: cpu_per(r, "saturation", "deliveriesPerSec")),
    ("S0 bare Vert.x fan-out: emit→receive p99 at half rate", "ms", "lower", "fanout",
     lambda r: metric(r, "rate", "emitToReceive", "p99")),
    ("S0 bare Vert.x room broadcast", "msg/s", "higher", "room", room_deliveries),
    ("S0 bare Vert.x room broadcast p99 at saturation", "ms", "lower", "room",
     lambda r: metric(r, "room", "emitToReceive", "p99")),
    ("S0 bare Vert.x room broadcast p99 at 20 broadcasts/s", "ms", "lower", "room",
     lambda r: metric(r, "rate", "emitToReceive", "p99")),
]
if any(runs("vertx", name) for _, _, _, name, _ in S0_ROWS):
    print("## The limit: the gateway against a bare Vert.x server (S0)\n")
    print("S2 and S3 with the same load generator against `bench/peers/vertx`: a Vert.x WebSocket server "
          "that answers the handshake the load generator expects (Engine.IO OPEN, the CONNECT answer, "
          "`user:<id>` from the token unverified, `join-channel`) and, for each `POST /internal/v1/emit`, "
          "writes the same `42[\"events\",...]` frames to the same connections; nothing else (no pings, "
          "acks, rooms API, limits, metrics, Redis). The share is the gateway's figure as a percentage of "
          "the bare server's, round by round: 100 % would mean Socket.IO costs nothing on top of Vert.x.\n")
    print("| Figure | Unit | Bare Vert.x | Gateway | Gateway's share |")
    print("|---|---|---|---|---|")
    for figure, unit, better, name, extract in S0_ROWS:
        bare = per_round("vertx", name, extract)
        gateway = per_round("gateway", name, extract)
        shares = [100 * v for v in ratio_values(gateway, bare, better, True)]
        print(f"| {figure} | {unit} | {spread(bare.values())} | {spread(gateway.values())} | "
              f"{spread(shares, lambda v: f'{v:.0f} %')} |")
    print()

# Gateway only: the batch emit API, and Open WebUI's backend publishing to Redis.
batch_runs = runs("gateway", "fanout-batch")
python_runs = runs("gateway", "python-manager")
if batch_runs or python_runs:
    print("## Gateway only: batch emits (S2b) and python-socketio publishing (S5py)\n")
    print("| Figure | Unit | Gateway | Against S2, same round |")
    print("|---|---|---|---|")
    if batch_runs:
        batch = next(iter(batch_runs.values()))["parameters"].get("batch", "?")
        single = per_round("gateway", "fanout", lambda r: metric(r, "saturation", "deliveriesPerSec"))
        events = per_round("gateway", "fanout-batch", lambda r: metric(r, "saturation", "deliveriesPerSec"))
        gain = ratio_values(events, single, "higher", True)
        print(f"| S2b batch emit ({batch} emits per `POST /internal/v1/emit`): events delivered at saturation | "
              f"events/s | {spread(events.values())} | {spread(gain, lambda r: f'{r:.2f}x')} |")
        print(f"| S2b HTTP requests at saturation | requests/s | "
              f"{spread(per_round('gateway', 'fanout-batch', lambda r: metric(r, 'saturation', 'requestsPerSec')).values())} | |")
        print(f"| S2b server CPU per delivered event at saturation | µs | "
              f"{spread(per_round('gateway', 'fanout-batch', lambda r: cpu_per(r, 'saturation', 'deliveriesPerSec')).values())} | |")
        for p in ("p50", "p99"):
            print(f"| S2b emit→receive {p} at half rate | ms | "
                  f"{spread(per_round('gateway', 'fanout-batch', lambda r, p=p: metric(r, 'rate', 'emitToReceive', p)).values())} | |")
    if python_runs:
        first = next(iter(python_runs.values()))
        rate = metric(first, "rate", "targetEmitRate")
        chats = f"{rate / 20:,.0f} streamed replies at 20 chunks/s" if rate else "the Open WebUI rate"
        print(f"| S5py python-socketio → gateway: delivered at saturation | msg/s | "
              f"{spread(per_round('gateway', 'python-manager', lambda r: metric(r, 'saturation', 'deliveriesPerSec')).values())} | |")
        for p in ("p50", "p99"):
            print(f"| S5py python-socketio → gateway: emit→receive {p} at {fmt(rate)} emits/s ({chats}) | ms | "
                  f"{spread(per_round('gateway', 'python-manager', lambda r, p=p: metric(r, 'rate', 'emitToReceive', p)).values())} | |")
    print()
    if batch_runs:
        print("S2b is S2 against the gateway with each HTTP request carrying a JSON array of emit objects "
              "(`--batch`); the window, the rates and the counts are in emits, so the figure compares "
              "with S2's directly. A server without the batch API answers 400, shown below as errors.")
    if python_runs:
        print("S5py: one gateway replica in Redis mode holds the clients; the load generator publishes each "
              "emit on the `socketio` channel as python-socketio 5.14+ (Open WebUI's backend) does, a JSON "
              "manager message `{\"method\": \"emit\", \"event\": \"events\", \"data\": [...], "
              "\"room\": \"user:<id>\", ...}` with Python's spacing, one PUBLISH per emit (Open WebUI "
              "emits once per streamed chunk at `CHAT_RESPONSE_STREAM_DELTA_CHUNK_SIZE=1`); first as fast "
              "as a window of 128 allows, then at the rate of that many concurrent replies. Each payload is "
              "the load generator's small `{t, seq, p}`, not a real chunk.")
    print()

print("## Targets (issue #4)\n")


def med(figure, server):
    return median(table[figure][server].values())


fanout = {srv: med("S2 fan-out delivered at saturation", srv) for srv in SERVERS}
fanout_cpu = {srv: med("S2 server CPU per delivered message at saturation", srv) for srv in SERVERS}
generator_cpu = {srv: median(per_round(srv, "fanout", lambda r: metric(r, "saturation", "loadgenCpu")).values())
                 for srv in SERVERS}
rss = med("S1 RSS per idle connection", "gateway")
p99_half = med("S2 emit→receive p99 at half rate", "gateway")
p99_cross = med("S5 cross-replica p99 at half rate", "gateway")


def target(name, ok, actual, value=None, goal=None, better="higher", limit=None):
    """One target line; a missed one says by how much and, given a limit, what limits it."""
    gap = ""
    if not ok and value and goal:
        short = (goal - value) / goal if better == "higher" else (value - goal) / goal
        gap = f", {100 * short:.0f} % {'short of' if better == 'higher' else 'over'} the target"
    print(f"- {name}: {'met' if ok else 'missed'} ({actual}{gap})")
    if not ok and limit:
        print(f"  - what limits it: {limit}")


# What the profiles say limits each of issue 13's targets when it is missed.
LIMITS = {
    "S5": "two replicas, Redis and the load generator share two cores, and each delivered message "
          "costs CPU in all four processes (profiling log 12 and 15)",
    "S1": "half of the live heap per connection is the HTTP/WebSocket stack's own objects (heap "
          "histogram and native memory tracking, profiling log 4 and 10)",
    "S3 saturation": "Vert.x flushes a connection only when its queued writes are done, so at saturation "
                     "frames wait for the pipeline to pause; the bare Vert.x server of S0 has the same tail "
                     "(profiling log 14)",
    "S3 20 broadcasts/s": "part of the gap is Vert.x's own (the bare Vert.x server of S0 lies between Node and "
                          "the gateway at this rate); the rest is the time to write a broadcast out, the gateway "
                          "spending about twice the bare server's CPU per frame, most of it in websockets-next's "
                          "per-frame send path; GC pauses are not in the phase (profiling log 11 and 15)",
    "ready": "loading and compiling about 6,800 classes on two cores; the AppCDS archive takes about 30 % "
             "off; below that is the native executable, which cannot be built here (profiling log 10 and 13)",
    "rss": "the JVM itself: metaspace, code cache, symbols, GC structures and the CDS archive, about 100 MiB "
           "(native memory tracking, profiling log 13)",
}


vs_node = median(ratio_values(table["S2 fan-out delivered at saturation"]["gateway"],
                              table["S2 fan-out delivered at saturation"]["node"], "higher", True))
vs_python = median(ratio_values(table["S2 fan-out delivered at saturation"]["gateway"],
                                table["S2 fan-out delivered at saturation"]["python"], "higher", True))
if vs_node is not None:
    target("S2 >= 3x Node socket.io", vs_node >= 3, f"{vs_node:.2f}x", vs_node, 3)
if vs_python is not None:
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
for kind, how in (("gatewaycds", "S6 on Java 17 with the AppCDS archive its container image makes"),
                  ("gateway25", "S6 on JDK 25 with an AOT cache")):
    if load(f"{kind}-start"):
        print()
        print(f"{how}: launch to ready {spread(start(kind, 'ready_ms').values())} ms, "
              f"idle RSS {spread([v / 1024 for v in start(kind, 'idle_rss_kb').values()])} MiB.")

print("\n## Targets (issue #13)\n")
vs_node_cross = median(ratio_values(table["S5 cross-replica delivered at saturation"]["gateway"],
                                    table["S5 cross-replica delivered at saturation"]["node"], "higher", True))
if vs_node_cross is not None:
    target("S5 cross-replica >= 2x Node socket.io with its Redis adapter", vs_node_cross >= 2,
           f"{vs_node_cross:.2f}x", vs_node_cross, 2, limit=LIMITS["S5"])
if rss is not None:
    target("S1 <= 8 KiB RSS per idle connection", rss <= 8, f"{rss:.1f} KiB", rss, 8, "lower", LIMITS["S1"])
for room_load in ("saturation", "20 broadcasts/s"):
    room_p99 = {srv: med(f"S3 room broadcast p99 at {room_load}", srv) for srv in SERVERS}
    if room_p99["gateway"] is not None and room_p99["node"] is not None:
        target(f"S3 room broadcast p99 <= Node socket.io's, at {room_load}", room_p99["gateway"] <= room_p99["node"],
               f"{room_p99['gateway']:,.0f} ms against {room_p99['node']:,.0f} ms",
               room_p99["gateway"], room_p99["node"], "lower", LIMITS[f"S3 {room_load}"])
for kind, label in (("gateway", "Java 17"), ("gatewaycds", "Java 17 with the image's AppCDS archive")):
    ready = median(start(kind, "ready_ms").values())
    idle = median(start(kind, "idle_rss_kb").values())
    if ready is not None:
        target(f"S6 launch to ready <= 1.0 s ({label})", ready <= 1000, f"{ready:,.0f} ms", ready, 1000, "lower",
               LIMITS["ready"])
    if idle is not None:
        target(f"S6 idle RSS <= 80 MiB ({label})", idle / 1024 <= 80, f"{idle / 1024:.0f} MiB", idle / 1024, 80,
               "lower", LIMITS["rss"])
here = os.path.dirname(os.path.abspath(__file__))
tasks_section = os.environ.get("BENCH_TASKS_MD") or os.path.join(here, "tasks.md")
if os.path.exists(tasks_section):
    print()
    with open(tasks_section) as f:
        print("<!-- tasks:start -->\n" + f.read().rstrip() + "\n<!-- tasks:end -->")
polling_section = os.environ.get("BENCH_POLLING_MD") or os.path.join(here, "polling.md")
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
