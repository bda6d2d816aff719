"""Live chat: chats a rep answers, handed to Dynamics 365 Contact Center's Messaging API.

The service is the backend of a custom messaging channel. A chat handoff (target live_chat)
opens one conversation (handoff.py, planned in plan.py, sent by client.py); the channel's
webhook receives the rep's activities (webhook.py); the settings page and connect_live_chat
configure and verify the channel (setup.py); Microsoft's facts live in facts.py.
"""
