package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code ${name}} in paths, headers and bodies: parsed once, rendered by plain substitution, never as Gatling EL. */
class TemplateTest {
    @Test
    void placeholdersAreReplacedAndTheRestIsKeptAsWritten() {
        Template t = Template.parse("/users/${user}/orders?token=${token}&x=${user}");
        assertEquals(Set.of("user", "token"), t.variables());
        assertEquals("/users/ann/orders?token=t1&x=ann", t.render(Map.of("user", "ann", "token", "t1")::get));
    }

    @Test
    void gatlingExpressionLanguageInTheTextGoesOutLiterally() {
        // Gatling would evaluate #{...} (and its functions) if the text were handed to it as EL; a template never is
        Template t = Template.parse("{\"q\": \"#{user}\", \"f\": \"#{randomUuid()}\", \"u\": \"${user}\"}");
        assertEquals(Set.of("user"), t.variables());
        assertEquals("{\"q\": \"#{user}\", \"f\": \"#{randomUuid()}\", \"u\": \"ann\"}", t.render(Map.of("user", "ann")::get));
    }

    @Test
    void doubleDollarWritesALiteralPlaceholder() {
        Template t = Template.parse("price: $${amount} for ${who}");
        assertEquals(Set.of("who"), t.variables());
        assertEquals("price: ${amount} for bo", t.render(Map.of("who", "bo")::get));
        assertTrue(Template.parse("$5 and $ {x}").isConstant());
    }

    @Test
    void aMissingValueRendersEmptyAndDottedNamesAreOneName() {
        Template t = Template.parse("/a/${users.email}/${gone}");
        assertEquals(List.of("users.email", "gone"), List.copyOf(t.variables()));
        assertEquals("/a/x@y/", t.render(Map.of("users.email", "x@y")::get));
    }

    @Test
    void badPlaceholdersAreNamed() {
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class, () -> Template.parse("/a/${user"));
        assertTrue(open.getMessage().contains("'${' at column 4"), open.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Template.parse("/a/${1st}"));
        assertTrue(bad.getMessage().contains("'${1st}' is not a variable"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Template.parse("${}"));
    }
}
