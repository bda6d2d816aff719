"""Dataverse (Dynamics 365) access: the client door, error classification, one module per table."""
