package io.wshub.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's TLS certificate chain and key (PEM files), reloaded when the files change:
 * connections made after a change get the new certificate, open ones keep theirs. A change that
 * does not load (a half-written file, a key that does not match) leaves the old certificate in
 * use and is logged once; the next change is tried again.
 *
 * <p>The files are read on a thread of their own every {@link #CHECK_SECONDS} seconds, never on
 * an event loop; {@link #newHandler} only reads a volatile field.
 */
final class TlsContext implements AutoCloseable {
    /** 2 s: a renewed certificate (certbot, a Kubernetes secret) is served within moments, and reading two small files that often costs nothing. */
    static final int CHECK_SECONDS = 2;

    private final Path certFile;
    private final Path keyFile;
    private final ScheduledExecutorService checker;
    /** Written by the checker thread only. */
    private byte[] loadedCert;
    private byte[] loadedKey;
    private byte[] rejectedCert;
    private byte[] rejectedKey;
    private volatile SslContext context;

    private TlsContext(Path certFile, Path keyFile) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        byte[] cert = read(certFile);
        byte[] key = read(keyFile);
        try {
            this.context = build(cert, key);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use TLS certificate " + certFile + " with key " + keyFile + ": " + e.getMessage(), e);
        }
        this.loadedCert = cert;
        this.loadedKey = key;
        this.checker = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("wshub-tls-reload", true));
        checker.scheduleWithFixedDelay(this::reloadIfChanged, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    /** Loads the files now (failing at start when they do not work) and watches them from then on. */
    static TlsContext load(Path certFile, Path keyFile) {
        return new TlsContext(certFile, keyFile);
    }

    /** The TLS handler for a new connection, with the certificate loaded last. */
    SslHandler newHandler(ByteBufAllocator alloc) {
        return context.newHandler(alloc);
    }

    private void reloadIfChanged() {
        byte[] cert;
        byte[] key;
        try {
            cert = Files.readAllBytes(certFile);
            key = Files.readAllBytes(keyFile);
        } catch (IOException e) {
            RealHub.log.debug("TLS files not readable right now: {}", e.toString());
            return;
        }
        if (Arrays.equals(cert, loadedCert) && Arrays.equals(key, loadedKey)
                || Arrays.equals(cert, rejectedCert) && Arrays.equals(key, rejectedKey)) {
            return;
        }
        try {
            context = build(cert, key);
            loadedCert = cert;
            loadedKey = key;
            RealHub.log.info("TLS certificate reloaded from {}", certFile);
        } catch (IOException | IllegalArgumentException e) {
            rejectedCert = cert;
            rejectedKey = key;
            RealHub.log.warn("TLS certificate {} changed but does not load ({}); still serving the previous one", certFile, e.getMessage());
        }
    }

    private static SslContext build(byte[] cert, byte[] key) throws IOException {
        return SslContextBuilder.forServer(new ByteArrayInputStream(cert), new ByteArrayInputStream(key)).build();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read TLS file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
