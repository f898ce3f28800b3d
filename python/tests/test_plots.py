"""Tests of python/mdsim_plots.py, the notebook's experiment helpers (label python)."""
import os
import sys
import unittest
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
import mdsim_plots as mp  # noqa: E402


class BurstOpsTest(unittest.TestCase):
    def test_groups_of_iodepth_each_one_call_then_wait(self):
        ops = mp.burst_ops(10, 4, 1 << 20)
        writes = [o for o in ops if o["op"] == "write"]
        self.assertEqual(len(writes), 10)
        self.assertEqual([o["op"] for o in ops].count("wait"), 3)  # 4 + 4 + 2
        self.assertEqual([w["batch"] for w in writes[:4]], [False, True, True, True])
        for w in writes:
            self.assertEqual(w["sectors"], 8)
            self.assertLess(w["sector"] + 8, (1 << 20) // 512 + 1)

    def test_zipf_skew_concentrates_on_few_blocks(self):
        uniform = Counter(o["sector"] for o in mp.burst_ops(2000, 1, 16 << 20) if o["op"] == "write")
        skewed = Counter(o["sector"] for o in mp.burst_ops(2000, 1, 16 << 20, theta=1.2) if o["op"] == "write")
        self.assertLess(len(skewed), len(uniform) / 2)
        self.assertGreater(skewed.most_common(1)[0][1], 5 * uniform.most_common(1)[0][1])


class MeasureTest(unittest.TestCase):
    def test_bitmap_costs_metadata_and_batching_amortises_it(self):
        qd1 = mp.measure("bitmap", n_writes=64, iodepth=1, region_bytes=64 << 20)
        qd32 = mp.measure("bitmap", n_writes=64, iodepth=32, region_bytes=64 << 20)
        self.assertEqual(qd1["verdict"], "pass")
        self.assertEqual(qd1["user_writes"], 64)
        self.assertGreater(qd1["meta_per_write"], qd32["meta_per_write"])
        self.assertGreater(qd32["iops"], qd1["iops"])

    def test_crash_right_after_burst_resyncs_something(self):
        r = mp.crash_resync("bitmap", 0, n_writes=64)
        self.assertEqual(r["verdict"], "pass")
        self.assertGreater(r["resync_sectors"], 0)


class LevelsAndLatencyTest(unittest.TestCase):
    def test_raid5_and_raid10_rows(self):
        for level in (10, 5):
            r = mp.measure("bitmap", n_writes=64, iodepth=8, region_bytes=64 << 20, level=level)
            self.assertEqual(r["verdict"], "pass")
            self.assertEqual(r["level"], level)
            self.assertEqual(r["user_writes"], 64)
            self.assertGreater(r["meta_per_write"], 0)
            c = mp.crash_resync("bitmap", 0, n_writes=64, wait=False, level=level)
            self.assertEqual(c["verdict"], "pass", c["failed"])

    def test_latency_cdf_plot_draws_one_curve_per_run(self):
        import matplotlib
        matplotlib.use("Agg")
        rows = [mp.measure(b, n_writes=64, iodepth=1, region_bytes=16 << 20, profile=p)
                for p in ("nvme", "hdd") for b in ("none", "bitmap")]
        for r in rows:
            self.assertEqual(r["cdf"][-1][1], 1.0)
            self.assertLessEqual(r["lat_p50_us"], r["lat_p999_us"])
        fig = mp.latency_cdf_plot(rows, "t")
        axes = fig.get_axes()
        self.assertEqual(len(axes), 4)  # CDF and tail, for nvme and hdd
        for ax in axes:
            self.assertEqual(ax.get_xscale(), "log")
            self.assertTrue(ax.get_xlabel().startswith("write latency (us"))
            self.assertGreaterEqual(len(ax.get_lines()), 2)
        for ax in axes[:2]:
            self.assertEqual(sorted(t.get_text() for t in ax.get_legend().get_texts()), ["bitmap", "none"])
        self.assertEqual(axes[2].get_yscale(), "log")


class TableTest(unittest.TestCase):
    def test_markdown_table(self):
        t = mp.markdown_table([{"a": 1, "b": 0.5}], ["a", "b"], {"b": "{:.2f}"})
        self.assertEqual(t.splitlines(), ["| a | b |", "|---|---|", "| 1 | 0.50 |"])


if __name__ == "__main__":
    unittest.main()
