"""smtpteach's benchmarks: every budget of DESIGN.md, each beside a baseline run in the same process."""
