package io.elasticcloud.storage.nbd;

/**
 * One simple reply header: the errno-style error (0 for success) and the cookie of the request it
 * answers. A successful read's data follows it on the wire.
 */
record NbdReply(int error, long cookie) {
}
