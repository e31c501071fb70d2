#!/usr/bin/python3
"""The recommend benchmark's peer: what the seed projects' tool, scikit-learn (Debian
python3-sklearn), takes for the same k-means and nearest-neighbour work on the same
standardised matrix. Run by bench/recommend_bench; usage:
peer_sklearn.py MATRIX QUERIES MAX_ITER TOL SEED, where MATRIX is two int64 (rows,
dims) then rows*dims float32, row-major, and QUERIES holds one row number a line.
Prints: kmeans6_s iters6 kmeans64_s iters64 nn_fit_s nn_query_s"""
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.neighbors import NearestNeighbors

matrix_path, queries_path, max_iter, tol, seed = sys.argv[1:6]
rows, dims = np.fromfile(matrix_path, dtype=np.int64, count=2)
X = np.fromfile(matrix_path, dtype=np.float32, offset=16).reshape(rows, dims)
queries = X[np.loadtxt(queries_path, dtype=np.int64)]

out = []
for k in (6, 64):
    start = time.perf_counter()
    km = KMeans(n_clusters=k, init="k-means++", n_init=1, max_iter=int(max_iter), tol=float(tol),
                random_state=int(seed)).fit(X)
    out += [time.perf_counter() - start, km.n_iter_]

start = time.perf_counter()
nn = NearestNeighbors(n_neighbors=10).fit(X)
fit_s = time.perf_counter() - start
start = time.perf_counter()
nn.kneighbors(queries)
out += [fit_s, time.perf_counter() - start]
print(" ".join(str(x) for x in out))
