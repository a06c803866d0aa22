/**
 * The public API's wire codecs: which format a request speaks ({@link Format}), request bodies to
 * ordered key/value maps ({@link Properties}), maps to response bodies in the spec's three shapes
 * ({@link Render}), byte sizes with suffixes ({@link Sizes}) and one-line error bodies
 * ({@link ApiText}).
 *
 * <p>Everything here is a pure function of its arguments: no Spring, no I/O, no state. Malformed
 * client input throws {@code ElasticException} of type {@code USAGE} with a description written
 * for a person; an {@link IllegalArgumentException} means the server itself passed bad data.
 */
package io.elasticcloud.api.web.codec;
