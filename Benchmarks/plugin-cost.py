#!/usr/bin/env python3
"""What a naming or estimate call through Lua adds to an RPC, measured end to end.

Usage: Benchmarks/plugin-cost.py BUILTIN_URL PLUGIN_URL
Two daemons, one without plugins and one with Benchmarks/plugins/cost, take the same calls over
XML-RPC in alternating batches (so drift on the machine hits both alike). Prints the median
time per call on each and the difference: the cost of going through Lua.
"""
import statistics
import sys
import time
import xmlrpc.client

BATCHES, CALLS = 20, 500
HIP = "/studio/shows/owl/shots/sh040/work/ana/owl_sh040_lighting_v012.hip"


def prepare(proxy):
    frames = list(range(1, 101))
    proxy.startedRenderProject("bench/estimate", frames, False, "4242")
    for frame in frames[:40]:
        proxy.startedFrameRender("bench/estimate", frame, "4242", "/r/%d.exr" % frame)
        proxy.setFrameRenderFraction("bench/estimate", frame, 1.0)
    for frame in frames[40:48]:
        proxy.startedFrameRender("bench/estimate", frame, "4242", "/r/%d.exr" % frame)
        proxy.setFrameRenderFraction("bench/estimate", frame, 0.5)


def timed(call):
    samples = []
    for _ in range(CALLS):
        start = time.perf_counter_ns()
        call()
        samples.append(time.perf_counter_ns() - start)
    return samples


def main():
    builtin, plugin = (xmlrpc.client.ServerProxy(url) for url in sys.argv[1:3])
    for proxy in (builtin, plugin):
        prepare(proxy)
    assert plugin.applyProjectNameFormula("ana", HIP) == "owl_sh040_ana", "the plugin daemon does not run the cost plugins"
    assert builtin.applyProjectNameFormula("ana", HIP) == "ana/owl_sh040_lighting_v012"
    calls = {
        "applyProjectNameFormula": lambda proxy: lambda: proxy.applyProjectNameFormula("ana", HIP),
        "getEstimatedRenderSecondsLeft": lambda proxy: lambda: proxy.getEstimatedRenderSecondsLeft("bench/estimate"),
    }
    print("%-32s %12s %12s %12s" % ("call (median of %d)" % (BATCHES * CALLS), "built-in", "plugin", "Lua adds"))
    for name, make in calls.items():
        times = {"builtin": [], "plugin": []}
        for _ in range(BATCHES):
            times["builtin"] += timed(make(builtin))
            times["plugin"] += timed(make(plugin))
        b, p = statistics.median(times["builtin"]) / 1000, statistics.median(times["plugin"]) / 1000
        print("%-32s %9.1f us %9.1f us %9.1f us" % (name, b, p, p - b))


main()
