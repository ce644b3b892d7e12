/**
 * The Traefik router (labels, file provider, weighted services) will live here. It is not
 * implemented yet: this module provides no router.
 */
package io.stackwright.traefik;
