"""Great Expectations suites (reviewed JSON files in suites/) and the runner that applies them."""
