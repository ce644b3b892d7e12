package io.stackwright.core.compose.internal;

import java.nio.file.Path;
import java.util.Set;
import java.util.function.Function;

/**
 * What a conversion needs besides the tree.
 *
 * @param environment the variables of the load (given or process environment over {@code .env})
 * @param workingDir the directory relative paths resolve against
 * @param home the directory {@code ~} stands for
 * @param profiles the active profiles
 */
public record LoadContext(
    Diagnostics diagnostics,
    Function<String, String> environment,
    Path workingDir,
    String home,
    Set<String> profiles) {}
