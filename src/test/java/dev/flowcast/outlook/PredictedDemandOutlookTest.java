package dev.flowcast.outlook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.EngineFixture;
import dev.flowcast.FlowcastTest;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.prediction.IntentPredictor;
import dev.flowcast.resources.DemandOutlook;
import dev.flowcast.resources.PriceCatalog;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

/**
 * Predicted demand of all active users in the projection: users whose next request is predicted to
 * be a heavy one make the projected free CPU smaller than the measured series alone would, and the
 * expected requests per intent are on {@code /actuator/prometheus}.
 */
@FlowcastTest
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:outlook;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PredictedDemandOutlookTest {

  @Autowired TestRestTemplate rest;
  @Autowired ObjectMapper json;
  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired IntentPredictor predictor;
  @Autowired PredictedDemandOutlook outlook;

  @Test
  @Order(Integer.MAX_VALUE) // its users stay active for half an hour: the other tests would find their demand projected
  void shouldProjectTheDemandOfTheRequestsActiveUsersArePredictedToMake() throws Exception {
    // given scale-service composed once (its composition is what a predicted request would run)
    EngineFixture fixture = new EngineFixture(engine, composer, catalog);
    CompositionResult composed = fixture.compose("alice", "scale-service");
    fixture.runJobs(composed.processInstanceId());
    // and five users who usually scale the service five minutes after logging in, and have just logged in
    assertThat(usersWhoJustLoggedInAndUsuallyAskFiveMinutesLater("scale-service", "carol", "dave", "erin", "frank",
        "grace")).isEqualTo(HttpStatus.CREATED);

    // when the predictions have looked at the log again and the profile is read
    predictor.reload();
    outlook.refreshNow();
    JsonNode cpu = json.readTree(rest.withBasicAuth("demo", "demo")
        .getForObject("/flowcast/api/resources/profile", String.class)).get("kinds").get("cpu");

    // then the intents part is there at +5 minutes, and less CPU is projected free than the series alone says
    JsonNode at5 = cpu.get("projected").get("5m");
    JsonNode parts = at5.get("parts");
    assertThat(parts.get("intents").asDouble()).isPositive();
    double seriesAlone = cpu.get("capacity").asDouble() - parts.get("series").asDouble();
    assertThat(at5.get("expected").asDouble()).isLessThan(seriesAlone);
    assertThat(parts.get("releases").asDouble()).isZero();
    String scrape = rest.getForObject("/actuator/prometheus", String.class);
    assertThat(scrape).containsPattern("flowcast_intent_forecast\\{horizon=\"5m\",intent=\"scale-service\"} 0?\\.?[1-9]");
  }

  @Test
  @Order(Integer.MAX_VALUE - 1) // its users stay active too: after the tests that want none
  void shouldPriceAnIntentNeverComposedByItsCheapestBindingAndSayInWhichPool() throws Exception {
    // given five users who run a report five minutes after logging in, and have just logged in;
    // run-report has never been composed here
    assertThat(usersWhoJustLoggedInAndUsuallyAskFiveMinutesLater("run-report", "heidi", "ivan", "judy", "mallory",
        "niaj")).isEqualTo(HttpStatus.CREATED);
    assertThat(engine.getRepositoryService().createProcessDefinitionQuery()
        .processDefinitionKey("flowcast-run-report").count()).isZero();

    // when the outlook is worked out
    predictor.reload();
    outlook.refreshNow();
    DemandOutlook.Parts at5 = outlook.at(Instant.now(), Duration.ofMinutes(5));

    // then the predicted reports count where the composer runs them once capacity is bought for
    // them: every step of run-report may run on spot, the cheapest pool (its static binding is on
    // on-demand); what on-demand is expected to hold comes from the other tests' users
    assertThat(at5.intentsIn("spot").vcpu()).isPositive().isGreaterThan(at5.intentsIn("on-demand").vcpu());
    double byPool = at5.intentsByPool().values().stream().mapToDouble(d -> d.vcpu()).sum();
    assertThat(byPool).isCloseTo(at5.intents(dev.flowcast.resources.ResourceKind.CPU),
        org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  @Order(1) // before any user here is active: all that is expected comes from the weekly rhythm
  void shouldExpectTheRequestsThatNewSessionsBringAtThisHourOfTheWeekWithNoUserActive() throws Exception {
    // given, in each of the last eight weeks, ten users who came once, five minutes past this moment
    // of the week, and ran a report (none of them is active now); five minutes is the outlook's first
    // horizon, so its instant lies in the hour of the week they came in, whatever the minute now
    // (three minutes past, the horizon fell in the next hour whenever the test ran at :55 to :57)
    Instant now = Instant.now();
    Instant fivePast = now.plus(5, ChronoUnit.MINUTES);
    List<String> events = new ArrayList<>();
    for (int week = 1; week <= 8; week++) {
      for (int user = 0; user < 10; user++) {
        events.add(event(fivePast.minus(7L * week, ChronoUnit.DAYS), "weekly" + user + "x" + week, "run-report"));
      }
    }
    assertThat(postActivity(events)).isEqualTo(HttpStatus.CREATED);

    // when the outlook is worked out
    outlook.refreshNow();
    PredictedDemandOutlook.Outlook in15 = outlook.outlook(now, Duration.ofMinutes(15));

    // then it expects ten reports in that hour of the week, spread evenly over the hour: the share of
    // the next fifteen minutes that falls in it, and their demand is in the intents part
    Instant hour = fivePast.truncatedTo(ChronoUnit.HOURS);
    double overlapMinutes = Math.max(0, Duration.between(now.isAfter(hour) ? now : hour,
        now.plus(15, ChronoUnit.MINUTES).isBefore(hour.plus(1, ChronoUnit.HOURS)) ? now.plus(15, ChronoUnit.MINUTES)
            : hour.plus(1, ChronoUnit.HOURS)).toMillis() / 60_000.0);
    assertThat(in15.expectedRequests().get("run-report"))
        .isCloseTo(10 * overlapMinutes / 60, org.assertj.core.api.Assertions.within(0.01));
    assertThat(outlook.at(now, Duration.ofMinutes(5)).intentsIn("spot").vcpu()).isPositive();
  }

  @Test
  @Order(2) // after the weekly rhythm is recorded, before the users of the other tests are active
  void shouldLeaveARequestThatFollowsItsUserTooSoonForTheLeadTimeToTheWeeklyRhythmAndCountItOnce() throws Exception {
    // given five users who, every day for two weeks, logged in and backed up the database 20 s later
    // (sooner than the shortest lead time, on-demand's 90 s: the weekly rhythm counts such requests)
    Instant now = Instant.now();
    List<String> users = List.of("quick1", "quick2", "quick3", "quick4", "quick5");
    List<String> history = new ArrayList<>();
    for (String user : users) {
      for (int day = 14; day >= 1; day--) {
        Instant at = now.minus(day, ChronoUnit.DAYS);
        history.add(event(at, user, "login"));
        history.add(event(at.plusSeconds(20), user, "backup-database"));
      }
    }
    assertThat(postActivity(history)).isEqualTo(HttpStatus.CREATED);
    predictor.reload();
    outlook.refreshNow();
    double rhythmAlone = outlook.outlook(now, Duration.ofMinutes(5)).expectedRequests().getOrDefault("backup-database", 0.0);

    // when they have just logged in again
    List<String> loggedIn = users.stream().map(user -> event(now.minusSeconds(10), user, "login")).toList();
    assertThat(postActivity(loggedIn)).isEqualTo(HttpStatus.CREATED);
    predictor.reload();
    outlook.refreshNow();
    double withTheirIntents = outlook.outlook(now, Duration.ofMinutes(5)).expectedRequests()
        .getOrDefault("backup-database", 0.0);

    // then their backups, due 10 s from now, are expected once: by the weekly rhythm, not by their intents too
    assertThat(rhythmAlone).isPositive();
    assertThat(withTheirIntents).isCloseTo(rhythmAlone, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void shouldNeverReleaseMoreThanTheMachinesMeasureInUse() throws Exception {
    // given a running instance that holds more, by its declaration, than the machine measures in use
    EngineFixture fixture = new EngineFixture(engine, composer, catalog);
    CompositionResult running = fixture.compose("alice", "scale-service");
    outlook.refreshNow();

    JsonNode cpu = json.readTree(rest.withBasicAuth("demo", "demo")
        .getForObject("/flowcast/api/resources/profile", String.class)).get("kinds").get("cpu");

    // then what it will release by then comes off the series forecast, never below zero
    for (String horizon : List.of("5m", "10m", "15m")) {
      JsonNode parts = cpu.get("projected").get(horizon).get("parts");
      assertThat(parts.get("releases").asDouble()).as(horizon).isPositive()
          .isLessThanOrEqualTo(parts.get("series").asDouble());
    }
    fixture.runJobs(running.processInstanceId());
  }

  @Test
  void shouldReleaseWhatAnInstanceStartedSinceTheLastRefreshHoldsAndStopWhenItEnds() throws Exception {
    // given an instance running, and the outlook worked out with it
    EngineFixture fixture = new EngineFixture(engine, composer, catalog);
    CompositionResult first = fixture.compose("alice", "scale-service");
    outlook.refreshNow();
    Instant now = Instant.now();
    Duration horizon = Duration.ofMinutes(15);
    double withTheFirst = cpuReleased(outlook.at(now, horizon));

    // when another starts, and the outlook expires and is worked out again (refreshes keep what they looked up)
    CompositionResult second = fixture.compose("alice", "scale-service");
    double withBoth = cpuReleased(outlook.at(now.plusSeconds(6), horizon));

    // then what the new one holds counts as released by the horizon too, until it ends
    assertThat(withTheFirst).isPositive();
    assertThat(withBoth).isGreaterThan(withTheFirst);
    fixture.runJobs(second.processInstanceId());
    assertThat(cpuReleased(outlook.at(now.plusSeconds(12), horizon))).isEqualTo(withTheFirst);
    fixture.runJobs(first.processInstanceId());
  }

  private static double cpuReleased(DemandOutlook.Parts parts) {
    return parts.releases().getOrDefault(dev.flowcast.resources.ResourceKind.CPU, 0.0);
  }

  @Test
  void shouldWorkTheOutlookOutOnceWhenManyRequestsFindItExpired() throws Exception {
    // given an expired outlook
    outlook.refreshNow();
    long before = outlook.computations();

    // when sixteen requests read it at the same moment
    int readers = 16;
    CountDownLatch ready = new CountDownLatch(readers);
    ExecutorService pool = Executors.newFixedThreadPool(readers);
    List<Future<DemandOutlook.Parts>> answers = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < readers; i++) {
      answers.add(pool.submit(() -> {
        ready.countDown();
        ready.await();
        return outlook.at(now, Duration.ofMinutes(5));
      }));
    }
    pool.shutdown();
    for (Future<DemandOutlook.Parts> answer : answers) {
      assertThat(answer.get(30, TimeUnit.SECONDS)).isNotNull();
    }

    // then one of them worked it out and the others took its answer
    assertThat(outlook.computations() - before).isEqualTo(1);
  }


  /**
   * Users who, every morning for two weeks, logged in and asked for {@code intent} five minutes
   * later, and have just logged in (so that their request is expected to be running five minutes from now).
   */
  private org.springframework.http.HttpStatusCode usersWhoJustLoggedInAndUsuallyAskFiveMinutesLater(String intent,
      String... users) {
    Instant now = Instant.now();
    List<String> events = new ArrayList<>();
    for (String user : users) {
      for (int day = 14; day >= 1; day--) {
        Instant at = now.minus(day, ChronoUnit.DAYS);
        events.add(event(at, user, "login"));
        events.add(event(at.plusSeconds(300), user, intent));
      }
      events.add(event(now.minusSeconds(30), user, "login"));
    }
    return postActivity(events);
  }

  private org.springframework.http.HttpStatusCode postActivity(List<String> events) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.valueOf("application/x-ndjson"));
    return rest.withBasicAuth("demo", "demo").postForEntity("/flowcast/api/activity",
        new HttpEntity<>(String.join("\n", events), headers), String.class).getStatusCode();
  }

  private static String event(Instant time, String user, String action) {
    return "{\"time\": \"" + time + "\", \"user\": \"" + user + "\", \"action\": \"" + action + "\"}";
  }
}
