"""mdsim.explore and the latency fields of mdsim.run (ctest label python)."""
import json
import os
import unittest

import mdsim

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GATE_EXPLORE = os.path.join(SOURCE_DIR, "scenarios", "gate", "raid1-bitmap-explore.json")


def gate_explore_dict():
    with open(GATE_EXPLORE) as f:
        return json.load(f)


class ExploreTest(unittest.TestCase):
    def test_sampled_points_all_hold(self):
        r = mdsim.explore(GATE_EXPLORE, crash_points=5)
        self.assertEqual(r["crash_points_checked"], 5)
        self.assertGreater(r["events"], 5)  # event boundaries of the run
        self.assertGreaterEqual(r["crash_states_checked"], 5)
        self.assertEqual(r["crash_state_failures"], 0)
        self.assertEqual(r["verdict"], "pass")
        self.assertIsNone(r["first_failure"])
        self.assertGreater(r["states_per_second"], 0)
        self.assertTrue(all(c["held"] for c in r["checks"].values()))

    def test_all_points_equal_for_a_dict_and_its_file(self):
        from_file = mdsim.explore(GATE_EXPLORE, crash_points="all")
        from_dict = mdsim.explore(gate_explore_dict())
        self.assertEqual(from_file["crash_points_checked"], from_file["events"])
        for k in ("crash_points_checked", "crash_states_checked", "crash_state_failures", "resync_sectors"):
            self.assertEqual(from_file[k], from_dict[k], k)

    def test_a_mutant_is_caught_with_a_replay_command(self):
        s = gate_explore_dict()
        s["mutants"] = ["bitmap_set_in_memory_only"]  # the intent never reaches the media
        s.pop("expect")
        # After 12 s the daemon has cleared mdadm's all-dirty initial record.
        s["ops"].insert(0, {"op": "advance", "ns": 12_000_000_000})
        r = mdsim.explore(s, crash_points=40, seed=3)
        self.assertEqual(r["verdict"], "fail")
        self.assertGreater(r["crash_state_failures"], 0)
        f = r["first_failure"]
        self.assertIn(f["property"], r["checks"])
        self.assertFalse(r["checks"][f["property"]]["held"])
        self.assertTrue(f["detail"])
        self.assertLessEqual(f["event"], r["events"])
        self.assertEqual(f["replay"], "mdsim explore SCENARIO.json --seed 3 --crash-points 40")

    def test_bad_crash_points_raise_value_error(self):
        for bad in (0, -2, "some", 1.5, True):
            with self.assertRaises(ValueError) as ctx:
                mdsim.explore(GATE_EXPLORE, crash_points=bad)
            self.assertIn('crash_points expects "all" or an integer >= 1', str(ctx.exception))

    def test_errors_carry_the_cli_messages(self):
        s = gate_explore_dict()
        s["ops"][0]["sectros"] = 8
        with self.assertRaises(ValueError) as ctx:
            mdsim.explore(s)
        self.assertIn("/ops/0", str(ctx.exception))
        workload = os.path.join(SOURCE_DIR, "scenarios", "examples", "raid1-bitmap-randwrite.json")
        with self.assertRaises(NotImplementedError) as ctx:
            mdsim.explore(workload, crash_points=2)
        self.assertIn('not implemented: explore of a "workload" scenario', str(ctx.exception))


class LatencyExportTest(unittest.TestCase):
    def scenario(self, n_writes):
        ops = [{"op": "advance", "ns": 20_000_000_000}]
        for i in range(n_writes):
            ops.append({"op": "write", "sector": (i * 7919 % 4096) * 8, "sectors": 8, "batch": i % 4 != 0})
            if i % 4 == 3:
                ops.append({"op": "wait"})
        return {"name": "lat", "seed": 7,
                "array": {"level": 1, "disks": 2, "size": "64MiB", "intent": {"type": "bitmap", "chunk": "64KiB"}},
                "ops": ops, "checks": ["intent_before_data"]}

    def test_percentiles_are_ordered_and_on_the_cdf(self):
        r = mdsim.run(self.scenario(400))
        p = [r["write_lat_ns_" + k] for k in ("p50", "p90", "p99", "p999", "max")]
        self.assertGreater(p[0], 0)
        self.assertEqual(p, sorted(p))
        cdf = r["write_lat_cdf"]
        self.assertLessEqual(len(cdf), 106)
        self.assertEqual(cdf[-1], [r["write_lat_ns_max"], 1.0])
        for (x0, f0), (x1, f1) in zip(cdf, cdf[1:]):
            self.assertLess(x0, x1)
            self.assertLess(f0, f1)
        # p50 is the smallest latency with at least half the writes <= it, within
        # the histogram's 1/256: the CDF reaches 0.5 at a point near it.
        first_half = next(x for x, f in cdf if f >= 0.5)
        self.assertLessEqual(abs(first_half - r["write_lat_ns_p50"]), r["write_lat_ns_p50"] / 256 + 1)

    def test_no_writes_no_cdf(self):
        r = mdsim.run(self.scenario(0))
        self.assertEqual(r["write_lat_cdf"], [])
        self.assertEqual(r["write_lat_ns_p999"], 0)

    def test_explore_has_no_latency(self):
        r = mdsim.explore(GATE_EXPLORE, crash_points=1)
        self.assertEqual(r["write_lat_cdf"], [])


if __name__ == "__main__":
    unittest.main()
