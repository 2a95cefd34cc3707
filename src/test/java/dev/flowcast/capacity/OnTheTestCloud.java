package dev.flowcast.capacity;

import dev.flowcast.FlowcastTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The application with the test's own cloud as its capacity provider, chosen by name as
 * {@code local-workers} or a user's bean would be: the shipped catalog's elastic pools, the
 * reactive rule, the schedule an hour apart (only the tests tick). One context for every class.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@FlowcastTest
@TestPropertySource(properties = {
    "spring.datasource.url=jdbc:h2:mem:capacity-tick;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
    "flowcast.capacity.provider=" + TestCloud.NAME,
    "flowcast.capacity.planner=reactive",
    "flowcast.capacity.target-utilization=0.5",
    "flowcast.capacity.tick-interval=PT1H"})
@Import(CapacityTickTest.Cloud.class)
@interface OnTheTestCloud {}
