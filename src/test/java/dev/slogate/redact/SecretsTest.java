package dev.slogate.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
    private final Secrets secrets = new Secrets();

    @Test
    void aRememberedValueIsMaskedWhereverItTurnsUpAlsoEncoded() {
        secrets.remember("S3cretP@ss&x");
        String shown = Redaction.text("a S3cretP@ss&x b S3cretP%40ss%26x c S3cretP@ss&amp;x", secrets);
        assertEquals("a *** b *** c ***", shown);
    }

    @Test
    void shortAndBlankValuesAreNotSearchedFor() {
        secrets.remember("abc");
        secrets.remember("      ");
        secrets.remember(null);
        assertTrue(secrets.forms().isEmpty());
        assertEquals("abc 200", Redaction.text("abc 200", secrets));
    }

    @Test
    void aUrlGivesItsPasswordDecodedAndEncodedAndItsSecretParameters() {
        secrets.rememberUrl("http://user:S3cretP%40ss@127.0.0.1:9090/?access_token=T0ken-123&page=200");
        assertTrue(secrets.forms().contains("S3cretP@ss"));
        assertTrue(secrets.forms().contains("S3cretP%40ss"));
        assertTrue(secrets.forms().contains("T0ken-123"));
        assertFalse(secrets.forms().contains("user"));
        assertFalse(secrets.forms().contains("200"));
        assertEquals("the password S3cretP@ss... no: ***", Redaction.text("the password S3cretP@ss... no: S3cretP@ss", secrets)
                .replaceFirst("\\*\\*\\*", "S3cretP@ss"));
    }

    @Test
    void aRawAtInThePasswordIsPartOfIt() {
        secrets.rememberUrl("http://user:S3cretP@ss@127.0.0.1:9090");
        assertTrue(secrets.forms().contains("S3cretP@ss"));
    }

    @Test
    void secretHeadersGiveTheirValueAndTheCredentialsAfterTheScheme() {
        secrets.rememberHeaders(Map.of("Authorization", "Bearer tok-XYZ-123", "X-Api-Key", "ApiK3y-abc", "Accept", "application/json"));
        assertTrue(secrets.forms().contains("Bearer tok-XYZ-123"));
        assertTrue(secrets.forms().contains("tok-XYZ-123"));
        assertTrue(secrets.forms().contains("ApiK3y-abc"));
        assertFalse(secrets.forms().contains("application/json"));
        assertEquals("sent token *** with key ***", Redaction.text("sent token tok-XYZ-123 with key ApiK3y-abc", secrets));
    }

    @Test
    void secretFieldsOfARequestBodyAreRemembered() {
        secrets.rememberBody("{\"user\": \"app-user\", \"password\": \"B0dyPw-1\"}");
        secrets.rememberBody("user=form-user&client_secret=F0rmS3c-2");
        assertTrue(secrets.forms().contains("B0dyPw-1") && secrets.forms().contains("F0rmS3c-2"), secrets.forms().toString());
        assertFalse(secrets.forms().contains("app-user") || secrets.forms().contains("form-user"), secrets.forms().toString());
    }

    @Test
    void theLongestSecretIsMaskedWhole() {
        secrets.remember("secret-one");
        secrets.remember("secret-one-and-more");
        assertEquals("x *** y", Redaction.text("x secret-one-and-more y", secrets));
    }
}
