-- A link to a CRM record held two kinds of value in one column: for pulled records the values
-- both sides had at the last sync (JSON), for pushed notes and tasks the version pushed (the
-- local record's updated_at). Two columns now, each checked: JSON that parses, and entities and
-- systems from their lists.
CREATE TABLE crm_links_new (
    entity             TEXT NOT NULL CHECK (entity IN ('account', 'contact', 'note', 'task')),
    local_id           TEXT NOT NULL,
    system             TEXT NOT NULL CHECK (system IN ('hubspot', 'salesforce')),
    remote_id          TEXT NOT NULL CHECK (remote_id <> ''),
    remote_modified_at TEXT,
    -- Pulled records: each field as both sides had it at the last sync.
    last_synced_values TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(last_synced_values)),
    -- Pushed notes and tasks: the local record's updated_at when it was last pushed.
    pushed_version     TEXT,
    PRIMARY KEY (entity, local_id, system),
    UNIQUE (system, entity, remote_id)
) STRICT;

INSERT INTO crm_links_new (entity, local_id, system, remote_id, remote_modified_at, last_synced_values, pushed_version)
SELECT entity, local_id, system, remote_id, remote_modified_at,
       CASE WHEN entity IN ('note', 'task') OR NOT json_valid(last_synced_values) THEN '{}' ELSE last_synced_values END,
       CASE WHEN entity IN ('note', 'task') THEN last_synced_values END
FROM crm_links;

DROP TABLE crm_links;
ALTER TABLE crm_links_new RENAME TO crm_links;
CREATE INDEX crm_links_local ON crm_links (local_id, system);
