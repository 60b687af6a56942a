package io.jobcontroller.testjobs;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.ParameterTool;

/**
 * Unbounded, checkpointed streaming job with keyed state, for lifecycle tests (savepoints, restore, rescale).
 *
 * <p>Arguments (all optional):
 * <ul>
 *   <li>{@code --rate R}: records per second for the whole source (default 10).</li>
 *   <li>{@code --checkpoint-interval MS}: checkpoint interval in ms; 0 disables checkpointing (default 1000).</li>
 *   <li>{@code --fail-after N}: every subtask of the counting operator throws after it processed N records in its
 *       current attempt (default: never). With a restart strategy the job restores and fails again N records later.</li>
 *   <li>{@code --keys K}: number of distinct keys, bounds the state size (default 16).</li>
 *   <li>{@code --record-delay-ms MS}: the counting operator sleeps this long per record, so a source rate above
 *       its capacity backpressures the source (default 0). Aligned checkpoints then queue behind the backlog.</li>
 *   <li>{@code --snapshot-delay-ms MS}: every checkpoint and savepoint of the counting operator takes at least
 *       this long, so a triggered savepoint is observable {@code IN_PROGRESS} (default 0).</li>
 *   <li>{@code --name NAME}: job name; without it the job uses {@code pipeline.name} or Flink's default.</li>
 * </ul>
 * Every operator has a fixed {@code uid}, so savepoints restore across resubmissions and rescaling.
 */
public final class StreamingJob {

    /** Message of the exception thrown by {@code --fail-after}; tests look for it in /jobs/:id/exceptions. */
    public static final String FAILURE_MESSAGE = "StreamingJob failed on purpose";

    private StreamingJob() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        double rate = params.getDouble("rate", 10);
        long checkpointInterval = params.getLong("checkpoint-interval", 1000);
        long failAfter = params.getLong("fail-after", -1);
        int keys = params.getInt("keys", 16);
        long recordDelayMs = params.getLong("record-delay-ms", 0);
        long snapshotDelayMs = params.getLong("snapshot-delay-ms", 0);
        if (rate <= 0 || keys <= 0 || recordDelayMs < 0 || snapshotDelayMs < 0) {
            throw new IllegalArgumentException("--rate and --keys must be positive, the delays not negative");
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (checkpointInterval > 0) {
            env.enableCheckpointing(checkpointInterval);
        }

        DataGeneratorSource<Long> source = new DataGeneratorSource<>(
                index -> index, Long.MAX_VALUE, RateLimiterStrategy.perSecond(rate), Types.LONG);

        env.fromSource(source, WatermarkStrategy.noWatermarks(), "generator")
                .uid("generator")
                .keyBy(value -> value % keys)
                .map(new CountPerKey(failAfter, recordDelayMs, snapshotDelayMs))
                .uid("count-per-key")
                .name("count-per-key")
                .sinkTo(new DiscardingSink<>())
                .uid("discard")
                .name("discard");

        if (params.has("name")) {
            env.execute(params.get("name"));
        } else {
            env.execute();
        }
    }

    /** Counts records per key in a {@link ValueState}; optionally fails, slows records or slows snapshots. */
    static final class CountPerKey extends RichMapFunction<Long, Long> implements CheckpointedFunction {
        private final long failAfter;
        private final long recordDelayMs;
        private final long snapshotDelayMs;
        private transient ValueState<Long> count;
        private transient long seen;

        CountPerKey(long failAfter, long recordDelayMs, long snapshotDelayMs) {
            this.failAfter = failAfter;
            this.recordDelayMs = recordDelayMs;
            this.snapshotDelayMs = snapshotDelayMs;
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {
            // Keyed state is obtained in open(); this hook exists only to slow snapshots down on request.
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws InterruptedException {
            if (snapshotDelayMs > 0) {
                Thread.sleep(snapshotDelayMs);
            }
        }

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
            seen = 0;
        }

        @Override
        public Long map(Long value) throws Exception {
            seen++;
            if (failAfter >= 0 && seen > failAfter) {
                throw new IllegalStateException(FAILURE_MESSAGE + " after " + failAfter + " records");
            }
            if (recordDelayMs > 0) {
                Thread.sleep(recordDelayMs);
            }
            Long current = count.value();
            long next = (current == null ? 0L : current) + 1;
            count.update(next);
            return next;
        }
    }
}
