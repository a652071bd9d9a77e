package dev.bertstream.jobs.inference;

import dev.bertstream.events.ModelRollout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * A rolled-out model loading beside the one serving: verified, loaded and warmed up on a loader
 * thread (through {@link SharedModels}, so the subtasks of a TaskManager share one load), never on
 * the task thread. A bundle whose {@code bundle.json} declares another version than the roll-out is
 * refused too: the version names every event the model labels.
 */
final class CandidateModel {

    final ModelRollout rollout;
    private final CompletableFuture<SharedModels.Lease> lease;
    private boolean taken;

    private CandidateModel(ModelRollout rollout, CompletableFuture<SharedModels.Lease> lease) {
        this.rollout = rollout;
        this.lease = lease;
    }

    /** Starts loading {@code rollout}'s bundle with {@code settings} on {@code loader}. */
    static CandidateModel load(ModelRollout rollout, InferenceSettings settings, Executor loader) {
        return new CandidateModel(
                rollout, CompletableFuture.supplyAsync(() -> acquire(rollout, settings), loader));
    }

    /** Acquires {@code rollout}'s model on the calling thread (a restore does, at open). */
    static SharedModels.Lease acquire(ModelRollout rollout, InferenceSettings settings) {
        SharedModels.Lease lease;
        try {
            lease = SharedModels.acquire(settings);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
        String version = lease.manifest().version();
        if (!version.equals(rollout.getVersion())) {
            lease.close();
            throw new CompletionException(
                    new IllegalArgumentException(
                            "bundle "
                                    + rollout.getBundleUri()
                                    + " declares version "
                                    + version
                                    + ", the roll-out names version "
                                    + rollout.getVersion()));
        }
        return lease;
    }

    /** Runs {@code action} (on any thread) once loading succeeded or failed. */
    void whenDone(Runnable action) {
        lease.whenComplete((l, e) -> action.run());
    }

    boolean isDone() {
        return lease.isDone();
    }

    /** Why loading failed, or null if it succeeded. Only once {@link #isDone()}. */
    Throwable failure() {
        if (!lease.isCompletedExceptionally()) {
            return null;
        }
        try {
            lease.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause() instanceof CompletionException c && c.getCause() != null
                    ? c.getCause()
                    : e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    /** The loaded model; the caller owns the lease from now on. Only once loading succeeded. */
    SharedModels.Lease take() {
        taken = true;
        return lease.join();
    }

    /** Gives the model back unless it was taken: now, or once it finished loading. */
    void discard() {
        if (!taken) {
            lease.thenAccept(SharedModels.Lease::close);
        }
    }
}
