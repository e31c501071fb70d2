// FifoGate: lets at most `slots` threads through at once, in the order they came.
// The server's short, frequent requests (a playlist, a text reading, a chat turn)
// pass through one sized to the machine's cores: with dozens of connection threads
// sharing two cores, the scheduler time-slices them all and an unlucky request waits
// many slices (p99 four times the median); admitted in arrival order and run to the
// end, each waits about the same. A plain semaphore wakes waiters in no set order.
//
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace emotune::server {

class FifoGate {
 public:
  // `slots` ≥ 1.
  explicit FifoGate(std::size_t slots) : free_(slots < 1 ? 1 : slots) {}
  FifoGate(const FifoGate&) = delete;
  FifoGate& operator=(const FifoGate&) = delete;

  void Enter() {
    std::unique_lock lock(mutex_);
    if (free_ > 0 && waiting_.empty()) {
      --free_;
      return;
    }
    Waiter me;
    waiting_.push_back(&me);
    me.turn.wait(lock, [&] { return me.admitted; });
  }

  // Hands the slot straight to the longest waiter, so no newcomer can overtake it.
  void Leave() {
    std::lock_guard lock(mutex_);
    if (waiting_.empty()) {
      ++free_;
      return;
    }
    Waiter* next = waiting_.front();
    waiting_.pop_front();
    next->admitted = true;
    next->turn.notify_one();
  }

  // Threads waiting now.
  std::size_t waiting() {
    std::lock_guard lock(mutex_);
    return waiting_.size();
  }

  // Holds a slot for its lifetime.
  class Pass {
   public:
    explicit Pass(FifoGate& gate) : gate_(gate) { gate_.Enter(); }
    ~Pass() { gate_.Leave(); }
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;

   private:
    FifoGate& gate_;
  };

 private:
  struct Waiter {
    std::condition_variable turn;
    bool admitted = false;
  };
  std::mutex mutex_;
  std::size_t free_;
  std::deque<Waiter*> waiting_;
};

}  // namespace emotune::server
