package io.stackwright.api.spi;

import io.stackwright.api.SpecProblem;
import io.stackwright.api.tenancy.AdmissionRequest;
import java.util.List;

/**
 * A host's own admission rule, run in the one validation pass before anything is written, next to
 * the platform's, the router's, the policies' and the quotas' checks; its problems are reported
 * together with theirs. Found through {@code
 * META-INF/services/io.stackwright.api.spi.AdmissionCheck} or set on the orchestrator's builder.
 *
 * <p>Fail closed: a check that throws, or does not answer within the orchestrator's admission
 * timeout, refuses the stack, and the problem says which check and why.
 */
public interface AdmissionCheck {

  /** The check's name, in problems and logs. */
  String name();

  /**
   * The problems of {@code request}, each at the key path it is about ({@code services.web.image});
   * empty when admitted.
   */
  List<SpecProblem> check(AdmissionRequest request);
}
