"""Telling OpenCX when a rep resolves, cancels or reassigns a case the service created.

Every minute a schedule queues one poll per tenant that sends case updates (schedule.py). A poll
(poll.py) follows Dataverse change tracking on cases: the first one reads every case once and
keeps the delta link; later ones ask that link what changed since, so a poll costs one request
per page of changes, however many cases are open. Each changed case the service created is
compared with what OpenCX last heard (snapshot.py, pure) and, when it differs, stored on its
session and reported as a `case.updated` event through the outbox (report.py). An expired delta
token means reading every case again; the comparison makes sure nothing is reported twice.
See docs/conversations.md, "What OpenCX hears back".
"""
