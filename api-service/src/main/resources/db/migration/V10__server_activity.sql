-- What the API instances are doing to each server (ServerActivity), kept with its row so that every
-- instance's reconciliation sees every instance's commands: when it was last commanded, and until
-- when a start is in flight (a lease: an instance that dies mid-start does not hold it forever).
ALTER TABLE server ADD COLUMN commanded_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE server ADD COLUMN busy_until TIMESTAMP WITH TIME ZONE;
