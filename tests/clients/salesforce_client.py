"""simple-salesforce, the most used Python client for Salesforce's REST API, runs its ordinary
calls against the fake Salesforce, and each answer is checked for the fields Salesforce's REST API
reference documents for it. Exits non-zero on the first problem.

    salesforce_client.py <fake base url> <access token>
"""

import sys
from datetime import datetime, timedelta, timezone

import requests
from requests.adapters import HTTPAdapter
from simple_salesforce import Salesforce

VERSION = "67.0"


class PlainHttp(HTTPAdapter):
    """simple-salesforce always builds https:// addresses; the fake listens on plain http on
    127.0.0.1, so the scheme is changed on the way out and nothing else."""

    def send(self, request, **kwargs):
        request.url = "http://" + request.url.removeprefix("https://")
        return super().send(request, **kwargs)


def require(value: dict, *fields: str) -> dict:
    missing = [f for f in fields if f not in value]
    assert not missing, f"missing {missing} in {value}"
    return value


def record(value: dict, sobject: str) -> dict:
    require(value, "attributes", "Id")
    require(value["attributes"], "type", "url")
    assert value["attributes"]["type"] == sobject, value
    return value


def main(url: str, token: str) -> None:
    session = requests.Session()
    session.mount("https://", PlainHttp())
    host = url.removeprefix("http://")
    sf = Salesforce(instance_url=f"https://{host}", session_id=token, version=VERSION, session=session)

    users = require(sf.query("SELECT Id, Name, Email FROM User WHERE IsActive = true ORDER BY Name"), "totalSize", "done", "records")
    assert users["records"], "owners"
    for user in users["records"]:
        record(user, "User")

    page = require(sf.query("SELECT Id, Name, SystemModstamp FROM Account ORDER BY SystemModstamp, Id"), "totalSize", "done", "records")
    if not page["done"]:
        require(page, "nextRecordsUrl")
    everyone = sf.query_all("SELECT Id, Name, SystemModstamp FROM Account ORDER BY SystemModstamp, Id")["records"]
    assert len(everyone) == page["totalSize"] and len(everyone) >= 3, "query_all follows nextRecordsUrl"
    first = record(everyone[0], "Account")

    one = record(sf.Account.get(first["Id"]), "Account")
    assert one["Name"] == first["Name"], "read by id"

    ids = [r["Id"] for r in everyone[:3]] + ["001000000000000AAA"]
    batch = sf.restful(f"composite/sobjects/Account", method="POST", json={"ids": ids, "fields": ["Id", "Name"]})
    assert [r and r["Id"] for r in batch[:3]] == ids[:3] and batch[3] is None, "batch read"

    now = datetime.now(timezone.utc)
    updated = require(sf.Account.updated(now - timedelta(days=29), now), "ids", "latestDateCovered")
    assert first["Id"] in updated["ids"], "getUpdated"
    require(sf.Account.deleted(now - timedelta(days=14), now), "deletedRecords", "earliestDateAvailable", "latestDateCovered")

    created = require(sf.Task.create({"Subject": "Send the renewal quote", "WhatId": first["Id"]}), "id", "success", "errors")
    assert created["success"], "create"
    task = record(sf.Task.get(created["id"]), "Task")
    assert task["Subject"] == "Send the renewal quote"

    # Since API 46.0 an update by upsert answers 200 with a body (before: 204).
    for status in (201, 200):
        done = sf.Task.upsert("CSM_Local_Id__c/csm-desk-task-1", {"Subject": "Book the QBR", "WhatId": first["Id"]})
        assert done == status, f"upsert answered {done}, expected {status}"

    limits = require(sf.limits(), "DailyApiRequests")
    require(limits["DailyApiRequests"], "Max", "Remaining")
    print("simple-salesforce: owners, query, query_all, read by id, batch read, getUpdated, getDeleted, create, upsert, limits: ok")


if __name__ == "__main__":
    main(*sys.argv[1:3])
