"""One module per figure the benchmark reports."""
