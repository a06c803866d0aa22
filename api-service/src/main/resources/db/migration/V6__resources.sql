-- Resources (section 4): static IPs and VLANs, and the temporary addresses servers hold while they
-- run. Portable between PostgreSQL and H2 in PostgreSQL mode.

-- Every public address handed out, whoever holds it: a customer's static IP (server_id null, with
-- its name, tags and user keys) or a running server's temporary address (server_id set). The
-- primary key is what makes an address go to one holder at a time, whatever runs in parallel and
-- however many API services share the database; pools never overlap, so (pool, address) is
-- unique too, and a server holds at most one temporary address.
CREATE TABLE ip_address (
    address      VARCHAR(15)  PRIMARY KEY,
    pool         VARCHAR(64)  NOT NULL,
    owner_id     UUID         NOT NULL,
    server_id    UUID,
    name         VARCHAR(256),
    tags         TEXT         NOT NULL,
    user_keys    TEXT         NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    version      BIGINT       NOT NULL,
    CONSTRAINT ip_address_pool_address UNIQUE (pool, address),
    CONSTRAINT ip_address_server UNIQUE (server_id)
);
CREATE INDEX ip_address_owner ON ip_address (owner_id);

-- A customer's private network. Its VNI (the VXLAN network identifier that joins its bridges
-- across hosts) comes from a sequence, so it is unique in the cloud and never reused.
CREATE SEQUENCE vlan_vni START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 16777215;
CREATE TABLE vlan (
    id           UUID         PRIMARY KEY,
    owner_id     UUID         NOT NULL,
    vni          INTEGER      NOT NULL,
    name         VARCHAR(256),
    tags         TEXT         NOT NULL,
    user_keys    TEXT         NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    version      BIGINT       NOT NULL,
    CONSTRAINT vlan_vni_unique UNIQUE (vni)
);
CREATE INDEX vlan_owner ON vlan (owner_id);
