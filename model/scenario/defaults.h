// Every default of the scenario format, in one place.
//
// The loader (model/scenario/loader*.cc), scenarios/schema.json ("default"
// annotations) and docs/scenario-format.md all state these values; a unit test
// (tests/scenario/schema_test.cc) checks the schema's defaults against this file.
// Change a default here and in those two files together.
#pragma once

#include <cstdint>

namespace mdsim::scenario::defaults {

inline constexpr uint64_t kKiB = 1024;
inline constexpr uint64_t kMiB = 1024 * kKiB;
inline constexpr uint64_t kGiB = 1024 * kMiB;

// --- top level ---------------------------------------------------------------
inline constexpr uint64_t kSeed = 1;

// --- array -------------------------------------------------------------------
inline constexpr uint64_t kArraySizeBytes = 1 * kGiB;        // per member (mdadm --size)
inline constexpr bool kAssumeClean = false;
inline constexpr uint64_t kRaidChunkBytes = 512 * kKiB;      // mdadm's default --chunk
inline constexpr uint32_t kSafeModeDelayMs = 200;            // md safe_mode_delay
inline constexpr uint32_t kDisksMax = 32;
inline constexpr uint64_t kArraySizeBytesMin = 1 * kMiB;
inline constexpr uint64_t kArraySizeBytesMax = 16ull * 1024 * kGiB;  // 16 TiB per member

// --- intent ------------------------------------------------------------------
// chunk_bytes 0 means "backend decides" (mdadm/kernel automatic choice).
inline constexpr uint64_t kIntentChunkAuto = 0;
// mdadm: an internal bitmap's chunk defaults to 64 MiB, or larger if needed to fit.
inline constexpr uint64_t kBitmapChunkBytesDefault = 64 * kMiB;
inline constexpr uint64_t kIntentChunkBytesMin = 4 * kKiB;
inline constexpr uint32_t kDaemonSleepS = 5;                 // md bitmap daemon_sleep
inline constexpr uint32_t kBarrierIdleS = 5;                 // llbitmap barrier_idle
inline constexpr uint32_t kJournalEntries = 64;              // journal / ours slots
// mdadm 4.2 bitmap space (kernel-observations.md item 8): 4 KiB on members up to
// 8 GiB, 64 KiB above; the 256-byte bitmap superblock lives in that space too.
inline constexpr uint64_t kBitmapSpaceSmallBytes = 4 * kKiB;
inline constexpr uint64_t kBitmapSpaceLargeBytes = 64 * kKiB;
inline constexpr uint64_t kBitmapSpaceLargeAboveBytes = 8 * kGiB;
inline constexpr uint64_t kBitmapSuperblockBytes = 256;

// --- disk --------------------------------------------------------------------
inline constexpr const char* kDiskProfile = "nvme";
inline constexpr const char* kWriteCache = "volatile";
inline constexpr bool kFuaSupported = true;
inline constexpr uint32_t kLogicalBlockBytes = 512;
inline constexpr uint32_t kQueueDepth = 64;
inline constexpr int64_t kDestageDelayNs = 50'000'000;

// --- workload (fio names and defaults) -----------------------------------------
inline constexpr const char* kRw = "randwrite";
inline constexpr uint64_t kBsBytes = 4 * kKiB;
inline constexpr uint32_t kIodepth = 1;
inline constexpr uint32_t kIodepthBatchSubmit = 1;
inline constexpr uint32_t kNumjobs = 1;
inline constexpr uint64_t kIos = 1000;
inline constexpr uint32_t kRwmixwrite = 50;                  // percent, rw/randrw only
inline constexpr uint32_t kFsync = 0;                        // 0 = never
inline constexpr uint64_t kOffsetBytes = 0;
inline constexpr uint64_t kSizeBytesWholeArray = 0;          // 0 = to the end of the array
inline constexpr int64_t kRuntimeNsUnlimited = 0;            // 0 = until `ios` are done
inline constexpr uint32_t kIodepthMax = 1024;
inline constexpr uint32_t kNumjobsMax = 64;

// --- faults --------------------------------------------------------------------
inline constexpr const char* kPersist = "random";
inline constexpr bool kTorn = true;
inline constexpr bool kBadBlockSticky = false;
inline constexpr uint32_t kSlowFactorMin = 2;
inline constexpr uint32_t kSlowFactorMax = 10000;

// --- after_crash ---------------------------------------------------------------
inline constexpr bool kAssemble = true;
inline constexpr bool kResync = true;
inline constexpr int64_t kConvergenceTimeoutNs = 600'000'000'000;  // 600 s simulated

// --- limits ----------------------------------------------------------------------
inline constexpr uint64_t kEventsMax = 200'000'000;
inline constexpr int64_t kTimeNsMax = 3'600'000'000'000;           // 1 h simulated

}  // namespace mdsim::scenario::defaults
