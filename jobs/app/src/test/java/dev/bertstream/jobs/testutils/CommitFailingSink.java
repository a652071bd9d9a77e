package dev.bertstream.jobs.testutils;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A real {@link KafkaSink} whose committer, once {@link #arm armed}, fails the job on the first
 * commit for which the test's condition holds: after a checkpoint has completed and before its
 * Kafka transactions are committed. Everything else is delegated to the wrapped sink.
 */
public final class CommitFailingSink<IN>
        implements TwoPhaseCommittingStatefulSink<IN, KafkaWriterState, KafkaCommittable>,
                SupportsPostCommitTopology<KafkaCommittable> {

    private static final long serialVersionUID = 1L;

    private static volatile Predicate<String> condition;
    private static volatile CompletableFuture<String> fired = new CompletableFuture<>();

    private final KafkaSink<IN> delegate;

    public CommitFailingSink(KafkaSink<IN> delegate) {
        this.delegate = delegate;
    }

    /**
     * Fails the next commit whose first transactional id passes {@code whenToFail} (called in the
     * committer, before the commit); the future completes with the condition's description.
     */
    public static CompletableFuture<String> arm(Predicate<String> whenToFail) {
        fired = new CompletableFuture<>();
        condition = whenToFail;
        return fired;
    }

    @Override
    public PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable> createWriter(
            WriterInitContext context) throws IOException {
        return delegate.createWriter(context);
    }

    @Override
    public PrecommittingStatefulSinkWriter<IN, KafkaWriterState, KafkaCommittable> restoreWriter(
            WriterInitContext context, Collection<KafkaWriterState> recoveredState)
            throws IOException {
        return delegate.restoreWriter(context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
        return delegate.getWriterStateSerializer();
    }

    @Override
    public Committer<KafkaCommittable> createCommitter(CommitterInitContext context)
            throws IOException {
        Committer<KafkaCommittable> committer = delegate.createCommitter(context);
        return new Committer<>() {
            @Override
            public void commit(Collection<CommitRequest<KafkaCommittable>> requests)
                    throws IOException, InterruptedException {
                Predicate<String> c = condition;
                if (c != null && !requests.isEmpty()) {
                    String tx = requests.iterator().next().getCommittable().getTransactionalId();
                    if (c.test(tx)) {
                        condition = null;
                        fired.complete(tx);
                        throw new IllegalStateException(
                                "injected failure between a checkpoint's completion and the commit of "
                                        + tx);
                    }
                }
                committer.commit(requests);
            }

            @Override
            public void close() throws Exception {
                committer.close();
            }
        };
    }

    @Override
    public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
        return delegate.getCommittableSerializer();
    }

    @Override
    public void addPostCommitTopology(
            DataStream<CommittableMessage<KafkaCommittable>> committables) {
        delegate.addPostCommitTopology(committables);
    }
}
