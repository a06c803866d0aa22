-- Hosts an admin took out of placement: a row per host in maintenance (none when it is back).
-- Kept here, not in memory, so that a restart (or another API instance) places nothing there.
CREATE TABLE host_maintenance (
    host_node   VARCHAR(128) PRIMARY KEY,
    since       TIMESTAMP WITH TIME ZONE NOT NULL,
    actor       VARCHAR(64)  NOT NULL
);

-- The audit log also records changes to hosts: an entry names either an account or a host.
ALTER TABLE account_audit ALTER COLUMN account_id DROP NOT NULL;
ALTER TABLE account_audit ADD COLUMN host_node VARCHAR(128);
CREATE INDEX account_audit_host ON account_audit (host_node);
