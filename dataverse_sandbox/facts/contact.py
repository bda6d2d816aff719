"""Contact, as Microsoft's Dataverse table reference describes it."""

from __future__ import annotations

from dataverse_sandbox.facts.model import (
    ACTIVE_INACTIVE_STATE,
    ACTIVE_INACTIVE_STATUS,
    Collection,
    Column,
    Nav,
    Table,
    columns,
    system_columns,
)

SOURCE = "https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/contact"
ANNOTATION_PAGE = (
    "https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/"
    "annotation"
)

CONTACT = Table(
    "contact", "contacts", "contactid", "fullname", 2, "Contact", SOURCE, display="Contact",
    columns=columns(
        *system_columns("contactid", "Contact"),
        Column("firstname", "String", "First Name", 50, "Recommended"),
        Column("lastname", "String", "Last Name", 50, "ApplicationRequired"),
        Column("fullname", "String", "Full Name", 160, create=False, update=False),
        Column("emailaddress1", "String", "Email", 100),
        Column("telephone1", "String", "Business Phone", 50),
        Column("mobilephone", "String", "Mobile Phone", 50),
        Column("description", "Memo", "Description", 2000),
        # Inferred, as for every table: state is set by Dataverse on create.
        Column("statecode", "State", "Status", required="SystemRequired", create=False,
               options=ACTIVE_INACTIVE_STATE),
        Column("statuscode", "Status", "Status Reason", options=ACTIVE_INACTIVE_STATUS),
    ),
    # Inferred: owner_contacts' navigation property on contact is `ownerid`, as on the account,
    # queue and incident pages (the contact page's many-to-one details were not read).
    navs={"ownerid": Nav("ownerid", "systemuser", "owner_contacts")},
    # Contact_Annotation, with objectid_contact on the note's side (ANNOTATION_PAGE).
    collections={
        "Contact_Annotation": Collection("annotation", "objectid_contact", "Contact_Annotation"),
    },
)  # fmt: skip
