package io.elasticcloud.api.drive;

import static org.springframework.web.bind.annotation.RequestMethod.GET;
import static org.springframework.web.bind.annotation.RequestMethod.POST;

import io.elasticcloud.api.common.KeyRules;
import io.elasticcloud.api.common.Pages;
import io.elasticcloud.api.security.Customer;
import io.elasticcloud.api.web.Exchange;
import io.elasticcloud.api.web.Sendfile;
import io.elasticcloud.api.web.codec.Sizes;
import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.storage.Conversion;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Section 2 of the API, at {@code /api/drives/...} and at the root. Reads answer GET and POST
 * (the ElasticHosts tools POST everything); commands answer POST only, GET being {@code 405}.
 */
@RestController
@RequestMapping({"/api/drives", "/drives"})
public class DriveController {
    private final DriveService drives;
    private final DriveImaging imaging;
    private final DriveData data;
    private final DriveWrites writes;
    private final DriveViews views;

    public DriveController(DriveService drives, DriveImaging imaging, DriveData data, DriveWrites writes,
                           DriveViews views) {
        this.drives = drives;
        this.imaging = imaging;
        this.data = data;
        this.writes = writes;
        this.views = views;
    }

    /** Written as read, a page of drives at a time ({@link Exchange#list(HttpServletRequest, HttpServletResponse, List, Exchange.Rows)}). */
    @RequestMapping(path = "/list", method = {GET, POST})
    void list(HttpServletRequest request, HttpServletResponse response) throws IOException {
        UUID user = user();
        Exchange.list(request, response, List.of("drive"), sink -> Pages.forEach(Pages.SIZE,
                (Drive last) -> drives.pageAfter(user, last),
                page -> page.forEach(d -> sink.accept(Map.of("drive", d.id().toString())))));
    }

    /** Written as read, a page of drives at a time ({@link DriveViews#each}). */
    @RequestMapping(path = "/info", method = {GET, POST})
    void infoAll(HttpServletRequest request, HttpServletResponse response) throws IOException {
        UUID user = user();
        Exchange.objects(request, response, sink -> views.each(user, last -> drives.pageAfter(user, last), sink));
    }

    @RequestMapping(path = "/list/standard", method = {GET, POST})
    ResponseEntity<byte[]> listStandard(HttpServletRequest request) {
        return idList(request, drives.standard());
    }

    @RequestMapping(path = "/info/standard", method = {GET, POST})
    ResponseEntity<byte[]> infoStandard(HttpServletRequest request) {
        return Exchange.objects(request, views.load(user(), drives::standard));
    }

    @RequestMapping(path = "/create", method = POST)
    ResponseEntity<byte[]> create(HttpServletRequest request) {
        DriveRequest create = DriveRequest.forCreate(Exchange.properties(request));
        UUID user = user();
        return info(request, user, drives.create(user, create));
    }

    @RequestMapping(path = "/{drive}/info", method = {GET, POST})
    ResponseEntity<byte[]> info(HttpServletRequest request, @PathVariable String drive) {
        UUID user = user();
        UUID id = id(drive);
        return Exchange.object(request, views.loadVisible(user, id));
    }

    @RequestMapping(path = "/{drive}/set", method = POST)
    ResponseEntity<byte[]> set(HttpServletRequest request, @PathVariable String drive) {
        DriveRequest set = DriveRequest.forSet(Exchange.properties(request));
        UUID user = user();
        return info(request, user, drives.set(user, id(drive), set));
    }

    @RequestMapping(path = "/{drive}/destroy", method = POST)
    ResponseEntity<byte[]> destroy(@PathVariable String drive) {
        drives.destroy(user(), id(drive));
        return Exchange.noContent();
    }

    @RequestMapping(path = {"/{drive}/image/{source}", "/{drive}/image/{source}/{conversion}"}, method = POST)
    ResponseEntity<byte[]> image(@PathVariable String drive, @PathVariable String source,
                                 @PathVariable(required = false) String conversion) {
        imaging.image(user(), id(drive), id(source), conversion(conversion));
        return Exchange.noContent();
    }

    @RequestMapping(path = "/{drive}/read/{offset}/{size}", method = {GET, POST})
    void read(@PathVariable String drive, @PathVariable String offset, @PathVariable String size,
              HttpServletRequest request, HttpServletResponse response) throws IOException {
        DriveData.ReadPlan plan = data.planRead(user(), id(drive), Sizes.parse(offset), Sizes.parse(size));
        response.setStatus(200);
        response.setContentType("application/octet-stream");
        response.setContentLengthLong(plan.length());
        Optional<Path> file = Sendfile.supported(request) ? data.plainFile(plan) : Optional.empty();
        if (file.isPresent()) {
            Sendfile.send(request, file.get(), plan.offset(), plan.length());
        } else {
            data.read(plan, response.getOutputStream());
        }
    }

    @RequestMapping(path = {"/{drive}/write", "/{drive}/write/{offset}"}, method = POST)
    ResponseEntity<byte[]> write(HttpServletRequest request, @PathVariable String drive,
                                 @PathVariable(required = false) String offset) throws IOException {
        long at = offset == null ? 0 : Sizes.parse(offset);
        writes.write(user(), id(drive), at, request);
        return Exchange.noContent();
    }

    private ResponseEntity<byte[]> info(HttpServletRequest request, UUID user, Drive drive) {
        return Exchange.object(request, views.info(user, drive));
    }

    private static ResponseEntity<byte[]> idList(HttpServletRequest request, List<Drive> list) {
        return Exchange.list(request, List.of("drive"),
                list.stream().map(d -> Map.of("drive", d.id().toString())).toList());
    }

    private static UUID user() {
        return Customer.current().id();
    }

    /** A malformed id names no drive the caller has: missing, like any other unknown drive. */
    private static UUID id(String text) {
        return KeyRules.parseUuid(text)
                .orElseThrow(() -> ElasticException.missing("no drive %s", ApiText.quote(text)));
    }

    private static Conversion conversion(String text) {
        if (text == null) {
            return Conversion.NONE;
        }
        return switch (text) {
            case "gzip" -> Conversion.GZIP;
            case "gunzip" -> Conversion.GUNZIP;
            default -> throw ElasticException.usage("conversion must be gzip or gunzip, not %s",
                    ApiText.quote(text));
        };
    }
}
