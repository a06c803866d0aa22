-- The API instances on this database, each under a random id for its life, with when it last said
-- it is alive. A start in flight names the instance that holds it (server.busy_by): a lease whose
-- holder is silent is over, so an instance killed mid-start does not hold its servers until the
-- lease runs out.
CREATE TABLE api_instance (
    id UUID PRIMARY KEY,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    seen_at TIMESTAMP WITH TIME ZONE NOT NULL
);
ALTER TABLE server ADD COLUMN busy_by UUID;
