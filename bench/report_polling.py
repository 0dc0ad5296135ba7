#!/usr/bin/env python3
"""Long-polling benchmarks (bench/polling.sh). Standard library only.
  report_polling.py report RESULTS_DIR > bench/polling.md   the section, from loadgen's JSON
  report_polling.py splice BENCHMARKS.md bench/polling.md   puts the section into BENCHMARKS.md
The section sits between two markers; bench/report.py writes them around bench/polling.md too."""
import json
import os
import sys

START = "<!-- polling:start -->"
END = "<!-- polling:end -->"
SERVERS = ["gateway", "node", "python"]
LABELS = {"gateway": "Gateway", "node": "Node socket.io", "python": "python-socketio"}


def load(results, name):
    path = os.path.join(results, name + ".json")
    if not os.path.exists(path):
        return None
    try:
        with open(path) as f:
            return json.load(f)
    except ValueError:  # a run cut short leaves a partial file: shown as n/a
        return None


def metric(result, group, name, field="value"):
    try:
        return result["metrics"][group][name][field]
    except (KeyError, TypeError):
        return None


def parameter(result, name):
    return (result or {}).get("parameters", {}).get(name)


def fmt(value, digits=2):
    if value is None:
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def ratio(gateway, peer, better):
    if gateway in (None, 0) or peer in (None, 0):
        return "n/a"
    return f"{(gateway / peer if better == 'higher' else peer / gateway):.2f}x"


def per_session(results, server, field):
    m = load(results, f"{server}-idle")
    if not m or m.get(field + "_after_kb") is None or m.get(field + "_before_kb") is None:
        return None
    return (m[field + "_after_kb"] - m[field + "_before_kb"]) / m["sessions"]


def cpu_per_delivery(result):
    cpu, rate = metric(result, "saturation", "serverCpu"), metric(result, "saturation", "deliveriesPerSec")
    return None if cpu is None or not rate else cpu / 100 / rate * 1e6


def errors(result):
    if result is None:
        return "no result"
    found = {k: v for k, v in result.get("errorDetails", {}).items() if v}
    return ", ".join(f"{k} {v}" for k, v in sorted(found.items())) or "none"


def server_table(results):
    sessions = (load(results, "gateway-idle") or {}).get("sessions", "?")
    rows = [
        (f"S9 polling sessions opened per second (handshake, CONNECT, `user-join`; {sessions:,} sessions)"
         if isinstance(sessions, int) else "S9 polling sessions opened per second", "sessions/s", "higher",
         lambda s: metric(load(results, f"{s}-idle-connect"), "connect", "connectionsPerSec")),
        ("S9 RSS per idle polling session (its GET waiting)", "KiB", "lower",
         lambda s: per_session(results, s, "rss")),
        ("S9 JVM heap per idle polling session", "KiB", "lower", lambda s: per_session(results, s, "heap")),
        ("S10 fan-out delivered to polling clients at saturation", "msg/s", "higher",
         lambda s: metric(load(results, f"{s}-fanout"), "saturation", "deliveriesPerSec")),
        ("S10 server CPU per delivered message at saturation", "µs", "lower",
         lambda s: cpu_per_delivery(load(results, f"{s}-fanout"))),
        ("S10 emit→receive p50 at half rate", "ms", "lower",
         lambda s: metric(load(results, f"{s}-fanout"), "rate", "emitToReceive", "p50")),
        ("S10 emit→receive p99 at half rate", "ms", "lower",
         lambda s: metric(load(results, f"{s}-fanout"), "rate", "emitToReceive", "p99")),
    ]
    print("| Figure | Unit | " + " | ".join(LABELS[s] for s in SERVERS) + " | vs Node | vs Python |")
    print("|---|---|" + "---|" * len(SERVERS) + "---|---|")
    for figure, unit, better, getter in rows:
        values = {s: getter(s) for s in SERVERS}
        print(f"| {figure} | {unit} | " + " | ".join(fmt(values[s]) for s in SERVERS)
              + f" | {ratio(values['gateway'], values['node'], better)}"
              + f" | {ratio(values['gateway'], values['python'], better)} |")


def forward_table(results):
    direct_fanout, forwarded_fanout = load(results, "forward-direct-fanout"), load(results, "forward-forwarded-fanout")
    direct_calls, forwarded_calls = load(results, "forward-direct-calls"), load(results, "forward-forwarded-calls")
    rate = parameter(direct_fanout, "rate")
    window = parameter(direct_calls, "window")

    def row(figure, direct, forwarded, unit="ms"):
        added = None if direct is None or forwarded is None else forwarded - direct
        sign = "+" if added is not None and added >= 0 else ""
        print(f"| {figure} | {fmt(direct)} {unit} | {fmt(forwarded)} {unit} | "
              f"{sign + fmt(added) + ' ' + unit if added is not None else 'n/a'} |")

    print("| Figure | Polls at A (holds the sessions) | Polls via B (forwards to A) | Added by forwarding |")
    print("|---|---|---|---|")
    for p in ("p50", "p99"):
        row(f"S11 event emit→receive {p}, {fmt(rate, 0)} emits/s",
            metric(direct_fanout, "rate", "emitToReceive", p), metric(forwarded_fanout, "rate", "emitToReceive", p))
    for p in ("p50", "p99"):
        row(f"S11 POST round trip {p} (each carries acks of the calls)",
            metric(direct_calls, "calls", "postRoundTrip", p), metric(forwarded_calls, "calls", "postRoundTrip", p))
    for p in ("p50", "p99"):
        row(f"S11 call round trip {p} ({window} in flight: event out in a GET, ack back in a POST)",
            metric(direct_calls, "calls", "roundTrip", p), metric(forwarded_calls, "calls", "roundTrip", p))
    row("S11 fan-out delivered at saturation",
        metric(direct_fanout, "saturation", "deliveriesPerSec"),
        metric(forwarded_fanout, "saturation", "deliveriesPerSec"), "msg/s")
    row("S11 calls per second",
        metric(direct_calls, "calls", "callsPerSec"), metric(forwarded_calls, "calls", "callsPerSec"), "calls/s")
    return direct_fanout, forwarded_fanout, direct_calls, forwarded_calls


def machine_load(results):
    before, after = load(results, "load-before"), load(results, "load-after")
    if not before or not after:
        return "not recorded"
    quiet = before["other_jobs"] == 0 and after["other_jobs"] == 0
    text = f"load average {before['loadavg']} before the run, {after['loadavg']} after"
    if quiet:
        return text + "; no other test job was running"
    return (text + f"; **other test jobs were running** ({before['other_jobs']} processes before, "
            f"{after['other_jobs']} after), so the figures share the cores with them")


def report(results):
    size = os.environ.get("BENCH_SIZE", "full")
    print("## Long-polling (S9, S10, S11)\n")
    print("Made by `" + ("BENCH_SIZE=smoke " if size == "smoke" else "") + "bench/polling.sh` "
          "(also run by `bench/run.sh`). The load generator's clients speak Engine.IO v4 over HTTP "
          "long-polling (`--transport polling`): a handshake GET, CONNECT and every client packet in a "
          "POST, one GET at a time waiting for packets, as socket.io-client does with "
          "`transports: [\"polling\"]`. Every server serves polling only (`GATEWAY_TRANSPORTS=polling`; "
          "the peers' `PEER_TRANSPORTS=polling`), so no client upgrades. S9 and S10 are S1 and S2 "
          "above with polling clients; the WebSocket rows above are the comparison.\n")
    server_table(results)
    print()
    print("S11: two gateway replicas in Redis mode on one redis-server. The clients make their "
          "handshake at replica A, which then holds their sessions; emits and calls go to A. Their "
          "GETs and POSTs go to A itself, or to replica B, which forwards each one to A over HTTP "
          "(README, \"Polling across replicas\") and relays A's answer. The difference is what a poll "
          "that reaches a replica without the session costs.\n")
    runs = forward_table(results)
    print()
    print(f"Errors reported: S9 " + "; ".join(f"{s} {errors(load(results, f'{s}-idle-connect'))}" for s in SERVERS)
          + ". S10 " + "; ".join(f"{s} {errors(load(results, f'{s}-fanout'))}" for s in SERVERS)
          + ". S11 " + "; ".join(f"{name} {errors(r)}" for name, r in
                                 zip(("direct events", "forwarded events", "direct calls", "forwarded calls"), runs))
          + ".")
    print()
    print(f"Machine during the run: {machine_load(results)}.")


def splice(benchmarks, section_file):
    with open(section_file) as f:
        section = START + "\n" + f.read().rstrip() + "\n" + END + "\n"
    with open(benchmarks) as f:
        text = f.read()
    if START in text and END in text:
        before = text[: text.index(START)]
        after = text[text.index(END) + len(END):].lstrip("\n")
        text = before + section + "\n" + after
    elif "<!-- tasks:end -->" in text:
        at = text.index("<!-- tasks:end -->") + len("<!-- tasks:end -->")
        text = text[:at] + "\n\n" + section + "\n" + text[at:].lstrip("\n")
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
