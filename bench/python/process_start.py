"""CPython's side of ProcessStartBenchmark: Process(target=noop).start(); join(), per start method."""
import multiprocessing as mp
import statistics
import subprocess
import sys
import time


def noop():
    pass


def measure(method, runs, warmup=3):
    ctx = mp.get_context(method)
    times = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        p = ctx.Process(target=noop)
        p.start()
        p.join()
        elapsed = (time.perf_counter() - start) * 1000
        if p.exitcode != 0:
            raise SystemExit(f"child failed with exit code {p.exitcode}")
        if i >= warmup:
            times.append(elapsed)
    times.sort()
    print(f"RESULT python_{method}_process_start_join median_ms={statistics.median(times):.1f} "
          f"p10_ms={times[len(times) // 10]:.1f} p90_ms={times[len(times) * 9 // 10]:.1f} runs={runs}")


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    for method in ("spawn", "forkserver", "fork"):
        measure(method, runs)
    # 200 back to back with the default start method of this Python, as java_process_200_in_a_row does
    ctx = mp.get_context()
    times = []
    for i in range(200):
        start = time.perf_counter()
        p = ctx.Process(target=noop)
        p.start()
        p.join()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"RESULT python_{ctx.get_start_method()}_process_200_in_a_row median_ms={statistics.median(times):.1f} "
          f"p10_ms={times[20]:.1f} p90_ms={times[180]:.1f} mean_ms={statistics.mean(times):.1f} runs=200")
    # The floor under every spawn: this interpreter starting with no work and exiting (java_bare_jvm_start_exit)
    times = []
    for i in range(3 + runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        if i >= 3:
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"RESULT python_bare_interpreter_start_exit median_ms={statistics.median(times):.1f} "
          f"p10_ms={times[len(times) // 10]:.1f} p90_ms={times[len(times) * 9 // 10]:.1f} runs={runs}")
