package io.elasticcloud.api.server;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.UUID;

/** One drive of a server's configuration: which drive, seen as what ({@code disk} or {@code cdrom}). */
@Embeddable
public class ServerDrive {
    @Column(name = "drive_id", nullable = false)
    private UUID drive;
    @Column(nullable = false)
    private String media;

    protected ServerDrive() {
    }

    ServerDrive(UUID drive, String media) {
        this.drive = drive;
        this.media = media;
    }

    public UUID drive() { return drive; }
    public String media() { return media; }
}
