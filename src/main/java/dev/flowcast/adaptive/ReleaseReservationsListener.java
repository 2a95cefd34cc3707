package dev.flowcast.adaptive;

import dev.flowcast.resources.ReservationLedger;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;

/**
 * Releases what a composed instance reserved when it ends, completed or cancelled, in the same
 * transaction as its end, so the ledger never holds capacity for an instance that is gone.
 */
class ReleaseReservationsListener implements ExecutionListener {

  private final ReservationLedger ledger;

  ReleaseReservationsListener(ReservationLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public void notify(DelegateExecution execution) {
    ledger.release(execution.getProcessInstanceId());
  }
}
