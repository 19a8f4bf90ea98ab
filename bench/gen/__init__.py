"""The ten-year database: one module per record kind, a bulk chain writer, and the build."""
