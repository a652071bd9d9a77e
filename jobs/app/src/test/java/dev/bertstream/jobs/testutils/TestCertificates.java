package dev.bertstream.jobs.testutils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A self-signed broker certificate for {@code localhost} and {@code 127.0.0.1} and a client
 * truststore holding it, made with the JDK's {@code keytool} at test time (never committed), with
 * random store passwords.
 */
public final class TestCertificates {

    private final Path keystore;
    private final String keystorePassword;
    private final Path truststore;
    private final String truststorePassword;

    private TestCertificates(
            Path keystore, String keystorePassword, Path truststore, String truststorePassword) {
        this.keystore = keystore;
        this.keystorePassword = keystorePassword;
        this.truststore = truststore;
        this.truststorePassword = truststorePassword;
    }

    /** Writes {@code broker.p12} and {@code truststore.p12} (PKCS12) into {@code dir}. */
    public static TestCertificates generate(Path dir) throws IOException, InterruptedException {
        String ksPassword = "ks-" + UUID.randomUUID();
        String tsPassword = "ts-" + UUID.randomUUID();
        Path ks = dir.resolve("broker.p12");
        Path cert = dir.resolve("broker.crt");
        Path ts = dir.resolve("truststore.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost, O=bert-stream test",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                ksPassword,
                "-keypass",
                ksPassword);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "broker",
                "-keystore",
                ks.toString(),
                "-storepass",
                ksPassword,
                "-file",
                cert.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                cert.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                ts.toString(),
                "-storepass",
                tsPassword);
        return new TestCertificates(ks, ksPassword, ts, tsPassword);
    }

    public Path keystore() {
        return keystore;
    }

    public String keystorePassword() {
        return keystorePassword;
    }

    public Path truststore() {
        return truststore;
    }

    public String truststorePassword() {
        return truststorePassword;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            // The command line holds the store passwords: name the step only.
            throw new IOException("keytool " + args[0] + " failed: " + out);
        }
    }
}
