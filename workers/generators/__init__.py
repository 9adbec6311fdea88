"""Step generators: what each workflow step computes. Defaults run locally, deterministically."""
