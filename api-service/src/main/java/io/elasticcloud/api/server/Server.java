package io.elasticcloud.api.server;

import io.elasticcloud.api.common.InsertedRow;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.Fetch;
import org.hibernate.annotations.FetchMode;
import org.springframework.data.domain.Persistable;

/**
 * A server: its configuration (the keys the scheduler counts as columns, the drives as claims,
 * every other key canonical in {@code server_config} but the VNC password, sealed in a column of its
 * own), its status, its host and what was allocated
 * when it started. Changed only through {@link ServerConfig} and the status transitions below.
 */
@Entity
@EntityListeners(SealedVncPassword.class)
@Table(name = "server")
public class Server extends InsertedRow implements Persistable<UUID> {
    private static final String VNC_PASSWORD = "vnc:password";

    @Id
    private UUID id;
    @Column(name = "owner_id", nullable = false)
    private UUID owner;
    @Column(nullable = false)
    private String name;
    @Column(nullable = false)
    private int cpu;
    private Integer smp;
    @Column(nullable = false)
    private int mem;
    @Column(nullable = false)
    private boolean persistent;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ServerStatus status;
    @Column(name = "host_node")
    private String host;
    @Column(name = "started_at")
    private Instant startedAt;
    @Column(name = "smp_cores")
    private Integer smpCores;
    @Column(name = "smp_sockets")
    private Integer smpSockets;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Version
    private long version;
    /** Whether info shows {@code nic:0:dhcp auto} as the address held: see {@link ServerRequest#dhcpShowsAddress}. */
    @Column(name = "dhcp_shows_address", nullable = false)
    private boolean dhcpShowsAddress;
    /**
     * {@code vnc:password}, sealed for this server in its own column rather than in clear in
     * {@code server_config}; written only when the password changes, so a value that could not
     * be opened is never replaced by none.
     */
    @Column(name = "vnc_password")
    private String sealedVncPassword;
    /** The password in clear, opened at load by {@link SealedVncPassword}; null for none. */
    @Transient
    private String vncPassword;

    // SUBSELECT: a query's servers get their keys and drives in one query each, not one per server
    @ElementCollection(fetch = FetchType.EAGER)
    @Fetch(FetchMode.SUBSELECT)
    @CollectionTable(name = "server_config", joinColumns = @JoinColumn(name = "server_id"))
    @MapKeyColumn(name = "config_key")
    @Column(name = "config_value", nullable = false)
    private Map<String, String> config = new HashMap<>();

    @ElementCollection(fetch = FetchType.EAGER)
    @Fetch(FetchMode.SUBSELECT)
    @CollectionTable(name = "server_drive", joinColumns = @JoinColumn(name = "server_id"))
    @MapKeyColumn(name = "device")
    private Map<String, ServerDrive> drives = new HashMap<>();

    protected Server() {
    }

    Server(UUID id, UUID owner, ServerConfig config, Instant createdAt, SealedVncPassword seal) {
        this.id = id;
        this.owner = owner;
        this.status = ServerStatus.STOPPED;
        this.createdAt = createdAt;
        configure(config, seal);
    }

    /** Replaces the whole configuration with {@code config} (complete and validated). */
    void configure(ServerConfig config, SealedVncPassword seal) {
        name = config.name();
        cpu = config.cpu();
        smp = config.smp();
        mem = config.mem();
        persistent = config.persistent();
        Map<String, String> other = new HashMap<>(config.otherKeys());
        String password = other.remove(VNC_PASSWORD);
        if (!Objects.equals(password, vncPassword)) {
            sealedVncPassword = seal.seal(id, password);
            vncPassword = password;
        }
        this.config.clear();
        this.config.putAll(other);
        drives.clear();
        config.devices().forEach((device, d) -> drives.put(device, new ServerDrive(d.drive(), d.media())));
    }

    /** Takes the dialect of the client's last create or set that told it (null: unchanged). */
    void dialect(Boolean dhcpShowsAddress) {
        if (dhcpShowsAddress != null) {
            this.dhcpShowsAddress = dhcpShowsAddress;
        }
    }

    /** Placed on {@code host} and starting now: active, with what was allocated. */
    void started(String host, Instant at, int sockets, int cores) {
        this.status = ServerStatus.ACTIVE;
        this.host = host;
        this.startedAt = at;
        this.smpSockets = sockets;
        this.smpCores = cores;
    }

    /**
     * No longer on a host: {@code stopped} forgets the host; {@code dead} remembers where and
     * since when it ran, so that it becomes active again if its host comes back still running it.
     */
    void off(ServerStatus status) {
        this.status = status;
        if (status != ServerStatus.DEAD) {
            this.host = null;
            this.startedAt = null;
            this.smpSockets = null;
            this.smpCores = null;
        }
    }

    /** Paused or resumed on its host. */
    void onHost(ServerStatus status) {
        this.status = status;
    }

    @Override
    public UUID getId() {
        return id;
    }

    public UUID id() { return id; }
    public UUID owner() { return owner; }
    public String name() { return name; }
    public int cpu() { return cpu; }
    public Integer smp() { return smp; }
    public int mem() { return mem; }
    public boolean persistent() { return persistent; }
    public ServerStatus status() { return status; }
    public String host() { return host; }
    public Instant startedAt() { return startedAt; }
    public Integer smpCores() { return smpCores; }
    public Integer smpSockets() { return smpSockets; }
    public Instant createdAt() { return createdAt; }
    public boolean dhcpShowsAddress() { return dhcpShowsAddress; }
    public Map<String, String> config() {
        if (vncPassword == null) {
            return Map.copyOf(config);
        }
        Map<String, String> all = new HashMap<>(config);
        all.put(VNC_PASSWORD, vncPassword);
        return Map.copyOf(all);
    }
    public Map<String, ServerDrive> drives() { return Map.copyOf(drives); }

    String sealedVncPassword() { return sealedVncPassword; }

    /** The password {@link SealedVncPassword} opened at load; null when none could be. */
    void opened(String password) { vncPassword = password; }

    /** This server as an error shown to {@code viewer} names it: by its UUID to its owner only. */
    String namedFor(UUID viewer) {
        return owner.equals(viewer) ? "server " + id : "a server of another customer";
    }
}
