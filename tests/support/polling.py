"""How often the suite's event publishers look for changes.

An app or server of each test process runs one, and at the default 5 ms an idle one took 0.08 of
a core in its own process (0.008 at 100 ms), its database backend besides, from a suite that
keeps both cores busy. 25 ms delays an event by at most that. tests/conftest.py puts it in the
environment, which the servers the tests start inherit; the apps made in-process add it to
their settings.
"""

TEST_EVENT_POLL = {"TUTOPANDA_EVENT_POLL_MS": "25"}
