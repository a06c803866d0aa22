-- What a server shows and accepts of its temporary addresses (docs/api.md, "Servers").

-- The client dialect of the last create or set that named vnc:ip without vnc (jclouds at
-- api-version 1.0): info then shows nic:0:dhcp auto as the address the server holds.
ALTER TABLE server ADD COLUMN dhcp_shows_address BOOLEAN DEFAULT FALSE NOT NULL;

-- The last temporary addresses each server took (a few, newest first by taken_at): a set that
-- echoes one of them back as nic:0:dhcp or vnc means auto. Gone with the server.
CREATE TABLE server_former_address (
    server_id UUID                     NOT NULL REFERENCES server (id) ON DELETE CASCADE,
    address   VARCHAR(45)              NOT NULL,
    taken_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (server_id, address)
);
