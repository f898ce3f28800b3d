"""Smoke tests of the mdsim Python module (run by ctest, label python)."""
import unittest

import mdsim


class ModuleTest(unittest.TestCase):
    def test_version(self):
        self.assertRegex(mdsim.version(), r"^\d+\.\d+\.\d+$")

    def test_workload_preview_randwrite(self):
        ios = mdsim.workload_preview(
            {"rw": "randwrite", "bs": "4KiB", "iodepth": 8, "iodepth_batch_submit": 4,
             "ios": 64, "size": "1MiB"},
            capacity_bytes=1 << 30, seed=7)
        self.assertEqual(len(ios), 64)
        for io in ios:
            self.assertEqual(io["op"], "write")
            self.assertEqual(io["sectors"], 8)
            self.assertEqual(io["sector"] % 8, 0)
            self.assertLess(io["sector"] + io["sectors"], 2048 + 1)
        calls = {}
        for io in ios:
            calls[io["call"]] = calls.get(io["call"], 0) + 1
        self.assertEqual(set(calls.values()), {4})

    def test_same_seed_same_preview(self):
        job = {"rw": "randrw", "rwmixread": 30, "ios": 100}
        self.assertEqual(mdsim.workload_preview(job, seed=3), mdsim.workload_preview(job, seed=3))
        self.assertNotEqual(mdsim.workload_preview(job, seed=3),
                            mdsim.workload_preview(job, seed=4))

    def test_fio_job_text(self):
        ios = mdsim.fio_job_preview("[global]\nbs=4k\n[w]\nrw=write\nnumber_ios=5\nfsync=2\n")
        self.assertEqual([io["op"] for io in ios],
                         ["write", "write", "flush", "write", "write", "flush", "write"])

    def test_bad_key_raises_value_error(self):
        with self.assertRaises(ValueError) as ctx:
            mdsim.workload_preview({"rw": "randwrite", "iodpeth": 4})
        self.assertIn("/workload/iodpeth", str(ctx.exception))

    def test_supported_keys(self):
        self.assertIn("iodepth_batch_submit", mdsim.supported_job_keys())


if __name__ == "__main__":
    unittest.main()
