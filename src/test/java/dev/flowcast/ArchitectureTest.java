package dev.flowcast;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The package layout is the architecture: these rules keep it so. */
@AnalyzeClasses(packages = "dev.flowcast", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule componentsHaveNoCycles =
      slices().matching("dev.flowcast.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule engineInternalsStayInsideThePlugin =
      noClasses().that().resideOutsideOfPackage("dev.flowcast.adaptive..")
          .should().dependOnClassesThat().resideInAPackage("org.camunda.bpm.engine.impl..")
          .because("engine impl types are not API; only the engine plugin may touch them");

  @ArchTest
  static final ArchRule predictionKnowsNothingOfBpmn =
      noClasses().that().resideInAnyPackage("dev.flowcast.prediction..", "dev.flowcast.demand..", "dev.flowcast.arrivals..")
          .should().dependOnClassesThat().resideInAnyPackage("org.camunda.bpm.model..", "dev.flowcast.composer..");

  @ArchTest
  static final ArchRule theQueueIsOneFallbackAmongOthers =
      noClasses().that().resideInAnyPackage("dev.flowcast.composer..", "dev.flowcast.adaptive..")
          .should().dependOnClassesThat().resideInAPackage("dev.flowcast.queue..")
          .because("the composer knows its fallback and the engine plugin its listeners only by their interfaces:"
              + " an application's own Fallback replaces the queue");

  @ArchTest
  static final ArchRule componentsDoNotReachIntoTheApi =
      noClasses().that().resideOutsideOfPackages("dev.flowcast.api..", "dev.flowcast.autoconfigure..")
          .should().dependOnClassesThat().resideInAPackage("dev.flowcast.api..")
          .because("only the auto-configuration, which assembles every component, brings the API in");

  @ArchTest
  static final ArchRule numbersAreWrittenTheSameOnEveryMachine =
      noClasses().should().callMethod(String.class, "format", String.class, Object[].class)
          .orShould().callMethod(java.io.PrintStream.class, "printf", String.class, Object[].class)
          .orShould().callMethod(java.io.PrintWriter.class, "printf", String.class, Object[].class)
          .orShould().callMethod(String.class, "formatted", Object[].class)
          .because("logged reasons, JSON and tables are read by programs too: a German locale writes 0,5 for 0.5;"
              + " pass Locale.ROOT");

  @ArchTest
  static final ArchRule noStaticEngineAccess =
      noClasses().should().callMethod(org.camunda.bpm.engine.ProcessEngines.class, "getDefaultProcessEngine")
          .because("engine services are injected");
}
