package io.stackwright.api.tenancy;

import io.stackwright.api.OrchestratorException;
import java.util.Objects;

/**
 * A job was refused at admission because it would take a tenant past its quota; nothing of it was
 * written (no job, no desired state, no resource).
 */
public class QuotaExceededException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  private final String tenant;
  private final String stack;
  private final QuotaResource resource;
  private final long quota;
  private final long used;
  private final long requested;

  /**
   * @param used what the tenant uses and holds already, without this request (the stack's own
   *     current use counts as part of the request's peak)
   * @param requested what this request would add on top at its peak
   */
  public QuotaExceededException(
      String tenant, String stack, QuotaResource resource, long quota, long used, long requested) {
    super(
        "quota exceeded: tenant "
            + tenant
            + ", "
            + resource.id()
            + ": quota "
            + resource.format(quota)
            + ", in use "
            + resource.format(used)
            + ", requested "
            + resource.format(requested)
            + " by stack "
            + stack
            + " ("
            + resource.format(Math.max(0, used + requested - quota))
            + " too many); free some or raise the tenant's quota");
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.stack = stack;
    this.resource = Objects.requireNonNull(resource, "resource");
    this.quota = quota;
    this.used = used;
    this.requested = requested;
  }

  public String tenant() {
    return tenant;
  }

  public String stack() {
    return stack;
  }

  public QuotaResource resource() {
    return resource;
  }

  public long quota() {
    return quota;
  }

  public long used() {
    return used;
  }

  public long requested() {
    return requested;
  }
}
