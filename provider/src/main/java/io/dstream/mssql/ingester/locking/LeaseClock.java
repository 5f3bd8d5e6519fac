package io.dstream.mssql.ingester.locking;

/**
 * The two clocks a lease is measured with. Fencing needs a clock that never goes back
 * ({@link #monotonicNanos()}), but on Linux {@code System.nanoTime} stands still while the machine
 * or VM is suspended, whereas the lease service's clock keeps running. So a lease's age is the
 * larger of the monotonic and the wall-clock elapsed time: a wall clock set back cannot extend a
 * lease (the monotonic age still counts), and a suspended machine wakes up with an old lease.
 */
public interface LeaseClock {

    LeaseClock SYSTEM = new LeaseClock() {
        @Override
        public long monotonicNanos() {
            return System.nanoTime();
        }

        @Override
        public long wallMillis() {
            return System.currentTimeMillis();
        }
    };

    long monotonicNanos();

    long wallMillis();

    /** Both readings taken together, for measuring a lease's age later with {@link Stamp#ageNanos}. */
    default Stamp stamp() {
        return new Stamp(monotonicNanos(), wallMillis());
    }

    /** A moment read on both clocks. */
    record Stamp(long monotonicNanos, long wallMillis) {

        /** The time since this stamp: the larger of the two clocks' elapsed times. */
        public long ageNanos(LeaseClock clock) {
            long monotonic = clock.monotonicNanos() - monotonicNanos;
            long wall = (clock.wallMillis() - wallMillis) * 1_000_000L;
            return Math.max(monotonic, wall);
        }

        public boolean isAfter(Stamp other) {
            return monotonicNanos - other.monotonicNanos > 0;
        }
    }
}
