package com.example.shop;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A shopper's journey, written as any team writes a Gatling simulation: open the shop, browse a product page, put it in
 * the cart and check out, with think time between the steps. Nothing in it knows about slogate.
 *
 * <p>The base URL comes from {@code -DbaseUrl}, else from {@code slogate.baseUrl} (the scenario's target, which slogate
 * sets when it runs the simulation), else localhost; the arrival rate from {@code -Dshoppers.perSecond}, the length
 * from {@code -Dshoppers.seconds}.
 */
public class ShopJourneySimulation extends Simulation {
    private static final String BASE_URL = System.getProperty("baseUrl",
            System.getProperty("slogate.baseUrl", "http://127.0.0.1:8080"));
    private static final double PER_SECOND = Double.parseDouble(System.getProperty("shoppers.perSecond", "10"));
    private static final int SECONDS = Integer.getInteger("shoppers.seconds", 20);

    /** Product ids drawn at random: a feeder built in code (files in the jar are not visible to the engine). */
    private static final Iterator<Map<String, Object>> PRODUCTS = new Iterator<>() {
        @Override
        public boolean hasNext() {
            return true;
        }

        @Override
        public Map<String, Object> next() {
            return Map.of("product", ThreadLocalRandom.current().nextInt(1, 500));
        }
    };

    private final HttpProtocolBuilder protocol = http.baseUrl(BASE_URL)
            .acceptHeader("application/json")
            .userAgentHeader("shop-load-tests");

    private final ChainBuilder browse = exec(http("home").get("/").check(status().is(200)))
            .pause(Duration.ofMillis(200), Duration.ofMillis(600))
            .feed(PRODUCTS)
            .exec(http("product").get("/products/#{product}").check(status().is(200)));

    private final ChainBuilder buy = exec(http("add to cart").post("/cart").body(
                    io.gatling.javaapi.core.CoreDsl.StringBody("{\"product\": #{product}, \"quantity\": 1}"))
                    .asJson().check(status().is(200)))
            .pause(Duration.ofMillis(300))
            .exec(http("checkout").post("/checkout").check(status().is(200)));

    private final ScenarioBuilder shopper = scenario("shopper").exec(browse).pause(Duration.ofMillis(200)).exec(buy);

    public ShopJourneySimulation() {
        setUp(shopper.injectOpen(
                nothingFor(Duration.ofSeconds(1)),
                rampUsersPerSec(1).to(PER_SECOND).during(Duration.ofSeconds(3)),
                constantUsersPerSec(PER_SECOND).during(Duration.ofSeconds(Math.max(1, SECONDS - 4)))))
                .protocols(protocol);
    }
}
