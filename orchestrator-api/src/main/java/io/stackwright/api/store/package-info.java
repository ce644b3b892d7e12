/**
 * The records of the durable store: desired states with their revisions, jobs (the only writers of
 * a stack) with their claims, named leases, and the fences that keep a process whose claim lapsed
 * from writing. The interfaces that read and write them are in {@code io.stackwright.api.spi}
 * ({@link io.stackwright.api.spi.Store} and its views).
 */
package io.stackwright.api.store;
