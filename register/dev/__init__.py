"""Tools for developers, not used by the product: synthetic registers for benchmarks and scale tests."""
