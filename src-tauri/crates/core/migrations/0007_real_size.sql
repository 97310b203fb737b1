-- A real book: lookups that sync makes once per record use an index, never a scan of crm_links.
-- A local record's links to a CRM, whatever the entity (matching unlinked records, pushes).
CREATE INDEX crm_links_local ON crm_links (local_id, system);
