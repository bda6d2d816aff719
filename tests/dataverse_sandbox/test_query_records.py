"""Collection queries: $filter (case-insensitive, '' escaping, GUIDs), $select, $top, $orderby."""

from __future__ import annotations

from urllib.parse import quote


def query(dataverse, text: str):
    return dataverse.get("contacts?" + text)


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["lastname"] for row in response.json()["value"]]


def test_it_filters_strings_case_insensitively_with_escaped_quotes(dataverse):
    dataverse.new_contact(lastname="O'Bryan", emailaddress1="Pat@Example.com")
    dataverse.new_contact(lastname="Other", emailaddress1="other@example.com")

    by_email = query(dataverse, "$filter=" + quote("emailaddress1 eq 'pat@EXAMPLE.com'"))
    by_name = query(dataverse, "$filter=" + quote("lastname eq 'O''Bryan'"))

    assert names(by_email) == ["O'Bryan"]
    assert names(by_name) == ["O'Bryan"]


def test_it_combines_and_or_and_lookup_guids(dataverse):
    dataverse.new_contact(lastname="A", telephone1="+1555")
    dataverse.new_contact(lastname="B", mobilephone="+1555")
    dataverse.new_contact(lastname="C", telephone1="+1999")
    owner = dataverse.app.application_user_id

    text = f"(telephone1 eq '+1555' or mobilephone eq '+1555') and _ownerid_value eq {owner}"
    response = query(dataverse, "$filter=" + quote(text) + "&$orderby=lastname desc")

    assert names(response) == ["B", "A"]


def test_it_selects_orders_and_cuts(dataverse):
    for name in ("Zed", "Amy", "Kim"):
        dataverse.new_contact(lastname=name)

    body = query(dataverse, "$select=lastname&$orderby=lastname asc&$top=2").json()

    assert [row["lastname"] for row in body["value"]] == ["Amy", "Kim"]
    assert set(body["value"][0]) == {"@odata.etag", "lastname", "contactid"}


def test_it_refuses_unknown_columns_and_broken_literals(dataverse):
    unknown = query(dataverse, "$select=nickname")
    unterminated = query(dataverse, "$filter=" + quote("lastname eq 'open"))
    lookup_by_name = query(dataverse, "$filter=" + quote("ownerid eq 'x'"))

    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "0x80060888"
    assert "unterminated literal" in unterminated.json()["error"]["message"]
    assert lookup_by_name.status_code == 400


def test_it_reads_one_record_by_id_or_answers_404(dataverse):
    contact_id = dataverse.new_contact(lastname="Byid")

    found = dataverse.get(f"contacts({contact_id})?$select=fullname")
    missing = dataverse.get("contacts(00000000-0000-0000-0000-000000000001)")

    assert found.json()["fullname"] == "Ada Byid"
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "0x80040217"


def test_it_matches_the_same_rows_whichever_way_the_filter_is_written(dataverse):
    dataverse.new_contact(lastname="Kim", emailaddress1="kim@example.com", telephone1="+1")
    dataverse.new_contact(lastname="Lee", emailaddress1="lee@example.com", telephone1="+2")
    dataverse.new_contact(lastname="Ümit", emailaddress1="ümit@example.com")

    def filtered(text: str) -> list[str]:
        return sorted(names(query(dataverse, "$filter=" + quote(text))))

    assert filtered("emailaddress1 eq 'KIM@example.com' and statecode eq 0") == ["Kim"]
    assert filtered("emailaddress1 eq 'kim@example.com' or telephone1 eq '+2'") == ["Kim", "Lee"]
    assert filtered("not (emailaddress1 eq 'kim@example.com')") == ["Lee", "Ümit"]
    assert filtered("emailaddress1 eq 'ÜMIT@example.com'") == ["Ümit"]
    assert filtered("statecode eq 1") == []
