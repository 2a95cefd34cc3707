package dev.flowcast.cluster;

import dev.flowcast.resources.MetricsSource;
import dev.flowcast.resources.ResourceSample;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The machine a node of the cluster test measures: steady and mostly idle, so that what is
 * admitted depends on the pools and reservations the test sets, not on what else this machine is
 * doing while two nodes and the test share two cores. Active only in the node processes that
 * {@link TwoNodeClusterTest} starts (profile {@code cluster-node}).
 */
@Configuration(proxyBeanMethods = false)
@Profile("cluster-node")
class ClusterNodeMachine {

  @Bean
  MetricsSource clusterNodeMetrics(Clock clock) {
    return new MetricsSource() {
      @Override
      public ResourceSample sample() {
        return new ResourceSample(clock.instant(), 8, 0.8, 32_768, 3_276.8, 1000, 1e5, 1e5, 3000, 1e5, 1e5, 30, 30);
      }

      @Override
      public String name() {
        return "cluster-node-machine";
      }
    };
  }
}
