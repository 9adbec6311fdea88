"""Procrastinate workers: workflow steps and their generators."""
