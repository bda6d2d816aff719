"""Microsoft's Contact Center Messaging API, its outbound webhook and a rep workspace, emulated.

The channel itself is a Dataverse row (`msdyn_occustommessagingchannel`); everything Microsoft
keeps outside Dataverse (conversations, messages, deliveries) lives in this package's models.
"""
