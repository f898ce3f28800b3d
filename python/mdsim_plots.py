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


LEVELS = [1, 10, 5]
# Members per level: raid1 mirrors on 2; raid10 near-2 and raid5 left-symmetric on 4
# (the layouts `mdsim compare --level all` uses), stripe chunk 512 KiB.
LEVEL_DISKS = {1: 2, 10: 4, 5: 4}
LEVEL_NAMES = {1: "raid1 (2 disks)", 10: "raid10 near-2 (4 disks)", 5: "raid5 left-symmetric (4 disks)"}


def array(level, backend, chunk, size):
    a = {"level": level, "disks": LEVEL_DISKS[level], "size": size, "intent": intent(backend, chunk)}
    if level != 1:
        a["chunk"] = "512KiB"
    return a


def scenario(backend, ops, chunk="64KiB", size="256MiB", profile="nvme", checks=None, name="nb", level=1):
    return {"name": name, "seed": 7,
            "array": array(level, backend, chunk, size),
            "disk": {"profile": profile},
            "ops": [{"op": "advance", "ns": SETTLE_NS}] + ops,
            "checks": checks or ["intent_before_data"]}


def measure(backend, n_writes=1000, iodepth=1, chunk="64KiB", region_bytes=256 << 20, theta=0.0,
            profile="nvme", level=1, **extra):
    """One steady-state burst: the result plus derived iops over the burst only.
    The write latency CDF (`cdf`: [[latency_ns, fraction], ...]) is the result's
    `write_lat_cdf`, from the bounded-error histogram."""
    ops = burst_ops(n_writes, iodepth, region_bytes, theta)
    r = run(scenario(backend, ops, chunk=chunk, profile=profile, level=level))
    burst_ns = r["workload_time_ns"] - SETTLE_NS
    row = {"backend": backend, "level": level, "iodepth": iodepth, "chunk": chunk,
           "region_MiB": region_bytes >> 20, "theta": theta, "profile": profile, "verdict": r["verdict"],
           "meta_per_write": r["meta_writes_per_user_write"], "user_writes": r["user_writes"],
           "meta_writes": r["meta_writes"], "burst_ns": burst_ns,
           "iops": r["user_writes"] / (burst_ns / 1e9) if burst_ns > 0 else float("nan")}
    for p in ("p50", "p90", "p99", "p999"):
        row[f"lat_{p}_us"] = r[f"write_lat_ns_{p}"] / 1e3
    row["cdf"] = r["write_lat_cdf"]
    row.update(extra)
    return row


def crash_resync(backend, idle_ns, n_writes=500, iodepth=32, region_bytes=64 << 20, wait=True, seed=1, level=1):
    """A random burst, `idle_ns` of quiet, then power loss (every write persisted
    by the members); resync work measured after reassembly. resync_sectors are
    in intent space (docs/scenario-format.md): raid1 and raid5 member sectors,
    raid10 array sectors."""
    ops = burst_ops(n_writes, iodepth, region_bytes, seed=seed)
    if not wait:  # cut mid-burst: submit everything, let MID_BURST_NS pass, cut
        ops = [o for o in ops if o["op"] != "wait"] + [{"op": "advance", "ns": MID_BURST_NS}]
    if idle_ns:
        ops.append({"op": "advance", "ns": int(idle_ns)})
    ops.append({"op": "power_loss", "persist": "all"})
    s = scenario(backend, ops, size="64MiB", level=level,
                 checks=["coverage", "convergence", "durability", "intent_before_data"])
    r = run(s)
    failed = sorted(k for k, c in r["checks"].items() if not c["held"])
    return {"backend": backend, "level": level, "idle_s": idle_ns / 1e9, "verdict": r["verdict"], "failed": ",".join(failed),
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


def _us_ticks(ax, decades):
    """Plain microsecond numbers on a log x axis (1, 2, 5 per decade on a short axis)."""
    import matplotlib.ticker
    subs = (1.0, 2.0, 5.0) if decades <= 2.5 else (1.0,)
    ax.xaxis.set_major_locator(matplotlib.ticker.LogLocator(base=10, subs=subs))
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())


def latency_cdf_plot(rows, title):
    """Write latency CDF per backend, one column per disk profile: the result's
    `write_lat_cdf` (fraction of writes with latency <= x, exact at each point,
    x within 1/256 of a recorded latency; drawn as steps, so between points the
    curve is a lower bound). Top row: the CDF; bottom row: the tail, 1 - CDF on
    a log scale (p99 at 1e-2, p99.9 at 1e-3). Log x: nvme and hdd differ ~100x."""
    import matplotlib.pyplot as plt
    profiles = [p for p in ["nvme", "hdd"] if any(r["profile"] == p for r in rows)]
    fig, axes = plt.subplots(2, len(profiles), figsize=(11, 7.6), dpi=110, squeeze=False,
                             gridspec_kw={"height_ratios": [3, 2]})
    for col, prof in enumerate(profiles):
        top, tail = axes[0][col], axes[1][col]
        for b in BACKENDS:
            r = next((r for r in rows if r["backend"] == b and r["profile"] == prof), None)
            if r is None or not r["cdf"]:
                continue
            xs = [p[0] / 1e3 for p in r["cdf"]]
            ys = [p[1] for p in r["cdf"]]
            # Below the first point no write had completed: start the curve at 0.
            top.step([xs[0]] + xs, [0.0] + ys, where="post", color=COLORS[b], label=b, linewidth=1.4)
            # The tail: fraction of writes slower than x (the last point, 0, is off a log axis).
            if len(xs) > 1:  # held at its last value up to the max
                tail.step([xs[0]] + xs, [1.0] + [1 - y for y in ys[:-1]] + [1 - ys[-2]], where="post",
                          color=COLORS[b], label=b, linewidth=1.4)
            tail.plot([xs[-1]], [5e-4], marker="|", markersize=12, color=COLORS[b], linestyle="none")
        top.set_ylim(0, 1.02)
        top.set_title(f"{prof}: write latency CDF per intent backend", fontsize=9.5)
        top.set_ylabel("fraction of writes with latency <= x")
        tail.set_yscale("log")
        tail.set_ylim(3e-4, 1.1)
        tail.set_title(f"{prof}: tail, fraction slower than x (bar at the bottom: max)", fontsize=9.5)
        tail.set_ylabel("fraction of writes > x (log)")
        lats = [p[0] / 1e3 for r in rows if r["profile"] == prof for p in r["cdf"]]
        decades = np.log10(max(lats) / min(lats)) if lats else 1
        for ax in (top, tail):
            ax.set_xscale("log")
            _us_ticks(ax, decades)
            ax.set_xlabel("write latency (us, log scale)")
            ax.grid(True, which="both", alpha=0.3)
        top.legend(title="intent backend", fontsize=8, loc="lower right")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def level_panels_plot(rows, x, y, title, xlabel, ylabel, logy=False):
    """One panel per RAID level (LEVELS), one line per backend, log2 x."""
    import matplotlib.pyplot as plt
    import matplotlib.ticker
    levels = [lv for lv in LEVELS if any(r["level"] == lv for r in rows)]
    fig, axes = plt.subplots(1, len(levels), figsize=(5.2 * len(levels), 4.4), dpi=110, sharey=True,
                             squeeze=False)
    xs = sorted({r[x] for r in rows})
    for ax, lv in zip(axes[0], levels):
        for b in BACKENDS:
            pts = sorted((r[x], r[y]) for r in rows if r["backend"] == b and r["level"] == lv)
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker=MARKERS[b], color=COLORS[b], label=b)
        ax.set_xscale("log", base=2)
        ax.set_xticks(xs)
        ax.set_xticklabels([f"{v:g}" for v in xs])
        ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        if logy:
            ax.set_yscale("log", nonpositive="mask")
        ax.set_title(LEVEL_NAMES[lv], fontsize=9.5)
        ax.set_xlabel(xlabel)
        ax.grid(True, alpha=0.3)
    axes[0][0].set_ylabel(ylabel)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, title="intent backend", fontsize=8, loc="center right")
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0, 0.92, 1))
    return fig


def grouped_bar_plot(rows, y, title, ylabel, label_fmt="{:.1f}"):
    """Bars per backend (x), one bar per RAID level side by side."""
    fig, ax = _fig(title, "intent backend", ylabel)
    levels = [lv for lv in LEVELS if any(r["level"] == lv for r in rows)]
    width = 0.8 / len(levels)
    shades = {1: "tab:blue", 10: "tab:purple", 5: "tab:olive"}
    for i, lv in enumerate(levels):
        xs, vals = [], []
        for j, b in enumerate(BACKENDS):
            r = next((r for r in rows if r["backend"] == b and r["level"] == lv), None)
            if r is not None:
                xs.append(j - 0.4 + width * (i + 0.5))
                vals.append(r[y])
        bars = ax.bar(xs, vals, width=width, color=shades.get(lv), label=LEVEL_NAMES[lv])
        for bar, v in zip(bars, vals):
            ax.annotate(label_fmt.format(v), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(BACKENDS)))
    ax.set_xticklabels(BACKENDS)
    ax.legend(title="RAID level", fontsize=8)
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


def pivot(rows, key, value, keys, fmt="{:.3f}", level=None):
    """Rows: one per backend, one column per key value (of one RAID level if given)."""
    out = []
    for b in BACKENDS:
        row = {"backend": b}
        for k in keys:
            r = next((r for r in rows if r["backend"] == b and r[key] == k and
                      (level is None or r.get("level", 1) == level)), None)
            row[str(k)] = fmt.format(r[value]) if r else "-"
        out.append(row)
    return out
