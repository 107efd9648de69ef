"""An independent, plain-Python reading of the metric catalogue, for differential tests."""
