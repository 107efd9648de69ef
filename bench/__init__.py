"""Hand-run benchmarks: a large generated dataset and a timed dashboard request."""
