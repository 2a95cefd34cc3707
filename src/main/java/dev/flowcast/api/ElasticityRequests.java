package dev.flowcast.api;

import dev.flowcast.resources.Elasticity;
import dev.flowcast.resources.ResourceDemand;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Checks an elasticity sent to the admin API field by field, in the API's words. */
final class ElasticityRequests {

  private ElasticityRequests() {}

  static Elasticity parse(AdminController.ElasticityBody body) {
    if (body.unit() == null || body.unit().vcpu() == null || body.unit().memoryMb() == null) {
      throw new BadRequestException("'unit' with its 'vcpu' and 'memoryMb' is required");
    }
    if (body.maxUnits() == null) {
      throw new BadRequestException("'maxUnits' is required");
    }
    AdminController.UnitBody unit = body.unit();
    double network = unit.networkMbps() == null ? 0 : unit.networkMbps();
    double disk = unit.diskIops() == null ? 0 : unit.diskIops();
    if (!(unit.vcpu() > 0) || !Double.isFinite(unit.vcpu())) {
      throw new BadRequestException("'unit.vcpu' must be more than 0");
    }
    for (double amount : new double[] {unit.memoryMb(), network, disk}) {
      if (amount < 0 || !Double.isFinite(amount)) {
        throw new BadRequestException("'unit' amounts must be zero or positive numbers");
      }
    }
    int min = body.minUnits() == null ? Elasticity.DEFAULT_MIN_UNITS : body.minUnits();
    if (min < 0) {
      throw new BadRequestException("'minUnits' must be zero or more, not " + min);
    }
    if (body.maxUnits() < min) {
      throw new BadRequestException("'maxUnits' (" + body.maxUnits() + ") must be at least 'minUnits' (" + min + ")");
    }
    double refusal = body.refusalRate() == null ? Elasticity.DEFAULT_REFUSAL_RATE : body.refusalRate();
    if (!(refusal >= 0 && refusal <= 1)) {
      throw new BadRequestException("'refusalRate' is a share between 0 and 1, not " + refusal);
    }
    return new Elasticity(new ResourceDemand(unit.vcpu(), unit.memoryMb(), network, disk), min, body.maxUnits(),
        duration("leadTime", body.leadTime(), Elasticity.DEFAULT_LEAD_TIME, true),
        duration("leadTimeJitter", body.leadTimeJitter(), Elasticity.DEFAULT_LEAD_TIME_JITTER, false),
        duration("billingMinimum", body.billingMinimum(), Elasticity.DEFAULT_BILLING_MINIMUM, false),
        duration("scaleInDelay", body.scaleInDelay(), Elasticity.DEFAULT_SCALE_IN_DELAY, false),
        refusal,
        duration("interruptionNotice", body.interruptionNotice(), Elasticity.DEFAULT_INTERRUPTION_NOTICE, false));
  }

  private static Duration duration(String field, String text, Duration fallback, boolean positive) {
    if (text == null) {
      return fallback;
    }
    Duration value;
    try {
      value = Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new BadRequestException("'" + field + "' must be a duration such as PT90S, not '" + text + "'");
    }
    if (value.isNegative() || (positive && value.isZero())) {
      throw new BadRequestException("'" + field + "' must be " + (positive ? "more than zero" : "zero or more")
          + ", not " + text);
    }
    return value;
  }
}
