"""The sandbox's tables say what Microsoft's table reference says, fact by fact.

Each row below is copied from the Learn page named beside it. When a belief about Dataverse
changes, it changes here first, with its source.
"""

from __future__ import annotations

import pytest

from dataverse_sandbox.schema import TABLES

LEARN = "https://learn.microsoft.com/en-us"
INCIDENT = f"{LEARN}/dynamics365/developer/reference/entities/incident"
INCIDENT_ON_PREMISES = (
    f"{LEARN}/dynamics365/customerengagement/on-premises/developer/entities/incident"
)
RESOLUTION = f"{LEARN}/dynamics365/developer/reference/entities/incidentresolution"
CONVERSATION = f"{LEARN}/dynamics365/developer/reference/entities/msdyn_ocliveworkitem"
CONVERSATION_CS = (
    f"{LEARN}/dynamics365/customer-service/develop/reference/entities/msdyn_ocliveworkitem"
)
WORKSTREAM = f"{LEARN}/dynamics365/developer/reference/entities/msdyn_liveworkstream"
DATAVERSE = f"{LEARN}/power-apps/developer/data-platform/reference/entities"
ANNOTATION_D365 = f"{LEARN}/dynamics365/developer/reference/entities/annotation"
QUEUEITEM_D365 = f"{LEARN}/dynamics365/developer/reference/entities/queueitem"
CHANNEL = (
    f"{LEARN}/dynamics365/customer-service/develop/reference/entities/"
    "msdyn_occustommessagingchannel"
)

# (table, navigation property) -> (lookup column, target table), from "Many-to-One relationships".
NAVIGATIONS = {
    ("incident", "customerid_account"): ("customerid", "account", INCIDENT),
    ("incident", "customerid_contact"): ("customerid", "contact", INCIDENT),
    ("incident", "primarycontactid"): ("primarycontactid", "contact", INCIDENT),
    ("incident", "parentcaseid"): ("parentcaseid", "incident", INCIDENT),
    ("incident", "ownerid"): ("ownerid", "systemuser", INCIDENT),
    ("incidentresolution", "incidentid"): ("incidentid", "incident", RESOLUTION),
    ("incidentresolution", "ownerid_incidentresolution"): ("ownerid", "systemuser", RESOLUTION),
    ("msdyn_ocliveworkitem", "msdyn_customer_msdyn_ocliveworkitem_account"): (
        "msdyn_customer", "account", CONVERSATION),
    ("msdyn_ocliveworkitem", "msdyn_customer_msdyn_ocliveworkitem_contact"): (
        "msdyn_customer", "contact", CONVERSATION),
    ("msdyn_ocliveworkitem", "msdyn_cdsqueueid_msdyn_ocliveworkitem"): (
        "msdyn_cdsqueueid", "queue", CONVERSATION),
    ("msdyn_ocliveworkitem", "msdyn_liveworkstreamid_msdyn_ocliveworkitem"): (
        "msdyn_liveworkstreamid", "msdyn_liveworkstream", CONVERSATION),
    ("msdyn_ocliveworkitem", "ownerid_msdyn_ocliveworkitem"): (
        "ownerid", "systemuser", CONVERSATION),
    ("msdyn_ocliveworkitem", "regardingobjectid_account_msdyn_ocliveworkitem"): (
        "regardingobjectid", "account", CONVERSATION),
    ("msdyn_ocliveworkitem", "regardingobjectid_contact_msdyn_ocliveworkitem"): (
        "regardingobjectid", "contact", CONVERSATION),
    ("msdyn_ocliveworkitem", "regardingobjectid_incident_msdyn_ocliveworkitem"): (
        "regardingobjectid", "incident", CONVERSATION),
    ("annotation", "objectid_contact"): ("objectid", "contact", f"{DATAVERSE}/annotation"),
    ("annotation", "objectid_incident"): ("objectid", "incident", ANNOTATION_D365),
    ("annotation", "objectid_msdyn_ocliveworkitem"): (
        "objectid", "msdyn_ocliveworkitem", ANNOTATION_D365),
    ("annotation", "ownerid"): ("ownerid", "systemuser", f"{DATAVERSE}/annotation"),
    ("queueitem", "queueid"): ("queueid", "queue", f"{DATAVERSE}/queue"),
    ("queueitem", "objectid_incident"): ("objectid", "incident", QUEUEITEM_D365),
    ("queueitem", "objectid_msdyn_ocliveworkitem"): (
        "objectid", "msdyn_ocliveworkitem", QUEUEITEM_D365),
    ("queue", "ownerid"): ("ownerid", "systemuser", f"{DATAVERSE}/queue"),
    ("account", "ownerid"): ("ownerid", "systemuser", f"{DATAVERSE}/account"),
    # Inferred (see the facts modules): the contact's and work stream's owner navigation.
    ("contact", "ownerid"): ("ownerid", "systemuser", f"{DATAVERSE}/contact"),
    ("msdyn_liveworkstream", "ownerid"): ("ownerid", "systemuser", WORKSTREAM),
}  # fmt: skip

# (table, collection navigation property) -> (child table, child's navigation back).
COLLECTIONS = {
    ("incident", "Incident_Annotation"): ("annotation", "objectid_incident", INCIDENT),
    ("incident", "Incident_QueueItem"): ("queueitem", "objectid_incident", INCIDENT),
    ("incident", "Incident_IncidentResolutions"): ("incidentresolution", "incidentid", INCIDENT),
    ("msdyn_ocliveworkitem", "msdyn_ocliveworkitem_Annotations"): (
        "annotation", "objectid_msdyn_ocliveworkitem", CONVERSATION),
    ("msdyn_ocliveworkitem", "msdyn_ocliveworkitem_QueueItems"): (
        "queueitem", "objectid_msdyn_ocliveworkitem", CONVERSATION),
    ("contact", "Contact_Annotation"): (
        "annotation", "objectid_contact", f"{DATAVERSE}/annotation"),
}  # fmt: skip

# (table, column) -> MaxLength, for every text column the sandbox serves.
MAX_LENGTHS = {
    ("incident", "title"): (200, INCIDENT),
    ("incident", "description"): (2000, INCIDENT),
    ("incident", "ticketnumber"): (100, INCIDENT),
    ("incident", "emailaddress"): (100, INCIDENT),
    ("incident", "new_productcode"): (50, "sandbox-only custom column"),
    ("incidentresolution", "subject"): (200, RESOLUTION),
    ("incidentresolution", "description"): (100000, RESOLUTION),
    ("msdyn_ocliveworkitem", "subject"): (200, CONVERSATION),
    ("msdyn_ocliveworkitem", "description"): (2000, CONVERSATION),
    ("msdyn_ocliveworkitem", "msdyn_title"): (4000, CONVERSATION),
    ("msdyn_liveworkstream", "msdyn_name"): (100, WORKSTREAM),
    ("msdyn_occustommessagingchannel", "msdyn_name"): (100, CHANNEL),
    ("msdyn_occustommessagingchannel", "msdyn_appid"): (100, CHANNEL),
    ("msdyn_occustommessagingchannel", "msdyn_tenantid"): (100, CHANNEL),
    ("msdyn_occustommessagingchannel", "msdyn_webhookurl"): (500, CHANNEL),
    ("annotation", "subject"): (500, f"{DATAVERSE}/annotation"),
    ("annotation", "notetext"): (100000, f"{DATAVERSE}/annotation"),
    ("annotation", "filename"): (255, f"{DATAVERSE}/annotation"),
    ("annotation", "mimetype"): (256, f"{DATAVERSE}/annotation"),
    ("annotation", "documentbody"): (1073741823, f"{DATAVERSE}/annotation"),
    ("contact", "firstname"): (50, f"{DATAVERSE}/contact"),
    ("contact", "lastname"): (50, f"{DATAVERSE}/contact"),
    ("contact", "fullname"): (160, f"{DATAVERSE}/contact"),
    ("contact", "emailaddress1"): (100, f"{DATAVERSE}/contact"),
    ("contact", "telephone1"): (50, f"{DATAVERSE}/contact"),
    ("contact", "mobilephone"): (50, f"{DATAVERSE}/contact"),
    ("contact", "description"): (2000, f"{DATAVERSE}/contact"),
    ("account", "name"): (160, f"{DATAVERSE}/account"),
    ("account", "emailaddress1"): (100, "inferred: as contact"),
    ("account", "telephone1"): (50, "inferred: as contact"),
    ("queue", "name"): (200, f"{DATAVERSE}/queue"),
    ("queue", "description"): (2000, f"{DATAVERSE}/queue"),
    ("queue", "emailaddress"): (100, f"{DATAVERSE}/queue"),
    ("queueitem", "title"): (300, f"{DATAVERSE}/queueitem"),
    ("systemuser", "fullname"): (200, f"{DATAVERSE}/systemuser"),
    ("systemuser", "firstname"): (256, f"{DATAVERSE}/systemuser"),
    ("systemuser", "lastname"): (256, f"{DATAVERSE}/systemuser"),
    ("systemuser", "internalemailaddress"): (100, f"{DATAVERSE}/systemuser"),
    ("systemuser", "domainname"): (1024, f"{DATAVERSE}/systemuser"),
}

# (table, column) -> options the product writes or reads (value: label).
OPTIONS = {
    ("incident", "caseorigincode"): ({1: "Phone", 2: "Email", 3: "Web"}, INCIDENT),
    ("incident", "prioritycode"): ({1: "High", 2: "Normal", 3: "Low"}, INCIDENT),
    ("incident", "statecode"): ({0: "Active", 1: "Resolved", 2: "Cancelled"}, INCIDENT),
    ("msdyn_ocliveworkitem", "msdyn_channel"): (
        {192360000: "Live chat", 192340000: "SMS", 192300000: "WhatsApp"}, CONVERSATION_CS),
    ("msdyn_ocliveworkitem", "statecode"): (
        {0: "Open", 1: "Closed", 2: "Resolved", 3: "Scheduled", 4: "Wrap-up (Deprecated)"},
        CONVERSATION),
    ("incidentresolution", "statecode"): ({0: "Open", 1: "Completed", 2: "Canceled"}, RESOLUTION),
    ("contact", "statecode"): ({0: "Active", 1: "Inactive"}, f"{DATAVERSE}/contact"),
}  # fmt: skip

# (table, column) -> (IsValidForCreate, IsValidForUpdate).
WRITABLE = {
    ("incident", "ticketnumber"): ((True, False), INCIDENT_ON_PREMISES),
    ("incident", "title"): ((True, True), INCIDENT),
    ("contact", "fullname"): ((False, False), f"{DATAVERSE}/contact"),
    ("annotation", "filesize"): ((False, False), f"{DATAVERSE}/annotation"),
    ("queueitem", "objectid"): ((True, False), f"{DATAVERSE}/queueitem"),
}

# table -> (entity set, primary key, primary name).
NAMES = {
    "incident": ("incidents", "incidentid", "title", INCIDENT),
    "incidentresolution": ("incidentresolutions", "activityid", "subject", RESOLUTION),
    "msdyn_ocliveworkitem": ("msdyn_ocliveworkitems", "activityid", "subject", CONVERSATION),
    "msdyn_liveworkstream": (
        "msdyn_liveworkstreams", "msdyn_liveworkstreamid", "msdyn_name", WORKSTREAM),
    "annotation": ("annotations", "annotationid", "subject", f"{DATAVERSE}/annotation"),
    "contact": ("contacts", "contactid", "fullname", f"{DATAVERSE}/contact"),
    "account": ("accounts", "accountid", "name", f"{DATAVERSE}/account"),
    "queue": ("queues", "queueid", "name", f"{DATAVERSE}/queue"),
    "queueitem": ("queueitems", "queueitemid", "title", f"{DATAVERSE}/queueitem"),
    "systemuser": ("systemusers", "systemuserid", "fullname", f"{DATAVERSE}/systemuser"),
}  # fmt: skip


@pytest.mark.parametrize(("key", "fact"), NAVIGATIONS.items(), ids=lambda v: str(v))
def test_it_declares_each_navigation_property_as_the_page_names_it(key, fact):
    table, name = key
    column, target, source = fact

    nav = TABLES[table].navs.get(name)

    assert nav is not None, f"{table} lacks {name} ({source})"
    assert (nav.column, nav.target) == (column, target), source


def test_it_declares_no_navigation_property_the_facts_do_not_name():
    declared = {(t.logical, name) for t in TABLES.values() for name in t.navs}

    assert declared == set(NAVIGATIONS)


@pytest.mark.parametrize(("key", "fact"), COLLECTIONS.items(), ids=lambda v: str(v))
def test_it_declares_each_deep_insert_collection(key, fact):
    table, name = key
    child, back, source = fact

    collection = TABLES[table].collections[name]

    assert (collection.child, collection.back) == (child, back), source
    assert back in TABLES[child].navs, source


def test_it_declares_no_collection_the_facts_do_not_name():
    declared = {(t.logical, name) for t in TABLES.values() for name in t.collections}

    assert declared == set(COLLECTIONS)


def test_it_gives_every_text_column_the_page_s_max_length():
    declared = {
        (t.logical, c.name): c.max_length
        for t in TABLES.values()
        for c in t.columns.values()
        if c.type in ("String", "Memo")
    }

    assert declared == {key: length for key, (length, _source) in MAX_LENGTHS.items()}


@pytest.mark.parametrize(("key", "fact"), OPTIONS.items(), ids=lambda v: str(v))
def test_it_offers_the_page_s_option_values(key, fact):
    table, column = key
    options, source = fact

    declared = TABLES[table].columns[column].options

    assert {v: declared.get(v) for v in options} == options, source


@pytest.mark.parametrize(("key", "fact"), WRITABLE.items(), ids=lambda v: str(v))
def test_it_marks_columns_valid_for_create_and_update_as_the_page_does(key, fact):
    table, column = key
    (create, update), source = fact

    declared = TABLES[table].columns[column]

    assert (declared.create, declared.update) == (create, update), source


@pytest.mark.parametrize(("table", "fact"), NAMES.items())
def test_it_names_sets_keys_and_primary_names_as_the_page_does(table, fact):
    entity_set, pk, primary_name, source = fact

    declared = TABLES[table]

    assert (declared.entity_set, declared.pk, declared.primary_name) == (
        entity_set, pk, primary_name), source  # fmt: skip
    assert declared.source.startswith(LEARN)
