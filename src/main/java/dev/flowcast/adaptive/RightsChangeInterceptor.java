package dev.flowcast.adaptive;

import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.cmd.AbstractWritableIdentityServiceCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteAuthorizationCmd;
import org.camunda.bpm.engine.impl.cmd.SaveAuthorizationCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;

/**
 * Tells a listener whenever the engine runs a command that changes who may do what: an
 * authorization saved or deleted, or any write of the identity service (users, groups, tenants and
 * the memberships in them: every such command of the engine extends
 * {@link AbstractWritableIdentityServiceCmd}, so one the engine adds later is seen too). The
 * Camunda webapp's Admin and {@code /engine-rest} run the same commands in this engine.
 *
 * <p>Placed after the engine's command context interceptor: the listener hears of the command when
 * it starts, and again when its transaction has committed or rolled back. A reader that looked at
 * the rights while the transaction was open (and may have seen them as they were) is then not
 * believed; the transaction is the outermost one, so a command run inside an application's own
 * transaction counts once that commits.
 */
final class RightsChangeInterceptor extends CommandInterceptor {

  private final Runnable rightsChanged;

  RightsChangeInterceptor(Runnable rightsChanged) {
    this.rightsChanged = rightsChanged;
  }

  static boolean changesRights(Class<?> command) {
    return SaveAuthorizationCmd.class.isAssignableFrom(command)
        || DeleteAuthorizationCmd.class.isAssignableFrom(command)
        || AbstractWritableIdentityServiceCmd.class.isAssignableFrom(command);
  }

  @Override
  public <T> T execute(Command<T> command) {
    if (changesRights(command.getClass())) {
      rightsChanged.run();
      CommandContext context = Context.getCommandContext();
      if (context != null && context.getTransactionContext() != null) {
        context.getTransactionContext().addTransactionListener(TransactionState.COMMITTED, c -> rightsChanged.run());
        context.getTransactionContext().addTransactionListener(TransactionState.ROLLED_BACK, c -> rightsChanged.run());
      }
    }
    return next.execute(command);
  }
}
