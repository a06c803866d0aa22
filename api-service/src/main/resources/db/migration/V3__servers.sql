-- Servers: the desired state of each customer's guests. Portable between PostgreSQL and H2 in
-- PostgreSQL mode. A server holds a host only while its status is active or paused.

CREATE TABLE server (
    id           UUID PRIMARY KEY,
    owner_id     UUID         NOT NULL,
    name         VARCHAR(256) NOT NULL,
    cpu          INTEGER      NOT NULL,
    smp          INTEGER,
    mem          INTEGER      NOT NULL,
    persistent   BOOLEAN      NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    host_node    VARCHAR(128),
    started_at   TIMESTAMP WITH TIME ZONE,
    smp_cores    INTEGER,
    smp_sockets  INTEGER,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    version      BIGINT       NOT NULL
);
CREATE INDEX server_owner ON server (owner_id);
CREATE INDEX server_host ON server (host_node);

-- Every other configuration key (boot, nic:*, vnc*, tags, avoid:*, user:*), canonical values.
CREATE TABLE server_config (
    server_id    UUID         NOT NULL REFERENCES server (id) ON DELETE CASCADE,
    config_key   VARCHAR(128) NOT NULL,
    config_value TEXT         NOT NULL,
    PRIMARY KEY (server_id, config_key)
);

-- The drives a server is configured with, by device; they are claimed while it is active.
CREATE TABLE server_drive (
    server_id    UUID         NOT NULL REFERENCES server (id) ON DELETE CASCADE,
    device       VARCHAR(16)  NOT NULL,
    drive_id     UUID         NOT NULL,
    media        VARCHAR(8)   NOT NULL,
    PRIMARY KEY (server_id, device)
);
CREATE INDEX server_drive_drive ON server_drive (drive_id);
