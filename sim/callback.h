// The callable an event carries: a move-only `void()` with a small inline
// buffer (Callback), and the same for other signatures (InlineFunction<void(A...)>,
// e.g. a disk completion taking its IoResult).
//
// Every simulated IO schedules several events (disk completion, coroutine
// resumptions) and hands completion callbacks down several layers, and
// std::function paid for each of them with indirect manager calls on every
// move and destruction. Nearly all such callables are a lambda capturing one
// to three pointers, which are trivially copyable: those are stored inline and
// moved with a plain copy of the buffer, with no manager at all. Larger or
// non-trivial callables (a captured std::function, a shared_ptr) still work:
// they are stored inline with a manager when they fit, else on the heap.
//
// Invariants: invoke_ == nullptr iff empty; manage_ == nullptr iff the stored
// callable is trivially copyable and destructible and lives inline in buf_.
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace mdsim::sim {

template <class Sig>
class InlineFunction;

template <class... A>
class InlineFunction<void(A...)> {
 public:
  static constexpr std::size_t kInlineBytes = 24;

  InlineFunction() noexcept = default;
  InlineFunction(std::nullptr_t) noexcept {}  // NOLINT: mirrors std::function
  template <class F, class D = std::decay_t<F>,
            std::enable_if_t<!std::is_same_v<D, InlineFunction> && std::is_invocable_v<D&, A...>,
                             int> = 0>
  InlineFunction(F&& f) {  // NOLINT: implicit like std::function
    emplace<D>(std::forward<F>(f));
  }
  InlineFunction(InlineFunction&& o) noexcept { take(o); }
  InlineFunction& operator=(InlineFunction&& o) noexcept {
    if (this != &o) {
      reset();
      take(o);
    }
    return *this;
  }
  InlineFunction& operator=(std::nullptr_t) noexcept {
    reset();
    return *this;
  }
  InlineFunction(const InlineFunction&) = delete;
  InlineFunction& operator=(const InlineFunction&) = delete;
  ~InlineFunction() { reset(); }

  explicit operator bool() const noexcept { return invoke_ != nullptr; }
  friend bool operator==(const InlineFunction& c, std::nullptr_t) noexcept { return !c; }

  // REQUIRES: not empty. Arguments are forwarded (a by-value IoResult is moved).
  void operator()(A... a) const { invoke_(buf_, std::forward<A>(a)...); }

 private:
  enum class Op { kMove, kDestroy };
  using Invoke = void (*)(void*, A&&...);
  using Manage = void (*)(Op, void* dst, void* src) noexcept;

  template <class D>
  static constexpr bool kInline = sizeof(D) <= kInlineBytes && alignof(D) <= alignof(void*) &&
                                  std::is_nothrow_move_constructible_v<D>;

  template <class D, class F>
  void emplace(F&& f) {
    if constexpr (kInline<D>) {
      ::new (static_cast<void*>(buf_)) D(std::forward<F>(f));
      invoke_ = [](void* p, A&&... a) { (*static_cast<D*>(p))(std::forward<A>(a)...); };
      if constexpr (!(std::is_trivially_copyable_v<D> && std::is_trivially_destructible_v<D>)) {
        manage_ = [](Op op, void* dst, void* src) noexcept {
          D* s = static_cast<D*>(src);
          if (op == Op::kMove) ::new (dst) D(std::move(*s));
          s->~D();
        };
      }
    } else {
      D* heap = new D(std::forward<F>(f));
      std::memcpy(buf_, &heap, sizeof heap);
      invoke_ = [](void* p, A&&... a) {
        D* d;
        std::memcpy(&d, p, sizeof d);
        (*d)(std::forward<A>(a)...);
      };
      manage_ = [](Op op, void* dst, void* src) noexcept {
        if (op == Op::kMove) {
          std::memcpy(dst, src, sizeof(D*));
        } else {
          D* d;
          std::memcpy(&d, src, sizeof d);
          delete d;
        }
      };
    }
  }
  void take(InlineFunction& o) noexcept {
    if (o.manage_ == nullptr) {
      std::memcpy(buf_, o.buf_, kInlineBytes);
    } else {
      o.manage_(Op::kMove, buf_, o.buf_);
    }
    invoke_ = o.invoke_;
    manage_ = o.manage_;
    o.invoke_ = nullptr;
    o.manage_ = nullptr;
  }
  void reset() noexcept {
    if (manage_ != nullptr) manage_(Op::kDestroy, nullptr, buf_);
    invoke_ = nullptr;
    manage_ = nullptr;
  }

  alignas(void*) mutable unsigned char buf_[kInlineBytes];
  Invoke invoke_ = nullptr;
  Manage manage_ = nullptr;
};

using Callback = InlineFunction<void()>;

}  // namespace mdsim::sim
