/**
 * The public API's notations, read and written the same way on both sides of the wire: byte sizes
 * with binary suffixes ({@link Sizes}), IPv4 addresses in canonical dotted decimal ({@link Ipv4})
 * and the text form of one object, {@code key value} lines ({@link KeyValueText}).
 *
 * <p>One copy serves the API service, the node agent and the command-line tool, so a size the tool
 * accepts is a size the API accepts. Everything here is a pure function with no dependency beyond
 * the JDK: the tool copies these classes into its single jar. Failures are plain JDK exceptions;
 * each caller turns them into its own error (a usage error for the API, a command-line error for
 * the tool) with its own words.
 */
package io.elasticcloud.codec;
