#include "sim/callback.h"

#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <memory>
#include <utility>

namespace mdsim::sim {
namespace {

TEST(Callback, EmptyByDefaultAndAfterNull) {
  Callback c;
  EXPECT_FALSE(c);
  EXPECT_TRUE(c == nullptr);
  int n = 0;
  c = [&n] { ++n; };
  EXPECT_TRUE(c);
  c();
  EXPECT_EQ(n, 1);
  c = nullptr;
  EXPECT_FALSE(c);
}

TEST(Callback, MoveLeavesSourceEmptyAndKeepsTheCall) {
  int a = 0;
  int b = 0;
  Callback x = [&a, &b] { a += 1; b += 2; };
  Callback y = std::move(x);
  EXPECT_FALSE(x);  // NOLINT(bugprone-use-after-move): the state is specified
  y();
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 2);
  Callback z;
  z = std::move(y);
  EXPECT_FALSE(y);  // NOLINT(bugprone-use-after-move)
  z();
  EXPECT_EQ(b, 4);
}

TEST(Callback, NonTrivialCaptureIsDestroyedExactlyOnce) {
  auto token = std::make_shared<int>(7);
  int seen = 0;
  {
    Callback c = [token, &seen] { seen = *token; };
    EXPECT_EQ(token.use_count(), 2);
    Callback d = std::move(c);
    EXPECT_EQ(token.use_count(), 2);  // moved, not copied
    d();
    EXPECT_EQ(seen, 7);
  }
  EXPECT_EQ(token.use_count(), 1);
}

TEST(Callback, LargeCaptureGoesToTheHeapAndWorks) {
  auto token = std::make_shared<int>(0);
  std::array<uint64_t, 8> big{1, 2, 3, 4, 5, 6, 7, 8};
  uint64_t sum = 0;
  {
    Callback c = [big, token, &sum] {
      for (uint64_t v : big) sum += v;
    };
    Callback d;
    d = std::move(c);
    d();
    EXPECT_EQ(token.use_count(), 2);
  }
  EXPECT_EQ(sum, 36u);
  EXPECT_EQ(token.use_count(), 1);
}

TEST(Callback, WrapsAStdFunction) {
  int n = 0;
  std::function<void()> f = [&n] { n += 5; };
  Callback c = f;
  Callback d = std::move(c);
  d();
  EXPECT_EQ(n, 5);
}

TEST(Callback, MutableLambdaKeepsItsState) {
  int out = 0;
  Callback c = [k = 0, &out]() mutable { out = ++k; };
  c();
  c();
  EXPECT_EQ(out, 2);
}

}  // namespace
}  // namespace mdsim::sim
