package io.stackwright.loader.internal;

import java.nio.file.Path;
import java.util.Set;
import java.util.function.Function;

/**
 * What a conversion needs besides the tree.
 *
 * @param projectName the project (stack) name
 * @param environment the variables of the load (given or process environment over {@code .env})
 * @param workingDir the directory relative paths resolve against
 * @param home the directory {@code ~} stands for
 * @param profiles the active profiles
 * @param resourceEnvironment for {@code secrets.<key>} and {@code configs.<key>} imported by an
 *     {@code include}, the environment their {@code environment:} source is read from
 * @param disabled the services left out because none of their profiles is active, with their
 *     profiles
 * @param files reads the files the services name (env, label, secret and config files), bounded and
 *     confined
 * @param budget what the load has used of its limits
 */
public record LoadContext(
    Diagnostics diagnostics,
    String projectName,
    Function<String, String> environment,
    Path workingDir,
    String home,
    Set<String> profiles,
    java.util.Map<String, java.util.List<String>> disabled,
    java.util.Map<String, Function<String, String>> resourceEnvironment,
    ProjectFiles files,
    LoadBudget budget) {}
