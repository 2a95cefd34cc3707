package dev.flowcast.adaptive;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;

/**
 * Flowcast's engine plugin. It only registers: a parse listener that gives every composed process
 * and every task component the listeners Flowcast needs (steps measured, reservations released),
 * so no model has to carry them, a history handler that turns the processes users start into
 * activity, and a command interceptor that tells the composer when rights change (it keeps the
 * engine's answers about them across requests); and, once the engine's tables exist, the index
 * its lookups of a definition by key and version need ({@code ACT_RE_PROCDEF(KEY_, VERSION_)},
 * which the engine's own schema lacks). Before the engine reads its first timer it names the
 * provider of XML durations once ({@link DatatypeFactoryProvider}), which the engine would otherwise
 * look up on the class path for every timer.
 */
public class FlowcastEnginePlugin extends AbstractProcessEnginePlugin {

  static final String DEFINITION_KEY_INDEX = "flowcast_idx_procdef_key_version";
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FlowcastEnginePlugin.class);

  private final BpmnParseListener composedProcessListener;
  private final HistoryEventHandler activityCapture;
  private final Runnable rightsChanged;

  FlowcastEnginePlugin(
      BpmnParseListener composedProcessListener, HistoryEventHandler activityCapture, Runnable rightsChanged) {
    this.composedProcessListener = composedProcessListener;
    this.activityCapture = activityCapture;
    this.rightsChanged = rightsChanged;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    DatatypeFactoryProvider.nameTheOneFound();
    if (configuration.getCustomPostBPMNParseListeners() == null) {
      configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPostBPMNParseListeners().add(composedProcessListener);
    // Beside the default database handler, which stays on: history is still written as usual.
    if (configuration.getCustomHistoryEventHandlers() == null) {
      configuration.setCustomHistoryEventHandlers(new ArrayList<>());
    }
    configuration.getCustomHistoryEventHandlers().add(activityCapture);
    // after the engine's own interceptors, inside the command context, where the command's
    // transaction is known; both chains, as a command may run in either
    RightsChangeInterceptor rights = new RightsChangeInterceptor(rightsChanged);
    configuration.setCustomPostCommandInterceptorsTxRequired(
        withAdded(configuration.getCustomPostCommandInterceptorsTxRequired(), rights));
    configuration.setCustomPostCommandInterceptorsTxRequiresNew(
        withAdded(configuration.getCustomPostCommandInterceptorsTxRequiresNew(), rights));
  }

  private static List<CommandInterceptor> withAdded(List<CommandInterceptor> interceptors, CommandInterceptor added) {
    List<CommandInterceptor> all = interceptors == null ? new ArrayList<>() : new ArrayList<>(interceptors);
    all.add(added);
    return all;
  }

  /**
   * Created here, not by a Flyway migration: Flyway may run before the engine has created its
   * tables on a new database. {@code if not exists} makes it a no-op on every later start (H2 and
   * PostgreSQL alike).
   */
  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    DataSource dataSource = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getDataSource();
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("create index if not exists " + DEFINITION_KEY_INDEX + " on ACT_RE_PROCDEF (KEY_, VERSION_)");
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      log.warn("FLOWCAST-035 index {} not created (lookups by key scan the definitions): {}", DEFINITION_KEY_INDEX,
          e.getMessage());
    }
  }
}
