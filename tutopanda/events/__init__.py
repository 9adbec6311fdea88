"""Realtime: one publisher per database announces changes; one hub per process fans them out."""
