package io.wshub.auth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reads a PEM public key or certificate with the JDK alone (nimbus would need BouncyCastle
 * for this, a large dependency for one parse).
 */
final class PemKeys {
    private PemKeys() {}

    static JWK parse(String pem) {
        try {
            PublicKey key = pem.contains("BEGIN CERTIFICATE") ? certificateKey(pem) : spkiKey(pem);
            if (key instanceof RSAPublicKey rsa) {
                return new RSAKey.Builder(rsa).build();
            }
            if (key instanceof ECPublicKey ec) {
                return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
            }
            throw new IllegalArgumentException("unsupported public key type " + key.getAlgorithm());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a PEM RSA/EC public key or certificate: " + e.getMessage(), e);
        }
    }

    private static PublicKey certificateKey(String pem) throws GeneralSecurityException {
        byte[] der = body(pem, "CERTIFICATE");
        return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
    }

    private static PublicKey spkiKey(String pem) throws GeneralSecurityException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(body(pem, "PUBLIC KEY"));
        try {
            return KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (GeneralSecurityException notRsa) {
            return KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }

    private static byte[] body(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        int start = pem.indexOf(begin);
        int end = pem.indexOf("-----END " + label + "-----");
        if (start < 0 || end < 0) {
            throw new IllegalArgumentException("no " + begin + " block");
        }
        return Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
    }
}
