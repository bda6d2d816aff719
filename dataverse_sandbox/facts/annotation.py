"""Note (annotation): the transcript attached to a case or conversation."""

from __future__ import annotations

from dataverse_sandbox.facts.model import Column, Nav, Table, columns, system_columns

SOURCE = (
    "https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/"
    "annotation"
)
# Dynamics 365 apps add their own relationships to notes (objectid_incident,
# objectid_msdyn_ocliveworkitem); they are listed on the Dynamics 365 copy of the page.
DYNAMICS_PAGE = (
    "https://learn.microsoft.com/en-us/dynamics365/developer/reference/entities/annotation"
)

ANNOTATION = Table(
    "annotation", "annotations", "annotationid", "subject", 5, "Note", SOURCE, display="Note",
    columns=columns(
        *system_columns("annotationid", "Note"),
        Column("subject", "String", "Title", 500, "ApplicationRequired"),
        Column("notetext", "Memo", "Description", 100000),
        Column("filename", "String", "File Name", 255),
        Column("mimetype", "String", "Mime Type", 256),
        Column("documentbody", "String", "Document", 1073741823),
        Column("filesize", "Integer", "File Size (Bytes)", create=False, update=False),
        Column("isdocument", "Boolean", "Is Document", required="SystemRequired"),
        Column("objectid", "Lookup", "Regarding",
               targets=("contact", "incident", "msdyn_ocliveworkitem")),
        Column("objecttypecode", "EntityName", "Object Type"),
    ),
    navs={
        "objectid_contact": Nav("objectid", "contact", "Contact_Annotation"),
        "objectid_incident": Nav("objectid", "incident", "Incident_Annotation"),  # DYNAMICS_PAGE
        "objectid_msdyn_ocliveworkitem": Nav(  # DYNAMICS_PAGE
            "objectid", "msdyn_ocliveworkitem", "msdyn_ocliveworkitem_Annotations"
        ),
        "ownerid": Nav("ownerid", "systemuser", "owner_annotations"),
    },
)  # fmt: skip
