// KdTree: the spatial index behind TrackIndex, over the affect plane (D = 2) and the
// standardised feature space (D = 9). Exact, not approximate: a best-first search
// (Hjaltason & Samet 1999) hands points over in the order a caller-supplied ranker
// defines, as long as the ranker's bound for a node never exceeds the rank of a
// point in it. That one search serves plain nearest neighbours and the
// recommender's bent, tie-broken distances alike, so the index cannot drift from a
// brute-force scan. Internal to the recommend module. Immutable after Build;
// const methods are thread-safe.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <numeric>
#include <queue>
#include <span>
#include <vector>

namespace emotune::recommend {

// Where a point or a node stands in a search: ascending primary, then secondary.
// A node is opened before any point of equal primary, since it may hold one with a
// smaller secondary.
struct SearchRank {
  double primary = 0;
  std::uint64_t secondary = 0;
};

template <std::size_t D>
class KdTree {
 public:
  using Point = std::array<double, D>;
  struct Box {
    Point lo, hi;
  };
  struct Node {
    Box box;
    std::uint32_t begin = 0, end = 0;  // positions in leaf order
    std::uint32_t left = 0, right = 0;  // children; 0 for a leaf (the root is never a child)
  };

  // 32 points per leaf: large enough that a leaf scan is a tight loop, small
  // enough that its box still prunes.
  static constexpr std::uint32_t kLeafSize = 32;

  // A tree over `rows`, points[i] being rows[i]'s point. Taken by value so that a
  // million-point build holds two copies at most, not three.
  static KdTree Build(std::vector<std::uint32_t> rows, std::vector<Point> points) {
    KdTree tree;
    std::vector<std::uint32_t> order(rows.size());
    std::iota(order.begin(), order.end(), 0u);
    if (!rows.empty()) tree.Split(points, order, 0, static_cast<std::uint32_t>(order.size()));
    tree.rows_.resize(rows.size());
    tree.points_.resize(rows.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      tree.rows_[i] = rows[order[i]];
      tree.points_[i] = points[order[i]];
    }
    return tree;
  }

  std::size_t size() const { return rows_.size(); }
  std::size_t MemoryBytes() const {
    return nodes_.capacity() * sizeof(Node) + rows_.capacity() * sizeof(std::uint32_t) +
           points_.capacity() * sizeof(Point);
  }
  const std::vector<Node>& nodes() const { return nodes_; }
  std::uint32_t row(std::size_t pos) const { return rows_[pos]; }
  const Point& point(std::size_t pos) const { return points_[pos]; }

  static double SquaredDistance(const Point& a, const Point& b) {
    double sum = 0;
    for (std::size_t d = 0; d < D; ++d) sum += (a[d] - b[d]) * (a[d] - b[d]);
    return sum;
  }
  // The squared distance from `p` to the nearest point of `box` (0 inside it).
  static double SquaredDistance(const Point& p, const Box& box) {
    double sum = 0;
    for (std::size_t d = 0; d < D; ++d) {
      const double gap = std::max({box.lo[d] - p[d], p[d] - box.hi[d], 0.0});
      sum += gap * gap;
    }
    return sum;
  }

  // Hands points to `visit(pos, rank)` in ascending rank until it returns false.
  // The ranker answers `SearchRank NodeBound(const Node&)` (a lower bound for every
  // point under the node; primary +inf prunes it) and `bool PointRank(pos, SearchRank&)`
  // (false: the point is not a candidate).
  template <class Ranker, class Visit>
  void BestFirst(const Ranker& ranker, Visit visit) const {
    if (nodes_.empty()) return;
    struct Entry {
      SearchRank rank;
      std::uint32_t index;
      bool is_point;
      bool operator>(const Entry& o) const {
        if (rank.primary != o.rank.primary) return rank.primary > o.rank.primary;
        if (is_point != o.is_point) return is_point;
        return rank.secondary > o.rank.secondary;
      }
    };
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    const auto push_node = [&](std::uint32_t n) {
      const SearchRank bound = ranker.NodeBound(nodes_[n]);
      if (bound.primary != std::numeric_limits<double>::infinity()) queue.push({bound, n, false});
    };
    push_node(0);
    while (!queue.empty()) {
      const Entry top = queue.top();
      queue.pop();
      if (top.is_point) {
        if (!visit(top.index, top.rank)) return;
        continue;
      }
      const Node& node = nodes_[top.index];
      if (node.left != 0) {
        push_node(node.left);
        push_node(node.right);
        continue;
      }
      for (std::uint32_t pos = node.begin; pos < node.end; ++pos)
        if (SearchRank rank; ranker.PointRank(pos, rank)) queue.push({rank, pos, true});
    }
  }

 private:
  // Builds the node for order[begin, end) (pre-order: a parent precedes its children).
  std::uint32_t Split(const std::vector<Point>& points, std::vector<std::uint32_t>& order, std::uint32_t begin,
                      std::uint32_t end) {
    const auto index = static_cast<std::uint32_t>(nodes_.size());
    Node node;
    node.begin = begin;
    node.end = end;
    node.box.lo.fill(std::numeric_limits<double>::infinity());
    node.box.hi.fill(-std::numeric_limits<double>::infinity());
    for (std::uint32_t i = begin; i < end; ++i)
      for (std::size_t d = 0; d < D; ++d) {
        node.box.lo[d] = std::min(node.box.lo[d], points[order[i]][d]);
        node.box.hi[d] = std::max(node.box.hi[d], points[order[i]][d]);
      }
    nodes_.push_back(node);
    if (end - begin <= kLeafSize) return index;
    // Split the widest side at its median: balanced, and boxes stay square-ish.
    std::size_t dim = 0;
    for (std::size_t d = 1; d < D; ++d)
      if (node.box.hi[d] - node.box.lo[d] > node.box.hi[dim] - node.box.lo[dim]) dim = d;
    if (node.box.hi[dim] == node.box.lo[dim]) return index;  // all points equal: one leaf
    const std::uint32_t middle = begin + (end - begin) / 2;
    std::nth_element(order.begin() + begin, order.begin() + middle, order.begin() + end,
                     [&](std::uint32_t a, std::uint32_t b) { return points[a][dim] < points[b][dim]; });
    const std::uint32_t left = Split(points, order, begin, middle);
    const std::uint32_t right = Split(points, order, middle, end);
    nodes_[index].left = left;
    nodes_[index].right = right;
    return index;
  }

  std::vector<Node> nodes_;
  std::vector<std::uint32_t> rows_;  // leaf order
  std::vector<Point> points_;        // leaf order
};

}  // namespace emotune::recommend
