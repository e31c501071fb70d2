// FifoGate (server/fifo_gate.h): never more than `slots` inside, and waiters let in
// in the order they came, whatever order the scheduler wakes threads in.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "server/fifo_gate.h"

namespace emotune::server {
namespace {

void WaitUntilWaiting(FifoGate& gate, std::size_t n) {
  while (gate.waiting() < n) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TEST(FifoGateTest, WaitersEnterInArrivalOrder) {
  FifoGate gate(1);
  gate.Enter();  // the slot is taken; everyone below queues
  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      FifoGate::Pass pass(gate);
      std::lock_guard lock(order_mutex);
      order.push_back(i);
    });
    WaitUntilWaiting(gate, static_cast<std::size_t>(i) + 1);  // i is queued before i + 1 starts
  }
  gate.Leave();
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(gate.waiting(), 0u);
}

TEST(FifoGateTest, ANewcomerDoesNotOvertakeAWaiter) {
  FifoGate gate(1);
  gate.Enter();
  std::atomic<bool> waiter_in{false};
  std::thread waiter([&] {
    FifoGate::Pass pass(gate);
    waiter_in = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  });
  WaitUntilWaiting(gate, 1);
  gate.Leave();  // the slot goes to the waiter, not to whoever asks next
  gate.Enter();
  EXPECT_TRUE(waiter_in.load());
  gate.Leave();
  waiter.join();
}

TEST(FifoGateTest, NeverMoreThanItsSlotsInside) {
  FifoGate gate(2);
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 300; ++i) {
        FifoGate::Pass pass(gate);
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --inside;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 2);
  EXPECT_GE(most.load(), 1);
  EXPECT_EQ(gate.waiting(), 0u);
}

}  // namespace
}  // namespace emotune::server
