// KdTree: the spatial index behind TrackIndex, over the affect plane (D = 2) and the
// standardised feature space (D = 9). Exact, not approximate: a best-first search
// (Hjaltason & Samet 1999, the Cursor) hands points over in the order a
// caller-supplied ranker defines, as long as the ranker's bound for a node never
// exceeds the rank of a point in it; plain k nearest neighbours take a depth-first
// search (Nearest). That one search serves plain nearest neighbours and the
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
#include <thread>
#include <utility>
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
  // million-point build holds two copies at most, not three. With `threads` > 1
  // the halves of the upper levels are built on threads of their own; the tree is
  // the same whatever the count.
  static KdTree Build(std::vector<std::uint32_t> rows, std::vector<Point> points, unsigned threads = 1) {
    // Points travel with their rows while the tree is cut: each node's points lie
    // side by side, so its box and its split read memory in order.
    std::vector<Item> items(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) items[i] = {points[i], rows[i]};
    rows = {};
    points = {};
    KdTree tree;
    if (!items.empty()) Split(items, 0, static_cast<std::uint32_t>(items.size()), tree.nodes_, threads);
    tree.rows_.resize(items.size());
    tree.points_.resize(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      tree.rows_[i] = items[i].row;
      tree.points_[i] = items[i].point;
    }
    return tree;
  }

  std::size_t size() const { return rows_.size(); }
  // Rows renumbered: row r becomes new_of_old[r].
  void RenumberRows(const std::vector<std::uint32_t>& new_of_old) {
    for (std::uint32_t& r : rows_) r = new_of_old[r];
  }
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

  // Points in ascending rank, one at a time (Next), resumable: a search that has
  // handed out some points can go on later from where it stopped. The ranker
  // answers `SearchRank NodeBound(const Node&)` (a lower bound for every point
  // under the node; primary +inf prunes it), `double PointPrimary(pos)` (the
  // point's primary rank; +inf: not a candidate) and `bool PointSecondary(pos,
  // std::uint64_t&)` (false: not a candidate after all). A leaf's points enter the
  // queue by primary rank alone; a point is asked for the rest only when it
  // reaches the front (most of an opened leaf never does), and goes back in ahead
  // of every resolved point of its primary rank, so the order is the one full
  // ranks would give. (Keeping an opened leaf's points sorted as one entry was
  // tried: slower, a binary heap's push costs less than a sort on average.)
  template <class Ranker>
  class Cursor {
   public:
    Cursor(const KdTree& tree, Ranker ranker) : tree_(&tree), ranker_(std::move(ranker)) {
      if (!tree.nodes_.empty()) PushNode(0);
    }
    // The next point and its rank; false when none is left.
    bool Next(std::uint32_t& pos, SearchRank& rank) {
      while (!queue_.empty()) {
        const Entry top = queue_.top();
        queue_.pop();
        if (top.kind == kPoint) {
          pos = top.index;
          rank = top.rank;
          return true;
        }
        if (top.kind == kUnresolved) {
          if (SearchRank r{top.rank.primary, 0}; ranker_.PointSecondary(top.index, r.secondary))
            queue_.push({r, top.index, kPoint});
          continue;
        }
        const Node& node = tree_->nodes_[top.index];
        if (node.left != 0) {
          PushNode(node.left);
          PushNode(node.right);
          continue;
        }
        for (std::uint32_t p = node.begin; p < node.end; ++p)
          if (const double primary = ranker_.PointPrimary(p); primary != std::numeric_limits<double>::infinity())
            queue_.push({{primary, 0}, p, kUnresolved});
      }
      return false;
    }

   private:
    // At equal primary rank: nodes first (they may hold a point ranked lower
    // still), then points not yet resolved, then resolved points by secondary.
    enum Kind : std::uint8_t { kNode, kUnresolved, kPoint };
    struct Entry {
      SearchRank rank;
      std::uint32_t index;  // a node or a position
      Kind kind;
      bool operator>(const Entry& o) const {
        if (rank.primary != o.rank.primary) return rank.primary > o.rank.primary;
        if (kind != o.kind) return kind > o.kind;
        return rank.secondary > o.rank.secondary;
      }
    };
    void PushNode(std::uint32_t n) {
      const SearchRank bound = ranker_.NodeBound(tree_->nodes_[n]);
      if (bound.primary != std::numeric_limits<double>::infinity()) queue_.push({bound, n, kNode});
    }

    const KdTree* tree_;
    Ranker ranker_;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  };

  // The `k` points nearest to `q` (squared Euclidean distance; equal distances in
  // ascending `key(pos)`), leaving out those `skip(pos)` names: into `out` as
  // (squared distance, key, pos), nearest first. Exact: a depth-first descent,
  // nearer child first, pruning boxes farther than the k-th nearest so far.
  struct Neighbour {
    double distance;
    std::uint64_t key;
    std::uint32_t pos;
    bool operator<(const Neighbour& o) const { return distance < o.distance || (distance == o.distance && key < o.key); }
  };
  template <class Key, class Skip>
  void Nearest(const Point& q, std::size_t k, Key key, Skip skip, std::vector<Neighbour>& out) const {
    out.clear();
    if (k == 0 || nodes_.empty()) return;
    // `out` is a max-heap on (distance, key) while the search runs.
    const auto worse = [](const Neighbour& a, const Neighbour& b) { return a < b; };
    struct Pending {
      double bound;
      std::uint32_t node;
    };
    Pending stack[64];
    int depth = 0;
    stack[depth++] = {SquaredDistance(q, nodes_[0].box), 0};
    while (depth > 0) {
      const Pending p = stack[--depth];
      if (out.size() == k && p.bound > out.front().distance) continue;
      const Node& node = nodes_[p.node];
      if (node.left == 0) {
        for (std::uint32_t pos = node.begin; pos < node.end; ++pos) {
          const double d = SquaredDistance(points_[pos], q);
          if (out.size() == k && d > out.front().distance) continue;
          if (skip(pos)) continue;
          const Neighbour n{d, key(pos), pos};
          if (out.size() < k) {
            out.push_back(n);
            std::push_heap(out.begin(), out.end(), worse);
          } else if (n < out.front()) {
            std::pop_heap(out.begin(), out.end(), worse);
            out.back() = n;
            std::push_heap(out.begin(), out.end(), worse);
          }
        }
        continue;
      }
      // Nearer child on top of the stack, so it is searched first.
      const double left = SquaredDistance(q, nodes_[node.left].box);
      const double right = SquaredDistance(q, nodes_[node.right].box);
      if (left <= right) {
        stack[depth++] = {right, node.right};
        stack[depth++] = {left, node.left};
      } else {
        stack[depth++] = {left, node.left};
        stack[depth++] = {right, node.right};
      }
    }
    std::sort_heap(out.begin(), out.end(), worse);
  }

 private:
  struct Item {
    Point point;
    std::uint32_t row;
  };
  // Below this many points a subtree is not worth a thread of its own.
  static constexpr std::uint32_t kParallelSplit = 1 << 16;

  // Appends the nodes for items[begin, end) to `nodes` (pre-order: a parent
  // precedes its children; children's indices are into `nodes`). Returns the
  // subtree's root index.
  static std::uint32_t Split(std::vector<Item>& items, std::uint32_t begin, std::uint32_t end,
                             std::vector<Node>& nodes, unsigned threads) {
    const auto index = static_cast<std::uint32_t>(nodes.size());
    Node node;
    node.begin = begin;
    node.end = end;
    node.box.lo.fill(std::numeric_limits<double>::infinity());
    node.box.hi.fill(-std::numeric_limits<double>::infinity());
    for (std::uint32_t i = begin; i < end; ++i)
      for (std::size_t d = 0; d < D; ++d) {
        node.box.lo[d] = std::min(node.box.lo[d], items[i].point[d]);
        node.box.hi[d] = std::max(node.box.hi[d], items[i].point[d]);
      }
    nodes.push_back(node);
    if (end - begin <= kLeafSize) return index;
    // Split the widest side at its median: balanced, and boxes stay square-ish.
    std::size_t dim = 0;
    for (std::size_t d = 1; d < D; ++d)
      if (node.box.hi[d] - node.box.lo[d] > node.box.hi[dim] - node.box.lo[dim]) dim = d;
    if (node.box.hi[dim] == node.box.lo[dim]) return index;  // all points equal: one leaf
    const std::uint32_t middle = begin + (end - begin) / 2;
    std::nth_element(items.begin() + begin, items.begin() + middle, items.begin() + end,
                     [dim](const Item& a, const Item& b) { return a.point[dim] < b.point[dim]; });
    std::uint32_t left, right;
    if (threads > 1 && end - begin >= kParallelSplit) {
      // The right half into a node list of its own, then moved in after the left.
      std::vector<Node> right_nodes;
      std::thread other([&] { Split(items, middle, end, right_nodes, threads / 2); });
      left = Split(items, begin, middle, nodes, threads - threads / 2);
      other.join();
      right = static_cast<std::uint32_t>(nodes.size());
      for (Node& n : right_nodes) {
        if (n.left != 0) n.left += right, n.right += right;
        nodes.push_back(n);
      }
    } else {
      left = Split(items, begin, middle, nodes, 1);
      right = Split(items, middle, end, nodes, 1);
    }
    nodes[index].left = left;
    nodes[index].right = right;
    return index;
  }

  std::vector<Node> nodes_;
  std::vector<std::uint32_t> rows_;  // leaf order
  std::vector<Point> points_;        // leaf order
};

}  // namespace emotune::recommend
