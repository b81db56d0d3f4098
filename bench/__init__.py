"""civicweave's benchmarks (not tests): synthetic localities, scenarios measured against
baselines of the same run, and the table of figures. Run them with ``python -m bench``."""
