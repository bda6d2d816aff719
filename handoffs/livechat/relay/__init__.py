"""The live-chat relay: the customer's messages reach the rep, the rep's reach OpenCX, in order.

Customer → rep: OpenCX posts each message to the messages endpoint (intake.py, checked by
payload.py); it is stored in order per session (store.py) and a worker sends it to the Messaging
API (sender.py, the activity built by outgoing.py), one sender per session, retried until
delivered. Rep → customer: the channel's webhook stores each activity once (inbox.py) and queues
the relay (relay.py), which maps it to an OpenCX event (mapping.py, pure), moves the session's
live-chat state on and records the event in the outbox. transcript.py reads both queues back
as one conversation for the session page. See docs/live-chat.md, "The conversation, both ways".
"""
