"""scanner.demo: the bundled demo corpus (data/demo) and its loopback HTTP server (server.py)."""
