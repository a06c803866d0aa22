package io.elasticcloud.cli.transfer;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.ExitCode;
import io.elasticcloud.cli.api.ApiClient;
import io.elasticcloud.cli.api.ApiPaths;
import io.elasticcloud.cli.api.Body;
import io.elasticcloud.cli.api.KeyValues;
import java.util.Map;

/** What a transfer needs of a drive: its UUID and size (from its text info). */
public record DriveInfo(String drive, long size) {

    public static DriveInfo of(ApiClient api, String drive) {
        return parse(api.call("GET", "/drives/" + ApiPaths.segment(drive) + "/info", null, "text/plain").text());
    }

    public static DriveInfo create(ApiClient api, String name, long size) {
        String body = KeyValues.formatText(Map.of("name", name, "size", Long.toString(size)));
        return parse(api.call("POST", "/drives/create", Body.text(body), "text/plain").text());
    }

    static DriveInfo parse(String text) {
        Map<String, String> info = KeyValues.parseText(text);
        try {
            return new DriveInfo(info.get("drive"), Long.parseLong(info.get("size").strip()));
        } catch (RuntimeException e) {
            throw new CliException(ExitCode.PROTOCOL, "http", "the drive info has no drive or size: " + text.strip());
        }
    }
}
