"""The `scanner` command: a typer app whose commands are thin wrappers over the library and flows."""
