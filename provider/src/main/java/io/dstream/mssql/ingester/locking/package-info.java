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
 *   <li>With {@code N} live instances configured with the same {@code M} tables, each holds at
 *       most {@code ceil(M/N)}; extra tables are handed over to the others.</li>
 * </ul>
 *
 * <p>Limits: fencing is by time, not by a token the output checks, so a line whose write started
 * while the lease was valid but stalled for longer than the safety margin (e.g. a full stdout pipe)
 * can still arrive after another instance took the table; delivery stays at-least-once. Tables are
 * keyed by {@code server_name}: instances that spell the same server differently
 * ({@code localhost} and {@code 127.0.0.1}) do not exclude each other, so give them the same
 * {@code server_name}.
 */
package io.dstream.mssql.ingester.locking;
