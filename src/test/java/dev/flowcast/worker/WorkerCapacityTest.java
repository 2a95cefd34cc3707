package dev.flowcast.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flowcast.FlowcastApplication;
import dev.flowcast.IdleMachine;
import dev.flowcast.SeparateApplication;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowcast.capacity.PoolSize;
import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.PoolCapacity;
import dev.flowcast.resources.PriceCatalog;
import dev.flowcast.resources.ReservationLedger;
import dev.flowcast.resources.ResourceDemand;
import dev.flowcast.resources.ResourceMonitor;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * With provider {@code local-workers}, a pool's capacity is its live workers × slots × a slot's
 * size, and what it holds is its reservations or its workers' slots in use, whichever is more
 * (decision 0024); an elastic pool's unit must be what one local worker holds, at start-up and
 * through the admin API. The workers here are registered and send heartbeats through the
 * registry, as the worker's REST calls do; {@code WorkerPoolsTest} runs real worker processes.
 */
@SpringBootTest(classes = FlowcastApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // the test's own workers only: the planner's tick, which would start worker processes, waits an hour
    properties = {"flowcast.capacity.provider=local-workers", "flowcast.capacity.tick-interval=PT1H"})
@ActiveProfiles({"demo", "test"})
@Import(IdleMachine.class)
class WorkerCapacityTest {

  /** The monitor reads a pool's size from its provider at most every 5 s. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  @Autowired WorkerRegistry registry;
  @Autowired LocalWorkersCapacityProvider provider;
  @Autowired ResourceMonitor monitor;
  @Autowired ReservationLedger ledger;
  @Autowired PriceCatalog catalog;
  @Autowired TestRestTemplate rest;

  @Test
  void shouldOfferAsCapacityTheLiveWorkersSlotsAndHoldTheLargerOfReservationsAndSlotsInUse() {
    // given one live worker of 4 slots in each pool (4 × 0.5 vCPU, 2048 MB: the catalog's unit)
    registry.register("capacity-spot-1", "spot", 4, "test");
    registry.register("capacity-on-demand-1", "on-demand", 4, "test");

    // then each pool offers one unit: what the worker's slots stand for
    awaitProfile("spot and on-demand offer one worker's slots",
        () -> capacityOf("spot").equals(new ResourceDemand(2, 8192, 10000, 20000))
            && capacityOf("on-demand").equals(new ResourceDemand(2, 8192, 10000, 20000)));

    // when spot's worker says 3 of its slots are busy (work Flowcast reserved nothing for)
    beat("capacity-spot-1", 3);
    beat("capacity-on-demand-1", 0);

    // then spot holds 1.5 vCPU, 6144 MB: a quarter of on-demand's free capacity is left (same machine, same share)
    awaitProfile("spot holds its slots in use", () -> freeShareIs(0.25, "spot", "on-demand"));
    assertThat(provider.size("spot", Instant.now()))
        .extracting(PoolSize::readyUnits, PoolSize::inUse)
        .containsExactly(1, new ResourceDemand(1.5, 6144, 0, 0));

    // when an instance reserves less in spot than the busy slots stand for
    ledger.reserve("capacity-instance-1", Map.of("spot", new ResourceDemand(1, 1024, 0, 0)));
    // then the slots hold it: the reservation and the slots are the same work, counted once, not summed
    assertRatio(0.25, 0.25);

    // when reservations exceed the busy slots in vCPU (composed, not fetched by a worker yet)
    ledger.reserve("capacity-instance-2", Map.of("spot", new ResourceDemand(0.8, 1024, 0, 0)));
    // then the reservations hold vCPU (1.8 of 2), the slots still hold memory (6144 of 8192 MB)
    assertRatio(0.1, 0.25);

    // when a second worker joins spot
    registry.register("capacity-spot-2", "spot", 4, "test");
    beat("capacity-spot-1", 3);
    beat("capacity-on-demand-1", 0);

    // then spot's capacity is two workers' slots
    awaitProfile("spot offers two workers' slots",
        () -> capacityOf("spot").equals(new ResourceDemand(4, 16384, 10000, 20000)));
  }

  @Test
  void shouldRefuseToStartWhenTheCatalogsUnitIsNotWhatALocalWorkerHoldsNamingFileAndField() {
    String report = SeparateApplication.startupReport("--flowcast.capacity.provider=local-workers", "--flowcast.workers.slot.vcpu=1");

    assertThat(report).contains("FLOWCAST-361 price catalog ")
        .contains("does not fit flowcast.capacity.provider=local-workers: pools.on-demand.elasticity.unit is 2 vCPU,"
            + " 8192 MB, but a local worker holds 4 slots (flowcast.workers.local.slots) × 1 vCPU, 2048 MB"
            + " (flowcast.workers.slot.vcpu, .memory-mb) = 4 vCPU, 8192 MB; pools.spot.elasticity.unit is 2 vCPU");
  }

  @Test
  void shouldRefuseThroughTheApiAUnitThatIsNotWhatALocalWorkerHoldsAndChangeNothing() throws Exception {
    Elasticity before = catalog.pools().get("spot").elasticity();
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);

    ResponseEntity<String> refused = rest.withBasicAuth("demo", "demo").exchange(
        "/flowcast/api/admin/pools/spot/elasticity", HttpMethod.PUT,
        new HttpEntity<>("{\"unit\": {\"vcpu\": 4, \"memoryMb\": 8192}, \"maxUnits\": 8}", headers), String.class);

    assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(new ObjectMapper().readTree(refused.getBody()).get("message").asText()).isEqualTo("'unit' is 4 vCPU,"
        + " 8192 MB, but a local worker holds 4 slots (flowcast.workers.local.slots) × 0.5 vCPU, 2048 MB"
        + " (flowcast.workers.slot.vcpu, .memory-mb) = 2 vCPU, 8192 MB (flowcast.capacity.provider=local-workers)");
    assertThat(catalog.pools().get("spot").elasticity()).isEqualTo(before);
  }

  @Test
  void shouldStartWithAMismatchedUnitWhenPoolsAreNotSizedByLocalWorkers() {
    assertThat(SeparateApplication.startupReport("--flowcast.capacity.provider=fixed", "--flowcast.workers.slot.vcpu=1")).isEmpty();
  }

  private ResourceDemand capacityOf(String pool) {
    return monitor.profile(Instant.now()).pools().get(pool).capacity();
  }

  private void beat(String worker, int slotsInUse) {
    assertThat(registry.heartbeat(worker, slotsInUse, 0, 0)).isTrue();
  }

  /** Spot's free vCPU and memory as shares of on-demand's (whose worker is idle). */
  private void assertRatio(double vcpu, double memory) {
    beat("capacity-spot-1", 3);
    beat("capacity-on-demand-1", 0);
    Map<String, PoolCapacity> pools = monitor.profile(Instant.now()).pools();
    ResourceDemand spot = pools.get("spot").available();
    ResourceDemand onDemand = pools.get("on-demand").available();
    assertThat(onDemand.vcpu()).isPositive();
    assertThat(spot.vcpu() / onDemand.vcpu()).isCloseTo(vcpu, within(1e-6));
    assertThat(spot.memoryMb() / onDemand.memoryMb()).isCloseTo(memory, within(1e-6));
  }

  private boolean freeShareIs(double share, String pool, String reference) {
    Map<String, PoolCapacity> pools = monitor.profile(Instant.now()).pools();
    ResourceDemand free = pools.get(pool).available();
    ResourceDemand full = pools.get(reference).available();
    return full.vcpu() > 0 && Math.abs(free.vcpu() / full.vcpu() - share) < 1e-6
        && Math.abs(free.memoryMb() / full.memoryMb() - share) < 1e-6;
  }

  private static void awaitProfile(String what, BooleanSupplier condition) {
    Eventually.await(what, PATIENCE, condition);
  }
}
