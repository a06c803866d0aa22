package io.elasticcloud.api.web.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@link Render}'s many-object shapes written one object at a time to a stream, so that a listing
 * holds one object, not the whole answer: the bytes are exactly those {@link Render#objects} and
 * {@link Render#list} give for the same objects (they are written by this). Each object is handed
 * to the stream whole as soon as it is added; {@link #finish()} ends the answer (a JSON array's
 * {@code ]}) and must be called once, after the last object.
 *
 * <p>A failure of the stream comes out of {@link #accept} as an {@link UncheckedIOException}, its
 * cause the stream's own exception (a client that went away stays recognisable).
 */
public final class RenderStream implements Consumer<Map<String, String>> {
    private static final byte[] EMPTY = new byte[0];

    private final Format format;
    private final Output output;
    private final List<String> keys;
    private final OutputStream out;
    private int written;

    private RenderStream(Format format, Output output, List<String> keys, OutputStream out) {
        this.format = format;
        this.output = output;
        this.keys = keys;
        this.out = out;
    }

    /** Several objects ({@code X-Elastic-Output: properties}), as {@link Render#objects}. */
    public static RenderStream objects(Format format, OutputStream out) {
        return new RenderStream(format, Output.PROPERTIES, null, out);
    }

    /** A list of {@code keys}' values per item ({@code X-Elastic-Output: list}), as {@link Render#list}. */
    public static RenderStream list(List<String> keys, Format format, OutputStream out) {
        return new RenderStream(format, Output.LIST, List.copyOf(keys), out);
    }

    /** The {@code Content-Type} header of the answer. */
    public String contentType() {
        return format.mediaType();
    }

    /** The {@code X-Elastic-Output} header of the answer. */
    public String outputHeader() {
        return output.header();
    }

    /** Writes one more object (or list item). */
    @Override
    public void accept(Map<String, String> object) {
        byte[] bytes = bytes(object);
        if (format == Format.TEXT && output == Output.PROPERTIES && bytes.length == 0) {
            return; // an object with no non-empty value: no block, no blank line
        }
        write(separator(), bytes);
        written++;
    }

    /** Ends the answer; nothing may be added after. */
    public void finish() {
        if (format == Format.JSON) {
            write((written == 0 ? "[]" : "]").getBytes(StandardCharsets.UTF_8), EMPTY);
        }
    }

    private byte[] bytes(Map<String, String> object) {
        if (output == Output.LIST) {
            return (format == Format.JSON ? Render.json(Render.listItem(keys, object))
                    : String.join(" ", Render.listLine(keys, object)) + "\n").getBytes(StandardCharsets.UTF_8);
        }
        return (format == Format.JSON ? Render.json(Render.jsonObject(object)) : Render.textBlock(object))
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What goes before an object: JSON's {@code [} or {@code ,}; in text, the blank line between
     * blocks, before each but the first.
     */
    private byte[] separator() {
        if (format == Format.JSON) {
            return (written == 0 ? "[" : ",").getBytes(StandardCharsets.UTF_8);
        }
        return output == Output.PROPERTIES && written > 0 ? "\n".getBytes(StandardCharsets.UTF_8) : EMPTY;
    }

    private void write(byte[] before, byte[] object) {
        try {
            out.write(before);
            out.write(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
