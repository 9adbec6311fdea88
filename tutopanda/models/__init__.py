"""pydantic domain models: the lecture sections, snapshots, history, projects and workflow runs."""
