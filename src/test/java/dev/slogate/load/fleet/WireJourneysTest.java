package dev.slogate.load.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slogate.experiment.Feeder;
import dev.slogate.experiment.Journey;
import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.Stage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An injector of a fleet gets the journeys and its own share of the feeders' rows, exactly as written. */
class WireJourneysTest {
    @Test
    void journeysAndFeedersCrossTheWireUnchanged() {
        Journey.Step login = new Journey.Step("login", "POST", "/shop/login", Map.of("Content-Type", "application/json"),
                "{\"user\": \"${user}\"}", 200, null, List.of(new Journey.Extract("token", Journey.Extract.Source.JSON_PATH, "$.token")),
                new Journey.Think(Journey.Think.Distribution.EXPONENTIAL, Duration.ZERO, Duration.ofSeconds(9), Duration.ofMillis(1500)));
        Journey.Step cart = new Journey.Step("cart", "GET", "/shop/cart", Map.of("Authorization", "Bearer ${token}"), null, 200,
                "browse", List.of(), null);
        Feeder users = new Feeder("users", "data/users.csv", Feeder.Strategy.QUEUE, List.of("user"),
                List.of(Map.of("user", "ann"), Map.of("user", "bob"), Map.of("user", "cy")));
        Load load = new Load(List.of(new Stage(Stage.Kind.HOLD, new Rate(4), new Rate(4), Duration.ofSeconds(10))), List.of(), null,
                Duration.ofSeconds(5), List.of(new Journey("buyer", 2, List.of(login, cart))), List.of(users));
        Load share = FleetMath.share(load, 2).forInjector(1, 2);
        Load received = Wire.load(Wire.parse(Wire.line(Wire.load(share))));
        assertEquals(share, received);
        assertEquals(List.of(Map.of("user", "bob")), received.feeders().get(0).rows());
        assertEquals(2.0, received.stages().get(0).to().perSecond());
    }
}
