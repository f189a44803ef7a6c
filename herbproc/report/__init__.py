"""The run report: ``<run_dir>/report/index.html`` with a section per stage that has run."""
