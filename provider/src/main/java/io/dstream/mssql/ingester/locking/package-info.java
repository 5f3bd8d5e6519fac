/**
 * Which instance streams which table ({@code lock_config}).
 *
 * <p>{@code none}: one instance owns every table ({@link io.dstream.mssql.ingester.locking.NoLocker}).
 *
 * <p>{@code azure_blob} ({@link io.dstream.mssql.ingester.locking.AzureBlobLocker}): one blob per
 * table in the configured container, {@code tables/<server>/<database>/<schema>/<table>.lock}
 * (parts lower-cased and percent-encoded, see {@link io.dstream.mssql.ingester.locking.LockBlobNames}),
 * and one heartbeat blob per running instance, {@code instances/<instance id>}. The instance id is
 * {@code <host>-<pid>-<random>}; the holder's id is in the lock blob's metadata ({@code owner},
 * {@code acquired}), which is what the {@code status} command reports.
 *
 * <p>What to expect, for a lease duration {@code D} (15–60 s, default 30 s):
 * <ul>
 *   <li>Leases are finite and renewed every {@code D/3}. An instance trusts its lease only for
 *       {@code D - max(5 s, D/3)} after the last renewal request it <em>sent</em>, measured with a
 *       monotonic clock and the wall clock (the larger counts); a refused or failed renewal ends
 *       it at once. So it stops writing a table before the lock service can give the table to
 *       another instance.</li>
 *   <li>A killed or frozen instance's tables are taken over within about {@code D} plus a poll
 *       interval; a stopped one (SIGTERM) releases them, and they are taken over at once.</li>
 *   <li>When the lock service cannot be reached, every table stops within {@code D - margin}; the
 *       process keeps running and takes the tables again when the service is back.</li>
 *   <li>When the container disappears (deleted, or a storage emulator restarted without its data),
 *       the running instances create it again (if their credentials may; otherwise one ERROR says
 *       what to do, and they carry on once someone created it) and register again. Every lease
 *       of the old container is void, but an instance that has not noticed may still trust one
 *       for up to {@code D}; so every instance that sees a sign of it (the container missing, a
 *       held lock blob or its own heartbeat blob gone) stops its tables at once and takes tables
 *       again only {@code D} after the last sign: expect a pause of {@code D} to {@code 4D/3}.</li>
 *   <li>A refusal (credentials, a permission, a SAS that does not fit, a firewall) is logged at
 *       ERROR once with what to fix, an outage at WARN once, until a renewal cycle succeeds.</li>
 *   <li>With {@code N} live instances configured with the same {@code M} tables, each holds at
 *       most {@code ceil(M/N)}; extra tables are handed over to the others.</li>
 * </ul>
 *
 * <p>Limits: fencing is by time, not by a token the output checks, so a line whose write started
 * while the lease was valid but stalled for longer than the safety margin (e.g. a full stdout pipe)
 * can still arrive after another instance took the table; delivery stays at-least-once. Tables are
 * keyed by {@code server_name}: instances that spell the same server differently
 * ({@code localhost} and {@code 127.0.0.1}) do not exclude each other, so give them the same
 * {@code server_name}. An instance started after the container was lost and re-created, before
 * the instances that held tables in it noticed (within {@code D/3}), has no sign of the loss and
 * may take such a table at once: two writers for at most {@code D/3}, delivery still at least once.
 */
package io.dstream.mssql.ingester.locking;
