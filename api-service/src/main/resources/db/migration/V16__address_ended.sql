-- A temporary address whose guest is being stopped by us: the server's row is off its host, but the
-- host has not yet said the guest is gone (or was never told, its API instance killed in between).
-- The address stays held until the host answers the stop, or until a sweep gives it back a while
-- after (ServerNetwork.sweep): given to another server at once, it reached the host while the old
-- guest still answered DHCP with it, and that start was refused.
ALTER TABLE ip_address ADD COLUMN ended_at TIMESTAMP WITH TIME ZONE;
