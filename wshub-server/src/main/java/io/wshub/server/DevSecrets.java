package io.wshub.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.Set;

/**
 * The development JWT secret and API key, kept in a file so they survive a restart: tokens and
 * the key pasted from one run's ready line keep working in the next, and every node started
 * with the same file shares them. The file is created owner-only (0600) and never rewritten.
 */
record DevSecrets(Path file, String jwtSecret, String apiKey) {
    private static final Logger log = LoggerFactory.getLogger(DevSecrets.class);
    /** In the working directory: a project's own secrets, next to where its server is started. */
    static final String DEFAULT_FILE = ".wshub-dev-secrets";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** Reads {@code file}, creating it with fresh random secrets when it does not exist. */
    static DevSecrets load(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            create(absolute);
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(absolute, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read development secrets " + absolute + ": " + e.getMessage());
        }
        String secret = p.getProperty("jwtSecret");
        String key = p.getProperty("apiKey");
        if (secret == null || secret.length() < 32 || key == null || key.isBlank()) {
            throw new IllegalArgumentException(absolute + " lacks jwtSecret (32+ characters) or apiKey: fix or delete it");
        }
        warnIfShared(absolute);
        return new DevSecrets(absolute, secret, key);
    }

    /**
     * Writes a temporary file with owner-only permissions, then links it into place: the link
     * fails if another node created the file first, so two nodes starting at once agree on
     * one file and no reader ever sees it half written.
     */
    private static void create(Path file) {
        Properties p = new Properties();
        p.setProperty("jwtSecret", Server.randomToken(32));
        p.setProperty("apiKey", Server.randomToken(18));
        StringWriter text = new StringWriter();
        try {
            p.store(text, "wshub development secrets: delete this file to get new ones");
            Path dir = file.getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".wshub-dev-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.writeString(tmp, text.toString(), StandardCharsets.UTF_8);
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                // another node won the race: use its file
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create development secrets " + file + ": " + e.getMessage(), e);
        }
    }

    private static void warnIfShared(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                log.warn("{} is readable by others ({}): chmod 600 it", file, PosixFilePermissions.toString(perms));
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot check permissions of {}: {}", file, e.toString());
        }
    }
}
