package io.wshub.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A test PKI made with the {@code openssl} command: a root CA, an intermediate CA, and a leaf
 * for 127.0.0.1 / localhost signed by the intermediate. {@link #chain} holds leaf + intermediate
 * (so a client that trusts only the root proves the chain is served), {@link #key} the leaf's
 * PKCS#8 key. {@link #reissue} writes a new leaf into the same two files, as a renewal does.
 */
public final class TestCerts {
    public final Path dir;
    public final Path root;
    public final Path chain;
    public final Path key;
    private int serial;

    private TestCerts(Path dir) {
        this.dir = dir;
        this.root = dir.resolve("root.pem");
        this.chain = dir.resolve("chain.pem");
        this.key = dir.resolve("key.pem");
    }

    /** Makes the root, the intermediate and a leaf with common name {@code leafName} in {@code dir}. */
    public static TestCerts create(Path dir, String leafName) {
        TestCerts certs = new TestCerts(dir);
        certs.ca("root", null);
        certs.ca("intermediate", "root");
        certs.reissue(leafName);
        return certs;
    }

    /** A new leaf key and certificate (common name {@code leafName}) moved over {@link #chain} and {@link #key}. */
    public void reissue(String leafName) {
        String n = "leaf" + (++serial);
        Path ext = dir.resolve(n + ".ext");
        write(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", n + ".key", "-out", n + ".csr", "-subj", "/CN=" + leafName);
        openssl("x509", "-req", "-in", n + ".csr", "-CA", "intermediate.pem", "-CAkey", "intermediate.key",
                "-CAcreateserial", "-days", "2", "-out", n + ".pem", "-extfile", ext.toString());
        try {
            Path newChain = dir.resolve(n + ".chain");
            Files.writeString(newChain, Files.readString(dir.resolve(n + ".pem")) + Files.readString(dir.resolve("intermediate.pem")));
            // key first: a reload between the two moves sees a mismatched pair, which must be tolerated
            Files.move(dir.resolve(n + ".key"), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(newChain, chain, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#12 trust store holding the root, for clients configured through {@code javax.net.ssl.trustStore}. */
    public Path trustStore(String password) {
        Path file = dir.resolve("trust.p12");
        try (InputStream in = Files.newInputStream(root); var out = Files.newOutputStream(file)) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", CertificateFactory.getInstance("X.509").generateCertificate(in));
            trust.store(out, password.toCharArray());
            return file;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSL context that trusts only the root. */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(root)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("root", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void ca(String name, String issuer) {
        Path ext = dir.resolve(name + ".ext");
        write(ext, "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
        if (issuer == null) {
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
                    "-days", "2", "-subj", "/CN=wshub test " + name, "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        } else {
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=wshub test " + name);
            openssl("x509", "-req", "-in", name + ".csr", "-CA", issuer + ".pem", "-CAkey", issuer + ".key",
                    "-CAcreateserial", "-days", "2", "-out", name + ".pem", "-extfile", ext.toString());
        }
    }

    private void openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl (apt-get install openssl): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
