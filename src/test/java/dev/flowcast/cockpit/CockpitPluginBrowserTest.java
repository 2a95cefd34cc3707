package dev.flowcast.cockpit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowcast.EngineFixture;
import dev.flowcast.RequiredTool;
import dev.flowcast.FlowcastTest;
import dev.flowcast.adaptive.AdaptiveWatcher;
import dev.flowcast.composer.Composer;
import dev.flowcast.composer.CompositionResult;
import dev.flowcast.decisions.Decision;
import dev.flowcast.decisions.DecisionLog;
import dev.flowcast.decisions.DecisionQuery;
import dev.flowcast.resources.PriceCatalog;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The Cockpit plugin in a real browser: Debian's chromium, headless, through chromedriver, against
 * the whole application on a random port. An instance is switched for real (its query step runs
 * past its threshold on the engine's clock, the adaptive check restarts it on the alternative), and
 * stays running, so Cockpit (which shows running instances) opens it. Screenshots land in
 * {@code target/cockpit-screenshots/}. The application has a Cockpit {@code config.js} of its own
 * (in the test resources) with a custom script of its own; Flowcast's plugin shows beside it.
 *
 * <p>Skipped, with a message, only where chromium or chromedriver is not installed, and never when
 * {@code CI=true}: there it fails.
 */
@FlowcastTest
@TestPropertySource(properties = "camunda.bpm.process-engine-name=" + CockpitPluginBrowserTest.ENGINE)
class CockpitPluginBrowserTest {

  /**
   * An engine name of its own: the webapps find their engine by name in a registry that every
   * application context in this JVM shares, and other test classes' cached contexts have an engine
   * named "default" too. Under that name Cockpit could show another context's engine.
   */
  static final String ENGINE = "cockpitBrowserTest";

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "cockpit-screenshots");
  static final Duration WAIT = Duration.ofSeconds(40);
  static final String HOSTILE = "<img src=x onerror=\"window.flowcastInjected=1\">reason from a file";

  static ChromeDriverService service;

  @LocalServerPort int port;
  @Autowired ProcessEngine engine;
  @Autowired Composer composer;
  @Autowired PriceCatalog catalog;
  @Autowired AdaptiveWatcher watcher;
  @Autowired DecisionLog decisions;
  @Autowired JdbcClient jdbc;

  EngineFixture fixture;
  WebDriver browser;

  @BeforeAll
  static void startChromedriver() throws IOException {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String missing = "the Cockpit browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", "
        + CHROMEDRIVER + "): apt-get install chromium chromium-driver";
    RequiredTool.require(installed, missing);
    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    service.start();
    Files.createDirectories(SCREENSHOTS);
    Files.deleteIfExists(SCREENSHOTS.resolve("cockpit-failure.png"));
  }

  @AfterAll
  static void stopChromedriver() {
    if (service != null) {
      service.stop();
    }
  }

  @BeforeEach
  void setUp() {
    fixture = new EngineFixture(engine, composer, catalog);
    fixture.cancelRunningInstances();
    // only this test's steps may be slow
    jdbc.sql("delete from flowcast_step").update();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1440,1800", "--lang=en-US");
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void tearDown() {
    if (browser != null) {
      browser.quit();
    }
    ClockUtil.reset();
    fixture.cancelRunningInstances();
  }

  @Test
  void shouldShowWhyAnInstanceWasComposedAndWhyItSwitchedToTheUserLoggedInToCockpit() throws IOException {
    // given: alice's report, its query step running 60 s on the engine's clock, restarted on the alternative
    String switched = switchedReport();
    Decision restart = switchOf(switched);
    assertThat(restart.status()).isEqualTo("RESTARTED");
    String from = (String) restart.details().get("from");
    // and bob's own report, waiting at its first step, with a reason made of markup (reasons come from files)
    CompositionResult bobs = fixture.compose("bob", "run-report");
    assertThat(bobs.status()).isEqualTo(CompositionResult.Status.STARTED);
    decisions.record(new Decision(Decision.newId(), Instant.now(), Decision.Kind.QUEUE_RETRY, "TRIED", "bob",
        "run-report", bobs.processInstanceId(), bobs.processDefinitionId(), HOSTILE, Map.of()));

    // when: demo logs in to Cockpit and opens the switched instance's Flowcast tab
    logIn("demo");
    openTab("#/process-instance/" + switched + "/runtime");
    WebElement composition = waitFor("[data-flowcast='composition']");

    // then: the composition, its bindings and score parts, the step runs, the switch with its figures
    assertThat(composition.getText()).contains("run-report", "alice", "probability", "total ");
    assertThat(text("[data-flowcast='composition'] [data-flowcast='bindings']"))
        .contains("step_2_query", "query-replica", "spot");
    assertThat(text("[data-flowcast='score']")).matches("total -?\\d+\\.\\d{3} = probability .* \\+ fit .* − risk .*");
    assertThat(text("[data-flowcast='steps']")).contains("step_1_provision", "provision-spot", "COMPLETED",
        "query-replica", "CANCELLED");
    WebElement shownSwitch = waitFor("[data-flowcast='switch']");
    assertThat(shownSwitch.getAttribute("data-status")).isEqualTo("RESTARTED");
    assertThat(shownSwitch.getText()).contains(restart.reason(), "step_2_query on query-replica@spot running 60.0 s",
        "threshold 16.0 s", "query-primary", "Restarted steps", from);
    assertThat(text("[data-flowcast='switch'] [data-flowcast='figures']"))
        .contains("runningSeconds 60", "thresholdSeconds 16", "p95Seconds 8");
    assertThat(timelineDrawn()).as("the timeline SVG, read with the Cockpit session").isTrue();
    maximizeTabs();
    screenshot("instance-demo");

    // the definition the instance was composed on: its bindings, and the switch away from it
    openTab("#/process-definition/" + from + "/runtime");
    waitFor("[data-flowcast='switches-away']");
    assertThat(text("[data-flowcast='definition'] [data-flowcast='bindings']")).contains("query-replica");
    assertThat(text("[data-flowcast='switches-away']")).contains(switched, "RESTARTED");
    assertThat(Integer.parseInt(text("[data-flowcast='instance-count']"))).isGreaterThanOrEqualTo(1);
    maximizeTabs();
    screenshot("definition-demo");

    // the dashboard: today's decisions by outcome, the queue, the switch, capacity per pool, beside
    // the team's own custom script (its config.js is the application's, not Flowcast's)
    open("#/dashboard");
    waitFor("[data-flowcast='resources']");
    assertThat(text("[data-team='notice']")).isEqualTo("Release freeze on Friday (the team's own custom script)");
    assertThat(loadedScripts()).as("Flowcast's front end comes through Cockpit's plugin API")
        .anyMatch(url -> url.contains("/api/cockpit/plugin/flowcast/static/app/plugin.js"))
        .anyMatch(url -> url.contains("/app/cockpit/scripts/team/team-notice.js"));
    assertThat(text("[data-flowcast='decisions-today']")).contains("COMPOSITION", "SWITCH", "RESTARTED");
    assertThat(text("[data-flowcast='switches-today']")).contains(switched, "alice");
    assertThat(text("[data-flowcast='queue-length']")).isEqualTo("0");
    assertThat(browser.findElements(By.cssSelector("[data-flowcast='pools'] tr[data-pool]")))
        .extracting(row -> row.getAttribute("data-pool")).contains("spot", "on-demand");
    // the elastic pools' units and their course over time (the chart drawn by the server)
    waitFor("[data-flowcast='elastic-pools'] tr[data-pool]");
    assertThat(browser.findElements(By.cssSelector("[data-flowcast='elastic-pools'] tr[data-pool]")))
        .extracting(row -> row.getAttribute("data-pool")).containsExactlyInAnyOrder("spot", "on-demand");
    waitFor("img[data-flowcast='pool-sizes-chart']");
    new WebDriverWait(browser, WAIT).until(driver -> !"0".equals(driver.findElement(
        By.cssSelector("img[data-flowcast='pool-sizes-chart']")).getDomProperty("naturalWidth")));
    screenshot("dashboard-demo");

    // when: bob logs in instead
    logOut();
    logIn("bob");

    // then: Cockpit lets him open alice's instance, but Flowcast shows him none of her decisions
    openTab("#/process-instance/" + switched + "/runtime");
    assertThat(waitFor(".flowcast-message").getText())
        .isEqualTo("No Flowcast decisions about this instance that you may read.");
    assertThat(flowcastText()).doesNotContain("alice", "query-replica");

    // his own instance: his composition, and the markup in a reason shown as text, never run
    openTab("#/process-instance/" + bobs.processInstanceId() + "/runtime");
    waitFor("[data-flowcast='others']");
    assertThat(text("[data-flowcast='composition'] [data-flowcast='user']")).isEqualTo("bob");
    assertThat(text("[data-flowcast='others']")).contains(HOSTILE);
    assertThat(((JavascriptExecutor) browser).executeScript("return window.flowcastInjected === undefined")).isEqualTo(true);
    assertThat(browser.findElements(By.cssSelector(".flowcast img[src='x']"))).isEmpty();
    maximizeTabs();
    screenshot("instance-bob");

    // the definition alice's instance left: bob reads only his own instances on it
    openTab("#/process-definition/" + from + "/runtime");
    waitFor("[data-flowcast='instances']");
    assertThat(flowcastText()).doesNotContain("alice", switched).contains("your own instances");

    // his dashboard: his own decisions, no switch of alice's
    open("#/dashboard");
    waitFor("[data-flowcast='resources']");
    assertThat(text("[data-flowcast='decisions-today']")).contains("your own decisions", "COMPOSITION")
        .doesNotContain("SWITCH");
    assertThat(text("[data-flowcast='switches-today']")).contains("No switches today.");
    assertThat(flowcastText()).doesNotContain("alice", switched);
    screenshot("dashboard-bob");
  }

  // ---- the switched instance, for real ----

  private String switchedReport() {
    Instant now = Instant.now();
    ClockUtil.setCurrentTime(Date.from(now));
    CompositionResult result = fixture.compose("alice", "run-report");
    assertThat(result.status()).isEqualTo(CompositionResult.Status.STARTED);
    String id = result.processInstanceId();
    fixture.runUntilRunning(id, "step_2_query");
    ClockUtil.setCurrentTime(Date.from(now.plusSeconds(60)));
    assertThat(watcher.check()).as("a single degraded check only confirms").isEmpty();
    assertThat(watcher.check()).extracting(Decision::processInstanceId).contains(id);
    // the webapp's login and its caches run on the engine's clock too: back to the real one
    ClockUtil.reset();
    return id;
  }

  private Decision switchOf(String processInstanceId) {
    List<Decision> switches = decisions.find(new DecisionQuery(null, processInstanceId, 100))
        .stream().filter(d -> d.kind() == Decision.Kind.SWITCH).toList();
    assertThat(switches).hasSize(1);
    return switches.get(0);
  }

  // ---- the browser ----

  private String cockpit() {
    return "http://localhost:" + port + "/camunda/app/cockpit/" + ENGINE + "/";
  }

  private void logIn(String user) {
    browser.get(cockpit() + "#/login");
    WebElement name = waitFor("input[ng-model='username']");
    name.sendKeys(user);
    browser.findElement(By.cssSelector("input[ng-model='password']")).sendKeys(user);
    browser.findElement(By.cssSelector("button[type='submit']")).click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("input[ng-model='username']")));
  }

  private void logOut() {
    browser.manage().deleteAllCookies();
    browser.get(cockpit());
    ((JavascriptExecutor) browser).executeScript("window.localStorage.clear(); window.sessionStorage.clear();");
  }

  private void open(String route) {
    browser.get(cockpit() + route);
  }

  /**
   * Opens a Cockpit view and its Flowcast tab. Cockpit renders its tabs again as the view's data
   * arrives: a tab found a moment before may be gone by the click (on a busy machine it was), so
   * the click goes to the tab as it is then, until one lands.
   */
  private void openTab(String route) {
    open(route);
    By flowcastTab = By.xpath("//ul[contains(@class,'nav-tabs')]//a[normalize-space()='Flowcast']");
    try {
      new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
          .ignoring(ElementClickInterceptedException.class).until(driver -> {
            WebElement tab = ExpectedConditions.elementToBeClickable(flowcastTab).apply(driver);
            if (tab == null) {
              return false;
            }
            tab.click();
            return true;
          });
    } catch (TimeoutException e) {
      throw shown("no Flowcast tab", e);
    }
  }

  /** Every script and module the page fetched, as the browser's resource timing lists them. */
  @SuppressWarnings("unchecked")
  private List<String> loadedScripts() {
    return (List<String>) ((JavascriptExecutor) browser).executeScript(
        "return performance.getEntriesByType('resource').map(function (entry) { return entry.name; });");
  }

  private WebElement waitFor(String css) {
    try {
      return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    } catch (TimeoutException e) {
      throw shown("no " + css, e);
    }
  }

  /** A failure saying what the page showed instead, with a screenshot of it. */
  private AssertionError shown(String what, TimeoutException e) {
    try {
      screenshot("failure");
    } catch (IOException | RuntimeException ignored) {
      // the failure says enough
    }
    return new AssertionError(what + " on " + browser.getCurrentUrl() + "; the Flowcast part of the page reads: '"
        + flowcastText() + "' (screenshot " + SCREENSHOTS.resolve("cockpit-failure.png") + ")", e);
  }

  private String text(String css) {
    return waitFor(css).getText();
  }

  private String flowcastText() {
    return browser.findElements(By.cssSelector(".flowcast")).stream().map(WebElement::getText)
        .reduce("", (a, b) -> a + "\n" + b);
  }

  private boolean timelineDrawn() {
    WebElement image = waitFor("[data-flowcast='timeline'] img");
    return new WebDriverWait(browser, WAIT).until(driver -> (Boolean) ((JavascriptExecutor) driver)
        .executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", image));
  }

  /** Gives the tabs the whole view (Cockpit's own button that hides the diagram above them), for a screenshot. */
  private void maximizeTabs() {
    ((JavascriptExecutor) browser).executeScript(
        "const hide = [...document.querySelectorAll('.hide-collapsable')]"
            + ".filter(b => b.offsetParent !== null && b.querySelector('.glyphicon-menu-up'));"
            + "if (hide.length) { hide[0].click(); }");
    try {
      new WebDriverWait(browser, Duration.ofSeconds(5)).until(driver -> (Boolean) ((JavascriptExecutor) driver)
          .executeScript("const f = document.querySelector('.flowcast'); return f && f.getBoundingClientRect().top < 400;"));
    } catch (TimeoutException e) {
      // a screenshot of the tabs where Cockpit left them
    }
  }

  private void screenshot(String name) throws IOException {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve("cockpit-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
