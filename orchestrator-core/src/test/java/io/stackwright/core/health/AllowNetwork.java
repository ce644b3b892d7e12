package io.stackwright.core.health;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lets a test class open network connections. Core's test JVM also runs the Jazzer fuzz test, whose
 * agent stays loaded afterwards and, through its server-side request forgery detector, blocks
 * socket connections; probe and webhook tests talk to local servers, so they allow them.
 */
public final class AllowNetwork implements BeforeAllCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(AllowNetwork.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    try {
      context.getStore(NAMESPACE).put("allowed", BugDetectors.allowNetworkConnections());
    } catch (IllegalStateException e) {
      // no Jazzer agent in this JVM (the class runs alone): nothing blocks connections
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    SilentCloseable allowed = context.getStore(NAMESPACE).remove("allowed", SilentCloseable.class);
    if (allowed != null) {
      allowed.close();
    }
  }
}
