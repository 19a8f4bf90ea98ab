"""Rules and operations of the duty desk: plain Python, no Textual. The CLI, the screens and the
tests all call these."""
