-- Per-customer limits and VNI reuse. Portable between PostgreSQL and H2 in PostgreSQL mode.

-- An admin's override of one account's limits (elastic.quota.* are the defaults): a null column
-- keeps the default.
CREATE TABLE account_quota (
    account_id   UUID         PRIMARY KEY REFERENCES account (id),
    drives       BIGINT,
    disk_bytes   BIGINT,
    servers      BIGINT,
    cpu_mhz      BIGINT,
    mem_mb       BIGINT,
    ips          BIGINT,
    vlans        BIGINT,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by   VARCHAR(256) NOT NULL
);

-- VNIs of destroyed VLANs, free again once their quarantine (elastic.network.vni-quarantine) has
-- passed. Every VNI ever handed out is in exactly one of vlan and vni_released, so the next
-- never-used VNI is one above the highest of both.
CREATE TABLE vni_released (
    vni          INTEGER      PRIMARY KEY,
    released_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The sequence that handed VNIs out until now: the last one it gave, if no VLAN holds it any
-- more, is recorded as released, so that no number handed out before is handed out again at once.
INSERT INTO vni_released (vni, released_at)
    SELECT s.v, CURRENT_TIMESTAMP FROM (SELECT nextval('vlan_vni') - 1 AS v) s
    WHERE s.v > 0 AND NOT EXISTS (SELECT 1 FROM vlan WHERE vni = s.v);
DROP SEQUENCE vlan_vni;
