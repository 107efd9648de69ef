"""The metric engine: grouped SQL over windows of time per shop, and the formulas on top."""
