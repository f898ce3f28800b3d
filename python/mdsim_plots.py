"""Experiments and figures for the meta-IO notebook (python/notebooks/).

Plain functions: each experiment builds mdsim scenarios (the explicit `ops` form,
see docs/scenario-format.md), runs them with the `mdsim` Python module (or, if it
is not importable, with the `mdsim` CLI named by $MDSIM_BIN), and returns a list
of row dicts; each plot function turns rows into a matplotlib Figure.

Why the ops form: a workload-form scenario starts writing at t=0, while the fresh
array is still in its initial resync and its intent record is still all dirty
(kernel-observations item 7), which hides the steady-state metadata cost. Here
every scenario first idles `SETTLE_NS` (initial resync done, daemon has cleared
the bits), then issues the writes in groups of `iodepth` submitted in one call
(one block plug, like fio's iodepth_batch_submit = iodepth) and waits for each
group to complete. That is a batch-synchronous queue, not fio's sliding window.
"""
import json
import os
import random
import subprocess
import tempfile

import numpy as np

BACKENDS = ["none", "bitmap", "llbitmap", "journal", "ours"]
SETTLE_NS = 20_000_000_000  # 20 s: initial resync of 256 MiB and lazy clearing are over
SECTOR = 512
MID_BURST_NS = 300_000  # 0.3 ms after submitting a burst: writes in flight
BLOCK = 4096
COLORS = {"none": "tab:gray", "bitmap": "tab:blue", "llbitmap": "tab:orange", "journal": "tab:green",
          "ours": "tab:red"}
MARKERS = {"none": "x", "bitmap": "o", "llbitmap": "s", "journal": "^", "ours": "D"}

try:  # the pybind11 module (PYTHONPATH=build/python)
    import mdsim as _mdsim
except ImportError:  # fall back to the CLI
    _mdsim = None


def run(scenario):
    """Runs one scenario dict; returns the result dict (design.md section 5)."""
    if _mdsim is not None:
        return _mdsim.run(scenario)
    binary = os.environ.get("MDSIM_BIN", "build/mdsim")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(scenario, f)
        path = f.name
    try:
        p = subprocess.run([binary, "run", path, "--json", "--quiet"], capture_output=True, text=True)
        if p.returncode not in (0, 1):
            raise RuntimeError(f"mdsim run exited {p.returncode}: {p.stderr.strip()}")
        return json.loads(p.stdout)
    finally:
        os.unlink(path)


def intent(backend, chunk="64KiB"):
    d = {"type": backend}
    if backend != "none":
        d["chunk"] = chunk
    return d


def block_picker(n_blocks, theta, rnd):
    """Block indices: uniform (theta 0) or zipf(theta) over n_blocks, the hot
    blocks scattered over the region (a fixed random permutation, like fio)."""
    if theta == 0:
        return lambda: rnd.randrange(n_blocks)
    weights = 1.0 / np.power(np.arange(1, n_blocks + 1, dtype=float), theta)
    cdf = np.cumsum(weights / weights.sum())
    perm = list(range(n_blocks))
    rnd.shuffle(perm)
    return lambda: perm[min(int(np.searchsorted(cdf, rnd.random())), n_blocks - 1)]


def burst_ops(n_writes, iodepth, region_bytes, theta=0.0, seed=1):
    """n_writes random 4 KiB writes over the first region_bytes, in groups of iodepth."""
    rnd = random.Random(seed)
    pick = block_picker(region_bytes // BLOCK, theta, rnd)
    ops = []
    for i in range(n_writes):
        ops.append({"op": "write", "sector": pick() * (BLOCK // SECTOR), "sectors": BLOCK // SECTOR,
                    "batch": (i % iodepth) != 0})
        if i % iodepth == iodepth - 1 or i == n_writes - 1:
            ops.append({"op": "wait"})
    return ops


def scenario(backend, ops, chunk="64KiB", size="256MiB", profile="nvme", checks=None, name="nb"):
    return {"name": name, "seed": 7,
            "array": {"level": 1, "disks": 2, "size": size, "intent": intent(backend, chunk)},
            "disk": {"profile": profile},
            "ops": [{"op": "advance", "ns": SETTLE_NS}] + ops,
            "checks": checks or ["intent_before_data"]}


def measure(backend, n_writes=1000, iodepth=1, chunk="64KiB", region_bytes=256 << 20, theta=0.0,
            profile="nvme", **extra):
    """One steady-state burst: the result plus derived iops over the burst only."""
    ops = burst_ops(n_writes, iodepth, region_bytes, theta)
    r = run(scenario(backend, ops, chunk=chunk, profile=profile))
    burst_ns = r["workload_time_ns"] - SETTLE_NS
    row = {"backend": backend, "iodepth": iodepth, "chunk": chunk, "region_MiB": region_bytes >> 20,
           "theta": theta, "profile": profile, "verdict": r["verdict"],
           "meta_per_write": r["meta_writes_per_user_write"], "user_writes": r["user_writes"],
           "meta_writes": r["meta_writes"], "burst_ns": burst_ns,
           "iops": r["user_writes"] / (burst_ns / 1e9) if burst_ns > 0 else float("nan"),
           "lat_p50_us": r["write_lat_ns_p50"] / 1e3, "lat_p99_us": r["write_lat_ns_p99"] / 1e3}
    row.update(extra)
    return row


def crash_resync(backend, idle_ns, n_writes=500, iodepth=32, region_bytes=64 << 20, wait=True, seed=1):
    """A random burst, `idle_ns` of quiet, then power loss (every write persisted
    by the members); resync work measured after reassembly."""
    ops = burst_ops(n_writes, iodepth, region_bytes, seed=seed)
    if not wait:  # cut mid-burst: submit everything, let MID_BURST_NS pass, cut
        ops = [o for o in ops if o["op"] != "wait"] + [{"op": "advance", "ns": MID_BURST_NS}]
    if idle_ns:
        ops.append({"op": "advance", "ns": int(idle_ns)})
    ops.append({"op": "power_loss", "persist": "all"})
    s = scenario(backend, ops, size="64MiB",
                 checks=["coverage", "convergence", "durability", "intent_before_data"])
    r = run(s)
    failed = sorted(k for k, c in r["checks"].items() if not c["held"])
    return {"backend": backend, "idle_s": idle_ns / 1e9, "verdict": r["verdict"], "failed": ",".join(failed),
            "resync_MiB": r["resync_sectors"] * SECTOR / (1 << 20), "resync_sectors": r["resync_sectors"],
            "inconsistent_chunks": r["inconsistent_chunks"]}


# ---------------------------------------------------------------- plotting

def _fig(title, xlabel, ylabel):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    ax.set_title(title, fontsize=9.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    return fig, ax


def line_plot(rows, x, y, title, xlabel, ylabel, logx=False, logy=False, xticks=None, symlogx=None):
    import matplotlib.ticker  # noqa: F401 (matplotlib.ticker below)
    fig, ax = _fig(title, xlabel, ylabel)
    for b in BACKENDS:
        pts = sorted((r[x], r[y]) for r in rows if r["backend"] == b)
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker=MARKERS[b], color=COLORS[b], label=b)
    if logx:
        ax.set_xscale("log", base=2)
        xs = sorted({r[x] for r in rows})
        ax.set_xticks(xs)
        ax.set_xticklabels([f"{v:g}" for v in xs])
        ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
    if symlogx is not None:  # linear up to symlogx, logarithmic above: short and long gaps both visible
        ax.set_xscale("symlog", linthresh=symlogx)
    if logy:
        ax.set_yscale("log", nonpositive="mask")
    if xticks is not None:
        ax.set_xticks(xticks[0])
        ax.set_xticklabels(xticks[1])
    ax.legend(title="intent backend")
    fig.tight_layout()
    return fig


def bar_plot(rows, y, title, ylabel, label_fmt="{:.0f}"):
    fig, ax = _fig(title, "intent backend", ylabel)
    names = [r["backend"] for r in rows]
    vals = [r[y] for r in rows]
    bars = ax.bar(names, vals, color=[COLORS[n] for n in names])
    for bar, v in zip(bars, vals):
        ax.annotate(label_fmt.format(v), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=8)
    fig.tight_layout()
    return fig


def latency_plot(rows, title):
    """The two measured points of each write-latency CDF (p50, p99) per backend
    and profile: the result object carries percentiles, not the whole histogram."""
    import matplotlib.pyplot as plt
    profiles = sorted({r["profile"] for r in rows}, key=lambda p: ["nvme", "hdd"].index(p))
    fig, axes = plt.subplots(1, len(profiles), figsize=(11, 4.2), dpi=110)
    for ax, prof in zip(np.atleast_1d(axes), profiles):
        for b in BACKENDS:
            r = next((r for r in rows if r["backend"] == b and r["profile"] == prof), None)
            if r is None:
                continue
            # Only the two measured points, joined: nothing else of the CDF is known.
            ax.plot([r["lat_p50_us"], r["lat_p99_us"]], [0.5, 0.99], marker=MARKERS[b], color=COLORS[b],
                    label=b)
        ax.set_xscale("log")
        ax.set_xlim(left=max(1, min(r["lat_p50_us"] for r in rows if r["profile"] == prof) / 3))
        ax.set_ylim(0.4, 1.02)
        ax.set_title(f"{prof}: write latency CDF points (p50, p99 measured)", fontsize=9.5)
        ax.set_xlabel("write latency (us, log scale)")
        ax.set_ylabel("fraction of writes completed")
        ax.grid(True, alpha=0.3)
        ax.legend(title="intent backend", fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def markdown_table(rows, cols, fmt=None):
    fmt = fmt or {}
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        cells = []
        for c in cols:
            v = r.get(c, "")
            cells.append(fmt[c].format(v) if c in fmt and v != "" else str(v))
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def pivot(rows, key, value, keys, fmt="{:.3f}"):
    """Rows: one per backend, one column per key value."""
    out = []
    for b in BACKENDS:
        row = {"backend": b}
        for k in keys:
            r = next((r for r in rows if r["backend"] == b and r[key] == k), None)
            row[str(k)] = fmt.format(r[value]) if r else "-"
        out.append(row)
    return out
