"""HubSpot's official Python client (hubspot-api-client), with its response validation on, runs
its ordinary calls against the fake HubSpot: every field the published specification marks
required must be present, or the client raises. Exits non-zero on the first problem.

    hubspot_client.py <fake base url> <token>
"""

import sys

import hubspot
from hubspot.crm.companies import BatchReadInputSimplePublicObjectId, PublicObjectSearchRequest
from hubspot.crm.objects.notes import (
    BatchInputSimplePublicObjectBatchInputUpsert,
    SimplePublicObjectBatchInputUpsert,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.associations.v4 import BatchInputPublicFetchAssociationsBatchRequest, PublicFetchAssociationsBatchRequest

PROPERTIES = ["name", "domain", "industry", "annualrevenue", "hubspot_owner_id", "hs_lastmodifieddate"]


def main(url: str, token: str) -> None:
    client = hubspot.Client.create(access_token=token, host=url, client_side_validation=True, retry=None)
    crm = client.crm

    owners = crm.owners.owners_api.get_page(limit=100)
    assert owners.results, "owners"

    page = crm.companies.basic_api.get_page(limit=2, properties=PROPERTIES)
    assert len(page.results) == 2 and page.paging.next.after, "list pages with a cursor"
    everyone = crm.companies.get_all(properties=PROPERTIES)
    assert len(everyone) >= 3, "list follows the cursor to the end"

    search = PublicObjectSearchRequest(
        filter_groups=[{"filters": [{"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": "0"}]}],
        sorts=["hs_lastmodifieddate"],
        properties=PROPERTIES,
        limit=2,
        after="0",
    )
    found = crm.companies.search_api.do_search(public_object_search_request=search)
    assert found.total >= 3 and len(found.results) == 2, "search"

    first = found.results[0]
    one = crm.companies.basic_api.get_by_id(first.id, properties=PROPERTIES)
    assert one.id == first.id and one.properties["name"], "read by id"

    ids = [{"id": r.id} for r in everyone[:3]]
    batch = crm.companies.batch_api.read(
        batch_read_input_simple_public_object_id=BatchReadInputSimplePublicObjectId(inputs=ids, properties=PROPERTIES, properties_with_history=[])
    )
    assert len(batch.results) == 3, "batch read"

    links = crm.associations.v4.batch_api.get_page(
        "companies",
        "contacts",
        batch_input_public_fetch_associations_batch_request=BatchInputPublicFetchAssociationsBatchRequest(
            inputs=[PublicFetchAssociationsBatchRequest(id=r.id) for r in everyone[:3]]
        ),
    )
    assert links.results, "associations"

    note = {"hs_timestamp": "2026-11-30T10:00:00Z", "hs_note_body": "<p>Renewal on track</p>"}
    association = {"to": {"id": first.id}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 190}]}
    created = crm.objects.notes.basic_api.create(
        simple_public_object_input_for_create=SimplePublicObjectInputForCreate(properties=note, associations=[association])
    )
    assert created.id and created.properties["hs_note_body"], "create"

    upsert = SimplePublicObjectBatchInputUpsert(id="csm-desk-note-1", id_property="csm_desk_id", properties=note)
    for new in (True, False):
        done = crm.objects.notes.batch_api.upsert(
            batch_input_simple_public_object_batch_input_upsert=BatchInputSimplePublicObjectBatchInputUpsert(inputs=[upsert])
        )
        assert done.status == "COMPLETE" and done.results[0].new is new, f"upsert (new: {new})"
    print("hubspot-api-client: owners, list, search, read by id, batch read, associations, create, upsert: ok")


if __name__ == "__main__":
    main(*sys.argv[1:3])
