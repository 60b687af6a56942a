package io.jobcontroller.testjobs;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.ParameterTool;

/**
 * Bounded job in {@code BATCH} runtime mode that finishes in seconds, for batch and deadline tests.
 *
 * <p>Arguments (all optional):
 * <ul>
 *   <li>{@code --records N}: numbers 1..N are summed per key (default 2000).</li>
 *   <li>{@code --fail true|false}: throw {@value #FAILURE_MESSAGE} on the first record (default false).</li>
 *   <li>{@code --sleep-ms M}: every mapping subtask sleeps M ms before processing, so the job runs at least
 *       that long (default 0).</li>
 *   <li>{@code --name NAME}: job name; without it the job uses {@code pipeline.name} or Flink's default.</li>
 * </ul>
 */
public final class BatchJob {

    /** Message of the exception thrown by {@code --fail true}; tests look for it in /jobs/:id/exceptions. */
    public static final String FAILURE_MESSAGE = "BatchJob failed on purpose";

    private BatchJob() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        long records = params.getLong("records", 2000);
        boolean fail = params.getBoolean("fail", false);
        long sleepMs = params.getLong("sleep-ms", 0);
        if (records < 1 || sleepMs < 0) {
            throw new IllegalArgumentException("--records must be positive and --sleep-ms not negative");
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);

        env.fromSequence(1, records)
                .uid("sequence")
                .map(new SlowOrFailingMap(sleepMs, fail))
                .uid("prepare")
                .name("prepare")
                .keyBy(value -> value % 10)
                .reduce(Long::sum)
                .uid("sum")
                .name("sum")
                .sinkTo(new DiscardingSink<>())
                .uid("discard")
                .name("discard");

        if (params.has("name")) {
            env.execute(params.get("name"));
        } else {
            env.execute();
        }
    }

    /** Passes values through after an optional sleep; optionally fails on the first value. */
    static final class SlowOrFailingMap extends RichMapFunction<Long, Long> {
        private final long sleepMs;
        private final boolean fail;

        SlowOrFailingMap(long sleepMs, boolean fail) {
            this.sleepMs = sleepMs;
            this.fail = fail;
        }

        @Override
        public void open(OpenContext openContext) throws InterruptedException {
            if (sleepMs > 0) {
                Thread.sleep(sleepMs);
            }
        }

        @Override
        public Long map(Long value) {
            if (fail) {
                throw new IllegalStateException(FAILURE_MESSAGE);
            }
            return value;
        }
    }
}
