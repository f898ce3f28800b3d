// Recycled memory for coroutine frames (Task, ValueTask).
//
// Every simulated request runs through several coroutines, so frames are
// allocated and freed at the rate of member IOs. malloc's per-thread cache
// keeps only a few blocks per size, fewer than the frames alive at iodepth 32,
// and the rest went through its slow path. Frames therefore come from a
// per-thread free list per 64-byte size class (bounded, frames up to 2 KiB).
//
// This is allocator state, not simulation state: which block a frame gets has
// no effect on what a simulation does, so it is kept per thread (like malloc's
// own caches) rather than per Simulator, whose address a frame does not know.
//
// Under AddressSanitizer the pool is bypassed (plain new/delete, frame_pool.cc):
// a recycled block would hide a use-after-free of a coroutine frame from ASan.
//
// Invariants: a block is on at most one free list; frame_free(p, n) only with
// the n given to the frame_alloc that returned p; each list holds at most
// kFramePoolPerClass blocks; blocks still listed are freed at thread exit.
#pragma once

#include <cstddef>

namespace mdsim::sim::detail {

inline constexpr std::size_t kFrameClassBytes = 64;
inline constexpr std::size_t kFrameClasses = 32;  // pooled frames up to 2 KiB
inline constexpr std::size_t kFramePoolPerClass = 512;

void* frame_alloc(std::size_t n);
void frame_free(void* p, std::size_t n) noexcept;

}  // namespace mdsim::sim::detail
