/**
 * The Traefik v3 {@link io.stackwright.api.spi.Router}: {@link TraefikRouter} publishes a stack's
 * routes as Swarm service labels, container labels, a file-provider directory or an HTTP-provider
 * document ({@link TraefikHttpEndpoint}); {@link TraefikStaticConfig} generates the static
 * configuration Traefik needs to read them.
 */
package io.stackwright.traefik;
