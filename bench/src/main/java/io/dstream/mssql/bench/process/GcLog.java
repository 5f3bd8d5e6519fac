package io.dstream.mssql.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap figures from a unified GC log ({@code -Xlog:gc:file=...}): each collection line ends with
 * {@code <before>M-><after>M(<committed>M)}. The largest "before" is the peak heap in use; the
 * largest "after" is the peak live set, which is what decides whether a smaller -Xmx would do.
 * Every line of a stop-the-world pause ({@code Pause Young}, {@code Pause Remark}, {@code Pause Full}
 * ...) ends with its duration; their sum is the time the application stood still for the collector.
 * Concurrent phases ({@code Concurrent Mark Cycle}) run beside the application and are not counted.
 * Reading the log costs the measured process nothing, unlike attaching jcmd while it runs.
 *
 * <p>The largest "after" of any collection overstates the live set: after a young collection the old
 * generation still holds whatever died there since the last marking. What is truly live is what a
 * full collection leaves: {@code liveAfterFullMb} is the "after" of the last {@code Pause Full}
 * (the bench asks for one mid-drain with {@code jcmd GC.run}), or -1 when there was none.
 */
public record GcLog(int collections, long peakUsedMb, long peakLiveMb, long peakCommittedMb, double pauseMillis,
                    long liveAfterFullMb) {

    private static final Pattern HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final Pattern PAUSE = Pattern.compile("\\bPause\\b.*\\s(\\d+(?:\\.\\d+)?)ms\\s*$");

    public static GcLog read(Path file) {
        try {
            return parse(Files.exists(file) ? Files.readAllLines(file) : List.of());
        } catch (IOException e) {
            return new GcLog(0, 0, 0, 0, 0, -1);
        }
    }

    static GcLog parse(List<String> lines) {
        int collections = 0;
        long used = 0;
        long live = 0;
        long committed = 0;
        double pause = 0;
        long afterFull = -1;
        for (String line : lines) {
            Matcher p = PAUSE.matcher(line);
            if (p.find()) {
                pause += Double.parseDouble(p.group(1));
            }
            Matcher m = HEAP.matcher(line);
            if (m.find()) {
                collections++;
                used = Math.max(used, Long.parseLong(m.group(1)));
                live = Math.max(live, Long.parseLong(m.group(2)));
                committed = Math.max(committed, Long.parseLong(m.group(3)));
                if (line.contains("Pause Full")) {
                    afterFull = Long.parseLong(m.group(2));
                }
            }
        }
        return new GcLog(collections, used, live, committed, pause, afterFull);
    }
}
