package io.elasticcloud.api.resource;

import java.util.UUID;

/** How many of one kind of resource an owner holds (a row of a grouped query). */
public record ResourceCountOfOwner(UUID owner, long count) {
}
