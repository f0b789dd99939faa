"""CPython's side of PoolBenchmark.java: the same four pool measurements, reported as medians."""
import multiprocessing as mp
import statistics
import sys
import time

ITEMS = 1_000_000


def noop():
    return 0


def double(x):
    return x * 2


def spin(iterations):
    x = 1
    for _ in range(iterations):
        x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
    return x


def timed(warmup, runs, action):
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times


def report(name, times):
    print(f"RESULT {name} median_ms={statistics.median(times):.3f} p10_ms={times[len(times) // 10]:.3f} "
          f"p90_ms={times[len(times) * 9 // 10]:.3f} runs={len(times)}")


def calibrate(pool):
    iterations = 1_000_000
    pool.apply(spin, (iterations,))
    start = time.perf_counter()
    pool.apply(spin, (iterations,))
    return int(iterations * 0.5 / (time.perf_counter() - start))


def main(method):
    ctx = mp.get_context(method)
    items = list(range(ITEMS))
    with ctx.Pool(2) as pool:
        for _ in range(2000):
            pool.apply_async(noop).get()
        report(f"python_{method}_apply_async_round_trip", timed(0, 2000, lambda: pool.apply_async(noop).get()))

        t = timed(1, 5, lambda: pool.map(double, items))
        report(f"python_{method}_map_1M", t)
        print(f"RESULT python_{method}_map_1M_items_per_s value={ITEMS / (statistics.median(t) / 1000):.0f}")

        t = timed(1, 5, lambda: list(pool.imap_unordered(double, items, chunksize=10_000)))
        report(f"python_{method}_imap_unordered_1M", t)
        print(f"RESULT python_{method}_imap_unordered_1M_items_per_s value={ITEMS / (statistics.median(t) / 1000):.0f}")

        iterations = calibrate(pool)
        eight = [iterations] * 8
        two = timed(0, 3, lambda: pool.map(spin, eight, chunksize=1))
        with ctx.Pool(1) as single:
            one = timed(0, 3, lambda: single.map(spin, eight, chunksize=1))
        report(f"python_{method}_cpu_8x0.5s_pool1", one)
        report(f"python_{method}_cpu_8x0.5s_pool2", two)
        print(f"RESULT python_{method}_cpu_speedup value={statistics.median(one) / statistics.median(two):.2f}")

    report(f"python_{method}_new_pool2_to_first_result", timed(1, 10, lambda: first_result(ctx)))


def first_result(ctx):
    with ctx.Pool(2) as fresh:
        fresh.apply_async(noop).get()


if __name__ == "__main__":
    for method in (sys.argv[1:] or ["spawn", "fork"]):
        if method == "forkserver":
            # Only the start-up figure: the data rows are the same machinery as spawn once workers run.
            ctx = mp.get_context(method)
            report("python_forkserver_new_pool2_to_first_result", timed(1, 10, lambda: first_result(ctx)))
        else:
            main(method)
