package io.stackwright.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Brings the stack of a Compose file up on the local engine before the test class, waits until it
 * is healthy, hands the tests a {@link RunningStack}, and removes it after the class, whether its
 * tests passed or not.
 *
 * <pre>
 * &#64;StackwrightStack(file = "src/test/resources/shop.yml", platform = "compose")
 * class ShopIT {
 *   &#64;Test
 *   void answers(RunningStack shop) { ... shop.url("web", 8080) ... }
 * }
 * </pre>
 *
 * For a stack built in code, register {@link StackwrightExtension} with {@code @RegisterExtension}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(StackwrightExtension.class)
public @interface StackwrightStack {

  /**
   * The Compose file: a path (relative to the working directory, the module's directory under
   * Maven) or, when no such file exists, a class path resource.
   */
  String file();

  /**
   * The platform, by its provider's name ({@code compose}, {@code swarm}); empty to let the
   * orchestrator choose among the platforms on the class path.
   */
  String platform() default "";

  /**
   * The start of the stack's name; empty for the test class's name. A random suffix is always
   * added, so that classes (and builds) running at once never share a stack.
   */
  String name() default "";

  /** How long the stack may take to be deployed and healthy. */
  long timeoutSeconds() default 180;

  /** Compose profiles to enable. */
  String[] profiles() default {};
}
