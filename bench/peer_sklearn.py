#!/usr/bin/python3
"""The recommend benchmark's peer: what the seed projects' tool, scikit-learn (Debian
python3-sklearn), takes for the same k-means and nearest-neighbour work on the same
standardised matrix. Run by bench/recommend_bench; usage:
peer_sklearn.py MATRIX QUERIES MAX_ITER TOL SEED, where MATRIX is two int64 (rows,
dims) then rows*dims float32, row-major, and QUERIES holds one row number a line.
Prints, each timing as wall then CPU seconds (time.process_time: every thread):
k6_wall k6_cpu iters6 inertia6 k64_wall k64_cpu iters64 inertia64 fit_wall fit_cpu query_wall query_cpu"""
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.neighbors import NearestNeighbors

matrix_path, queries_path, max_iter, tol, seed = sys.argv[1:6]
rows, dims = np.fromfile(matrix_path, dtype=np.int64, count=2)
X = np.fromfile(matrix_path, dtype=np.float32, offset=16).reshape(rows, dims)
queries = X[np.loadtxt(queries_path, dtype=np.int64)]



def timed(work):
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


out = []
for k in (6, 64):
    km, wall, cpu = timed(lambda: KMeans(n_clusters=k, init="k-means++", n_init=1, max_iter=int(max_iter),
                                         tol=float(tol), random_state=int(seed)).fit(X))
    out += [wall, cpu, km.n_iter_, km.inertia_]

nn, fit_wall, fit_cpu = timed(lambda: NearestNeighbors(n_neighbors=10).fit(X))
_, query_wall, query_cpu = timed(lambda: nn.kneighbors(queries))
out += [fit_wall, fit_cpu, query_wall, query_cpu]
print(" ".join(str(x) for x in out))
