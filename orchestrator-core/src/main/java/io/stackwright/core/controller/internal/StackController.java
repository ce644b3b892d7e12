package io.stackwright.core.controller.internal;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.DeploymentStrategy;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.RolloutContext;
import io.stackwright.api.spi.StateStore;
import io.stackwright.api.spi.Store;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.api.store.DesiredState;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobQuery;
import io.stackwright.api.store.JobState;
import io.stackwright.core.internal.DeploymentEnds;
import io.stackwright.core.internal.DeploymentHandle;
import io.stackwright.core.internal.DeploymentRunner;
import io.stackwright.core.internal.EventLog;
import io.stackwright.core.internal.Routing;
import io.stackwright.core.jobs.JobHandle;
import io.stackwright.core.jobs.internal.FencedPlatform;
import io.stackwright.core.jobs.internal.JobContext;
import io.stackwright.core.jobs.internal.JobEngine;
import io.stackwright.core.jobs.internal.JobOutcome;
import io.stackwright.core.jobs.internal.JobRequest;
import io.stackwright.core.rollout.internal.RolloutEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of every stack: each write is a job it runs through the {@link JobEngine}, and only
 * its jobs change the accepted desired state in the store's desired states. The full specs of
 * accepted revisions stay in this process's memory (they hold secret contents, which the store must
 * not); the store holds their revision numbers and hashes.
 */
public final class StackController {
  private static final Logger LOG = LoggerFactory.getLogger(StackController.class);

  /** Namespaces of the state store that belong to a stack (its key is the stack name). */
  static final List<String> STACK_NAMESPACES =
      List.of("health", "health-events", "revisions", "autoscaler");

  private final Platform platform;
  private final Routing routing;
  private final RolloutEngine rollouts;
  private final JobEngine jobs;
  private final Store store;
  private final StateStore state;
  private final List<EventListener> listeners;
  private final Clock clock;
  private final ResumableSpecs resumable;

  /** The specs this process accepted or adopted, by stack then hash (newest last, a few kept). */
  private final Map<String, LinkedHashMap<String, StackSpec>> specs = new ConcurrentHashMap<>();

  private final List<Consumer<String>> removedHooks = new CopyOnWriteArrayList<>();
  private final List<Consumer<DesiredState>> acceptedHooks = new CopyOnWriteArrayList<>();

  /**
   * @param platform the platform as jobs write it: fenced by the job's lease (not routed: the
   *     controller prepares stacks for the router itself, the rollouts see a routed view)
   */
  public StackController(
      Platform platform,
      Routing routing,
      RolloutEngine rollouts,
      JobEngine jobs,
      Store store,
      StateStore state,
      List<EventListener> listeners,
      Clock clock) {
    this.platform = platform;
    this.routing = routing;
    this.rollouts = rollouts;
    this.jobs = jobs;
    this.store = store;
    this.state = state;
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
    this.resumable = ResumableSpecs.open(store, jobs.owner());
    jobs.resumeWith(
        JobKind.DEPLOY,
        job -> {
          StackSpec spec =
              held(job.stack(), DeployJobPayload.head(job.payload())).orElseGet(() -> rebuild(job));
          DeployOptions options = DeployJobPayload.options(job.payload());
          return Optional.of(ctx -> deployAttempt(ctx, spec, options, null, null));
        });
    jobs.resumeWith(
        JobKind.ROTATE,
        job -> {
          // the new content is read again from its origin (a file, a variable) and checked
          // against the keyed hash the job was submitted with; the store never held it
          String head = DeployJobPayload.head(job.payload());
          StackSpec spec = held(job.stack(), Rotation.hashOf(head)).orElseGet(() -> rebuild(job));
          Rotation rotation = Rotation.fromPayload(head, spec);
          DeployOptions options = DeployJobPayload.options(job.payload());
          return Optional.of(ctx -> deployAttempt(ctx, spec, options, null, rotation));
        });
    jobs.resumeWith(JobKind.SCALE, job -> Optional.of(ctx -> scaleAttempt(ctx, job.payload())));
    jobs.resumeWith(
        JobKind.REMOVE,
        job ->
            Optional.of(
                ctx -> removeAttempt(ctx, new RemoveOptions("volumes".equals(job.payload())))));
  }

  public JobEngine jobs() {
    return jobs;
  }

  /** Called with the name of each stack a remove job removed (supervision forgets it). */
  public void onRemoved(Consumer<String> hook) {
    removedHooks.add(hook);
  }

  /** Called with each desired state a job accepted (supervision follows the new revision). */
  public void onAccepted(Consumer<DesiredState> hook) {
    acceptedHooks.add(hook);
  }

  public Optional<DesiredState> desired(String stack) {
    return store.desiredStates().current(stack);
  }

  /** The hash of the stack's accepted spec (replica counts set since aside). */
  public Optional<String> desiredHash(String stack) {
    return document(stack).map(DesiredDocument::specHash);
  }

  private Optional<DesiredDocument> document(String stack) {
    return desired(stack).flatMap(DesiredDocument::parse);
  }

  /**
   * The spec of a deploy job another process submitted (it died), rebuilt from the job's desired
   * state: its secrets and configs read again from where they came from and checked against their
   * keyed hashes, the whole spec against the submitted hash.
   *
   * @throws OrchestratorException saying why it cannot be rebuilt (naming a secret, never its
   *     value)
   */
  private StackSpec rebuild(Job job) {
    DesiredDocument document =
        store
            .desiredStates()
            .revision(job.stack(), job.revision())
            .flatMap(DesiredDocument::parse)
            .orElseThrow(
                () ->
                    new io.stackwright.api.OrchestratorException(
                        "revision " + job.revision() + " of " + job.stack() + " is not stored"));
    if (document.spec() == null) {
      throw new io.stackwright.api.OrchestratorException(
          "revision " + job.revision() + " of " + job.stack() + " was stored without its spec");
    }
    StackSpec spec = resumable.decode(document.spec());
    String hash = resumable.hash(spec);
    String head = DeployJobPayload.head(job.payload());
    String submitted = job.kind() == JobKind.ROTATE ? Rotation.hashOf(head) : head;
    if (!hash.equals(document.specHash()) || !hash.equals(submitted)) {
      throw new io.stackwright.api.OrchestratorException(
          "the spec rebuilt from revision "
              + job.revision()
              + " of "
              + job.stack()
              + " does not hash as the one submitted");
    }
    LOG.info(
        "Job {} ({} of {}): rebuilt revision {} from the store, its secrets and configs read"
            + " again",
        job.id(),
        job.kind().id(),
        job.stack(),
        job.revision());
    hold(spec, hash);
    return spec;
  }

  /** The spec's hash as the store keeps it. */
  public String hashOf(StackSpec spec) {
    return resumable.hash(spec);
  }

  /**
   * The desired-state document of {@code spec}, with the spec as another process can rebuild it.
   */
  private DesiredDocument documentOf(StackSpec spec, Optional<DesiredDocument> previous) {
    String stored;
    try {
      stored = resumable.encode(spec);
    } catch (RuntimeException e) {
      // Not resumable elsewhere, but deployable here: the deploy must not fail for it.
      LOG.warn(
          "Stack {}: its spec cannot be stored for resumption by another process ({}); a deploy"
              + " of it fails if this process dies",
          spec.name(),
          e.toString());
      stored = null;
    }
    return DesiredDocument.of(spec, previous, hashOf(spec), stored);
  }

  private Optional<StackSpec> held(String stack, String hash) {
    Map<String, StackSpec> byHash = specs.get(stack);
    synchronized (specs) {
      return byHash == null ? Optional.empty() : Optional.ofNullable(byHash.get(hash));
    }
  }

  private void hold(StackSpec spec, String hash) {
    synchronized (specs) {
      LinkedHashMap<String, StackSpec> byHash =
          specs.computeIfAbsent(spec.name(), k -> new LinkedHashMap<>());
      byHash.remove(hash);
      byHash.put(hash, spec);
      while (byHash.size() > HELD_PER_STACK) {
        byHash.remove(byHash.keySet().iterator().next());
      }
    }
  }

  /** Specs kept per stack: the accepted one, the queued ones and a few for rollbacks. */
  private static final int HELD_PER_STACK = 25;

  /**
   * The spec of the stack's accepted desired state with the replica counts set since, when this
   * process holds it (it accepted it, or adopted it); empty when another process accepted a spec
   * this one has not seen, or nothing was accepted.
   */
  public Optional<StackSpec> desiredSpec(String stack) {
    return document(stack)
        .flatMap(d -> held(stack, d.specHash()).map(spec -> withReplicas(spec, d.replicas())));
  }

  /**
   * The spec of the stack's accepted desired state, as {@link #desiredSpec} when this process holds
   * it, else rebuilt from the store (another process accepted it: its secrets and configs read
   * again from their origins and checked against their keyed hashes).
   *
   * @throws NotFoundException when no desired state of the stack is accepted
   * @throws io.stackwright.api.OrchestratorException when it cannot be rebuilt here (naming the
   *     secret or config, never its value)
   */
  public StackSpec acceptedSpec(String stack) {
    Optional<StackSpec> heldSpec = desiredSpec(stack);
    if (heldSpec.isPresent()) {
      return heldSpec.get();
    }
    DesiredState desired =
        desired(stack)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "stack " + stack + " has no accepted desired state; deploy it first"));
    return rebuildRevision(desired);
  }

  /**
   * The resolved spec of the newest revision of {@code stack} whose deploy, rollback or rotation
   * succeeded, rebuilt from the store as it was accepted (its variables as they were interpolated
   * then; its secrets and configs read again from their origins and checked against their keyed
   * hashes); empty when no such revision can be rebuilt.
   */
  public Optional<StackSpec> lastSucceededSpec(String stack) {
    List<Job> succeeded =
        new ArrayList<>(
            store.jobs().list(JobQuery.ofStack(stack, 200).inStates(JobState.SUCCEEDED)));
    succeeded.sort(Comparator.comparingLong(Job::id).reversed());
    for (Job job : succeeded) {
      if (job.revision() <= 0
          || !(job.kind() == JobKind.DEPLOY
              || job.kind() == JobKind.ROLLBACK
              || job.kind() == JobKind.ROTATE)) {
        continue;
      }
      Optional<DesiredState> desired = store.desiredStates().revision(stack, job.revision());
      if (desired.isEmpty()) {
        continue;
      }
      try {
        return Optional.of(rebuildRevision(desired.get()));
      } catch (RuntimeException e) {
        // an older revision that cannot be rebuilt (a file gone, a spec of an older version)
        // is skipped: looking for a rollback target never fails the write that asked
        LOG.warn(
            "Revision {} of {} (job {}) cannot be rebuilt: {}",
            job.revision(),
            stack,
            job.id(),
            e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** A stored desired state's spec, rebuilt and checked against the hash it was accepted with. */
  private StackSpec rebuildRevision(DesiredState desired) {
    String stack = desired.stack();
    DesiredDocument document =
        DesiredDocument.parse(desired)
            .orElseThrow(
                () ->
                    new io.stackwright.api.OrchestratorException(
                        "revision " + desired.revision() + " of " + stack + " cannot be read"));
    if (document.spec() == null) {
      throw new io.stackwright.api.OrchestratorException(
          "revision "
              + desired.revision()
              + " of "
              + stack
              + " was stored without its spec (a secret given inline); deploy it again from"
              + " this process");
    }
    StackSpec spec = resumable.decode(document.spec());
    String hash = resumable.hash(spec);
    if (!hash.equals(document.specHash())) {
      throw new io.stackwright.api.OrchestratorException(
          "the spec rebuilt from revision "
              + desired.revision()
              + " of "
              + stack
              + " does not hash as the one accepted");
    }
    hold(spec, hash);
    return withReplicas(spec, document.replicas());
  }

  private static StackSpec withReplicas(StackSpec spec, Map<String, Integer> replicas) {
    if (replicas.isEmpty()) {
      return spec;
    }
    Map<String, ServiceSpec> services = new LinkedHashMap<>(spec.services());
    replicas.forEach(
        (name, count) -> {
          ServiceSpec service = services.get(name);
          if (service != null && service.mode() == ServiceSpec.Mode.REPLICATED) {
            services.put(name, service.toBuilder().replicas(count).build());
          }
        });
    return new StackSpec(
        spec.name(),
        services,
        spec.networks(),
        spec.volumes(),
        spec.secrets(),
        spec.configs(),
        spec.extensions());
  }

  /**
   * Takes {@code spec} as the stack's desired state when none is accepted yet (a stack deployed by
   * an earlier run that a host now keeps or monitors), so that supervision has a spec to act on.
   * Changes no stack.
   */
  public void adopt(StackSpec spec) {
    String hash = hashOf(spec);
    Optional<DesiredDocument> current = document(spec.name());
    if (current.isEmpty()) {
      hold(spec, hash);
      store
          .desiredStates()
          .accept(spec.name(), documentOf(spec, Optional.empty()).toJson(), null, "adopted");
      announce(spec.name());
    } else if (current.get().specHash().equals(hash)) {
      hold(spec, hash);
    } else if (desiredSpec(spec.name()).isEmpty()) {
      LOG.warn(
          "Stack {}: its accepted desired state (revision {}) is not the spec given, and this"
              + " process does not hold that revision's spec; deploy the spec to supervise it",
          spec.name(),
          desired(spec.name()).map(DesiredState::revision).orElse(0L));
    }
  }

  private void announce(String stack) {
    for (Consumer<DesiredState> hook : acceptedHooks) {
      desired(stack)
          .ifPresent(
              d -> {
                try {
                  hook.accept(d);
                } catch (RuntimeException e) {
                  LOG.warn("A hook on revision {} of {} failed", d.revision(), stack, e);
                }
              });
    }
  }

  // ------------------------------------------------------------------------------ deploy

  /** Submits a deploy of an already validated {@code stack}, planned as {@code plan}. */
  public Deployment deploy(
      StackSpec stack, Plan plan, DeployOptions options, String idempotencyKey, EventLog events) {
    return deploy(stack, plan, options, idempotencyKey, events, null, null);
  }

  /**
   * Submits a deploy for {@code tenant}, reserving {@code claim} of its quota in the submitting
   * transaction (a {@link io.stackwright.api.tenancy.QuotaExceededException} refuses it before
   * anything is written).
   */
  public Deployment deploy(
      StackSpec stack,
      Plan plan,
      DeployOptions options,
      String idempotencyKey,
      EventLog events,
      String tenant,
      io.stackwright.api.store.QuotaClaim claim) {
    return submitDeploy(stack, plan, options, idempotencyKey, events, tenant, claim, null);
  }

  /**
   * Submits a rotate job: a deploy of the rotated spec that rolls at least as a rolling update
   * (start-first, the next replica only once the previous is ready), accepted as the stack's next
   * revision when it is submitted (a later reconcile or drift repair keeps the new content).
   *
   * @param claim the quota the rotation reserves for {@code tenant} (its start-first surge
   *     included), or {@code null}
   */
  public Deployment rotate(
      Rotation rotation,
      Plan plan,
      DeployOptions options,
      EventLog events,
      String tenant,
      io.stackwright.api.store.QuotaClaim claim) {
    return submitDeploy(rotation.spec(), plan, options, null, events, tenant, claim, rotation);
  }

  private Deployment submitDeploy(
      StackSpec stack,
      Plan plan,
      DeployOptions options,
      String idempotencyKey,
      EventLog events,
      String tenant,
      io.stackwright.api.store.QuotaClaim claim,
      Rotation rotation) {
    DeploymentHandle handle = new DeploymentHandle(stack.name(), plan, events);
    String hash = hashOf(stack);
    hold(stack, hash);
    JobHandle job =
        jobs.submit(
            JobRequest.of(
                    stack.name(),
                    rotation == null ? JobKind.DEPLOY : JobKind.ROTATE,
                    ctx -> deployAttempt(ctx, stack, options, events, rotation))
                .withPayload(
                    DeployJobPayload.of(rotation == null ? hash : rotation.payload(hash), options))
                .withIdempotencyKey(idempotencyKey)
                .withDesiredSpec(documentOf(stack, document(stack.name())).toJson())
                .withTenant(tenant, claim));
    if (claim != null) {
      events.onEvent(
          new OrchestratorEvent(
              clock.instant(),
              stack.name(),
              null,
              "tenant " + tenant + " reserved " + claim.peak() + " for job " + job.id(),
              new EventDetail.QuotaReserved(tenant, job.id(), String.valueOf(claim.peak()))));
      job.finished()
          .thenAccept(
              done ->
                  events.onEvent(
                      new OrchestratorEvent(
                          clock.instant(),
                          stack.name(),
                          null,
                          "tenant "
                              + tenant
                              + " released the reservation of job "
                              + done.id()
                              + " ("
                              + done.state().id()
                              + ")",
                          new EventDetail.QuotaReleased(tenant, done.id(), done.state().id()))));
    }
    handle.jobId(String.valueOf(job.id()));
    complete(handle, job, stack.name(), plan);
    // Supervisors follow the new revision once it runs (a monitor of it before would probe
    // nothing).
    job.finished()
        .thenAccept(
            done -> {
              if (done.state() == JobState.SUCCEEDED) {
                announce(stack.name());
              }
            });
    return handle;
  }

  private void complete(DeploymentHandle handle, JobHandle job, String stack, Plan plan) {
    job.finished()
        .whenComplete(
            (info, failure) -> {
              if (failure != null) {
                DeploymentEnds.failed(handle.log(), clock, stack, 0, Duration.ZERO, failure);
                handle.fail(failure);
                return;
              }
              Optional<Object> result = jobs.result(info.id());
              DeploymentResult r =
                  result.isPresent() && result.get() instanceof DeploymentResult given
                      ? given
                      : new DeploymentResult(
                          stack,
                          info.state() == JobState.SUCCEEDED ? Outcome.SUCCEEDED : Outcome.FAILED,
                          plan,
                          info.startedAt() == null
                              ? Duration.ZERO
                              : Duration.between(info.startedAt(), info.finishedAt()),
                          "job "
                              + info.state().id()
                              + ": "
                              + (info.error() != null
                                  ? info.error()
                                  : String.valueOf(info.result())),
                          Map.of());
              // a job cancelled or superseded before it ran ends the deployment it started too
              DeploymentEnds.ended(
                  handle.log(),
                  clock,
                  stack,
                  info.revision(),
                  r.elapsed(),
                  r.outcome(),
                  r.message());
              handle.complete(r);
            });
  }

  private JobOutcome deployAttempt(
      JobContext ctx, StackSpec stack, DeployOptions options, EventLog given, Rotation rotation)
      throws Exception {
    EventLog events = given != null ? given : new EventLog(listeners);
    EventListener tracked = trackCreated(ctx, events);
    Instant begun = clock.instant();
    if (!events.deploymentOpen()) {
      // a retry, or a deploy job this process took over: its own start
      events.onEvent(
          new OrchestratorEvent(
              begun,
              stack.name(),
              null,
              "deploying revision "
                  + ctx.job().revision()
                  + ", attempt "
                  + ctx.job().attempts()
                  + " of job "
                  + ctx.job().id(),
              new EventDetail.DeploymentStarted(
                  ctx.job().revision(),
                  stack.services().size(),
                  ctx.job().id(),
                  ctx.job().attempts())));
    }
    try {
      JobOutcome outcome = deployAttemptBody(ctx, stack, options, events, tracked, rotation);
      if (rotation != null
          && outcome.state() == JobState.SUCCEEDED
          && outcome.result() instanceof DeploymentResult r) {
        events.onEvent(
            new OrchestratorEvent(
                clock.instant(),
                stack.name(),
                rotation.key(),
                rotation.what()
                    + " "
                    + rotation.key()
                    + " rotated: "
                    + rotation.dependants()
                    + " run on its new content (revision "
                    + ctx.job().revision()
                    + ")",
                new EventDetail.ContentRotated(
                    rotation.kind(),
                    rotation.key(),
                    rotation.dependants(),
                    ctx.job().id(),
                    ctx.job().revision(),
                    Duration.between(begun, clock.instant()))));
      }
      if (outcome.result() instanceof DeploymentResult r) {
        DeploymentEnds.ended(
            events,
            clock,
            stack.name(),
            ctx.job().revision(),
            r.elapsed(),
            r.outcome(),
            r.message());
      }
      return outcome;
    } catch (Exception | Error e) {
      DeploymentEnds.failed(
          events,
          clock,
          stack.name(),
          ctx.job().revision(),
          Duration.between(begun, clock.instant()),
          e);
      throw e;
    }
  }

  private JobOutcome deployAttemptBody(
      JobContext ctx,
      StackSpec stack,
      DeployOptions options,
      EventLog events,
      EventListener tracked,
      Rotation rotation)
      throws Exception {
    return FencedPlatform.fenced(
        ctx,
        () -> {
          Instant started = clock.instant();
          StackSpec prepared = routing.prepare(stack);
          Plan plan = platform.plan(prepared);
          // A first deploy: the plan creates everything (nothing of the stack exists yet).
          boolean first =
              !plan.isEmpty() && plan.changes().stream().allMatch(c -> c instanceof Change.Create);
          ctx.plan(plan.isEmpty() ? "no changes" : plan.changes().toString());
          ctx.progress(
              1,
              3,
              plan.isEmpty() ? "no changes" : "applying " + plan.changes().size() + " changes");
          // a rotation rolls (and is verified) even where the stack declares no strategy: a
          // plain deploy on a single engine would recreate the dependants at once
          Optional<DeploymentStrategy> strategy =
              plan.isEmpty()
                  ? Optional.empty()
                  : rollouts
                      .strategyFor(stack)
                      .or(() -> rotation != null ? Optional.of(ROLLING) : Optional.empty());
          ctx.onSignal(signal -> onDeploySignal(stack.name(), signal, strategy.isPresent()));
          DeploymentResult result;
          if (strategy.isPresent()) {
            result =
                routing.published(
                    prepared,
                    rollouts.run(strategy.get(), stack, plan, options, logTo(tracked), started),
                    events);
          } else {
            result =
                new DeploymentRunner(platform, clock, ctx.job().revision())
                    .run(prepared, plan, options, logTo(tracked), started);
            if (options.waitForConvergence()) {
              rollouts.recordPlain(stack, result);
            }
            result = routing.published(prepared, result, events);
          }
          ctx.progress(2, 3, result.outcome().name().toLowerCase(java.util.Locale.ROOT));
          if (ctx.cancelRequested() && result.outcome() != Outcome.SUCCEEDED) {
            return new JobOutcome(JobState.CANCELLED, "cancelled: " + result.message(), result);
          }
          if (result.outcome() == Outcome.SUCCEEDED) {
            ctx.progress(3, 3, "revision " + ctx.job().revision() + " runs");
            return JobOutcome.succeeded(result.message(), result);
          }
          if (result.outcome() == Outcome.ROLLED_BACK) {
            // The previous revision serves again: it is the desired state again.
            rollouts.lastHealthy(stack.name()).ifPresent(previous -> acceptAgain(previous));
          }
          if (first && !options.keepFailedFirstDeploy()) {
            result = cleanUp(ctx, stack.name(), result, events);
          }
          ctx.progress(3, 3, result.message());
          return new JobOutcome(
              result.outcome() == Outcome.ROLLED_BACK ? JobState.ROLLED_BACK : JobState.FAILED,
              result.message(),
              result);
        });
  }

  private static final DeploymentStrategy ROLLING =
      new io.stackwright.core.rollout.RollingStrategy();

  private static EventLog logTo(EventListener tracked) {
    return new EventLog(List.of(tracked));
  }

  private void acceptAgain(StackSpec spec) {
    String hash = hashOf(spec);
    hold(spec, hash);
    store
        .desiredStates()
        .accept(spec.name(), documentOf(spec, document(spec.name())).toJson(), null, "rollback");
    announce(spec.name());
  }

  /** Records the resources a job creates (RESOURCE_CREATED) with the job, and forwards events. */
  private static EventListener trackCreated(JobContext ctx, EventListener events) {
    return event -> {
      events.onEvent(event);
      if (event.type() == EventType.RESOURCE_CREATED && event.subject() != null) {
        try {
          ctx.created(event.subject());
        } catch (RuntimeException e) {
          LOG.debug("Could not record created {}: {}", event.subject(), e.toString());
        }
      }
    };
  }

  /**
   * Passes a signal to the rollout of the stack; a cancel of a plain deploy is left to the engine
   * (it interrupts the wait for convergence).
   */
  private boolean onDeploySignal(String stack, String signal, boolean rollout) {
    switch (signal) {
      case "promote" -> {
        rollouts.decide(stack, RolloutContext.Decision.PROMOTE);
        return true;
      }
      case "abort", JobEngine.CANCEL -> {
        if (rollout && rollouts.inProgress(stack)) {
          rollouts.decide(stack, RolloutContext.Decision.ABORT);
          return true;
        }
        return false;
      }
      default -> {
        LOG.warn("Deploy of {} ignores unknown signal {}", stack, signal);
        return true;
      }
    }
  }

  /** A failed first deploy removes what it created: nothing of the stack stays behind. */
  private DeploymentResult cleanUp(
      JobContext ctx, String stack, DeploymentResult result, EventLog events) {
    List<String> created =
        jobs.get(ctx.job().id()).map(j -> j.job().createdResources()).orElse(List.of());
    try {
      platform.remove(stack, RemoveOptions.withVolumes(), events);
      routing.withdraw(stack, events);
      boolean alone =
          store.jobs().list(JobQuery.ofStack(stack, 2).inStates(JobState.QUEUED)).isEmpty();
      if (alone) {
        forgetState(stack); // nothing of the stack stays, in the store either
      }
      LOG.info("First deploy of {} failed; removed what it created: {}", stack, created);
      return new DeploymentResult(
          result.stack(),
          result.outcome(),
          result.plan(),
          result.elapsed(),
          result.message() + "; removed what the failed first deploy created " + created,
          result.serviceErrors());
    } catch (RuntimeException e) {
      LOG.warn("First deploy of {} failed and removing what it created failed too", stack, e);
      return new DeploymentResult(
          result.stack(),
          result.outcome(),
          result.plan(),
          result.elapsed(),
          result.message() + "; removing what it created " + created + " failed: " + e.getMessage(),
          result.serviceErrors());
    }
  }

  // ------------------------------------------------------------------------------ rollback

  public Deployment rollback(StackSpec target, Plan plan, DeployOptions options, EventLog events) {
    DeploymentHandle handle = new DeploymentHandle(target.name(), plan, events);
    hold(target, hashOf(target));
    JobHandle job =
        jobs.submit(
            JobRequest.of(
                    target.name(),
                    JobKind.ROLLBACK,
                    ctx ->
                        FencedPlatform.fenced(
                            ctx,
                            () -> {
                              Plan current = platform.plan(routing.prepare(target));
                              ctx.onSignal(s -> onDeploySignal(target.name(), s, false));
                              DeploymentResult result =
                                  rollouts.rollBack(
                                      target, current, options, events, clock.instant());
                              if (result.outcome() == Outcome.SUCCEEDED) {
                                return JobOutcome.succeeded(result.message(), result);
                              }
                              return JobOutcome.failed(result.message(), result);
                            }))
                .withDesiredSpec(documentOf(target, document(target.name())).toJson()));
    handle.jobId(String.valueOf(job.id()));
    complete(handle, job, target.name(), plan);
    return handle;
  }

  // ------------------------------------------------------------------------------ signals

  /**
   * Passes a promote or abort to the stack's running rollout, through the store, so that the
   * process that runs it gets it wherever it runs, and records it as a promote or abort job,
   * finished once delivered. (It does not queue: the stack's queue runs one job at a time, and the
   * rollout it speaks to is that job.)
   *
   * @return the recorded promote or abort job
   * @throws NotFoundException when no rollout of the stack is in progress
   */
  public Job decide(String stack, RolloutContext.Decision decision) {
    boolean promote = decision == RolloutContext.Decision.PROMOTE;
    String signal = promote ? "promote" : "abort";
    Job running =
        jobs.running(stack)
            .filter(j -> j.kind() == JobKind.DEPLOY || j.kind() == JobKind.ROLLBACK)
            .filter(j -> !jobs.runsHere(j.id()) || rollouts.inProgress(stack))
            .orElseThrow(() -> noRollout(stack, signal));
    return jobs.deliver(running, promote ? JobKind.PROMOTE : JobKind.ABORT, signal);
  }

  private static NotFoundException noRollout(String stack, String signal) {
    return new NotFoundException(
        "no rollout of stack " + stack + " is in progress; nothing to " + signal);
  }

  // ------------------------------------------------------------------------------ scale

  public JobHandle scale(String stack, String service, int replicas) {
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas cannot be negative, was " + replicas);
    }
    String payload = service + "=" + replicas;
    JobRequest request =
        JobRequest.of(stack, JobKind.SCALE, ctx -> scaleAttempt(ctx, payload)).withPayload(payload);
    Optional<DesiredDocument> current = document(stack);
    if (current.isPresent()) {
      // The count is part of the desired state, so that keep does not scale it back.
      request = request.withDesiredSpec(current.get().withReplicas(service, replicas).toJson());
    }
    Optional<String> owner = store.quotas().owner(stack);
    if (owner.isPresent()) {
      // A tenant's stack scales within its quota (the autoscaler's decisions too).
      io.stackwright.api.store.QuotaClaim claim =
          desiredSpec(stack)
              .map(spec -> withReplicas(spec, Map.of(service, replicas)))
              .map(
                  spec ->
                      io.stackwright.core.admission.internal.QuotaArithmetic.steady(
                          spec, platform::globalReplicas))
              // scaling replaces nothing: its peak is its steady use
              .map(use -> new io.stackwright.api.store.QuotaClaim(owner.get(), use, use))
              .orElse(null);
      request = request.withTenant(owner.get(), claim);
    }
    return jobs.submit(request);
  }

  private JobOutcome scaleAttempt(JobContext ctx, String payload) throws Exception {
    int eq = payload.lastIndexOf('=');
    String service = payload.substring(0, eq);
    int replicas = Integer.parseInt(payload.substring(eq + 1));
    String stack = ctx.job().stack();
    return FencedPlatform.fenced(
        ctx,
        () -> {
          platform.scale(stack, service, replicas);
          new EventLog(listeners)
              .onEvent(
                  new OrchestratorEvent(
                      clock.instant(),
                      stack,
                      service,
                      service + " was scaled to " + replicas + " replicas",
                      new EventDetail.ServiceScaled(service, null, replicas, ctx.job().id())));
          return JobOutcome.succeeded(service + " scaled to " + replicas);
        });
  }

  // ------------------------------------------------------------------------------ replace

  /** Submits the replacement of one replica (the health monitor's liveness recovery). */
  public JobHandle replace(String stack, TaskState replica, EventListener events) {
    return jobs.submit(
        JobRequest.of(
                stack,
                JobKind.REPLACE,
                ctx ->
                    FencedPlatform.fenced(
                        ctx,
                        () -> {
                          platform.replace(stack, replica, events);
                          return JobOutcome.succeeded("replaced " + replica.id());
                        }))
            .withPayload(replica.id()));
  }

  // ------------------------------------------------------------------------------ reconcile

  /**
   * Submits a repair of the stack towards its accepted desired state (what {@code keep} does when a
   * replica exits); at most one queued at a time. The job reads the desired state when it runs, so
   * it never undoes a deploy that ran before it.
   */
  public JobHandle reconcile(String stack, long revision, Consumer<Boolean> repaired) {
    return reconcile(stack, revision, repaired, Map.of());
  }

  /**
   * @param gone per {@code service/slot}, the replica last seen ending there (the platform may no
   *     longer list it): the old replica of a replacement the repair makes
   */
  public JobHandle reconcile(
      String stack, long revision, Consumer<Boolean> repaired, Map<String, String> gone) {
    for (Job job : store.jobs().list(JobQuery.ofStack(stack, 50).inStates(JobState.QUEUED))) {
      if (job.kind() == JobKind.RECONCILE) {
        return jobs.get(job.id()).orElseThrow();
      }
    }
    return jobs.submit(
        JobRequest.of(
            stack,
            JobKind.RECONCILE,
            ctx ->
                FencedPlatform.fenced(
                    ctx,
                    () -> {
                      Optional<StackSpec> spec = desiredSpec(stack);
                      if (spec.isEmpty()) {
                        return JobOutcome.succeeded(
                            "no desired state of " + stack + " held here; nothing to repair");
                      }
                      StackSpec prepared = routing.prepare(spec.get());
                      Plan plan = platform.plan(prepared);
                      if (plan.isEmpty()) {
                        repaired.accept(false);
                        return JobOutcome.succeeded("nothing drifted");
                      }
                      EventLog events = new EventLog(listeners);
                      Map<String, TaskState> before = replicasBySlot(stack);
                      platform.apply(prepared, plan, events);
                      Map<String, TaskState> after = replicasBySlot(stack);
                      java.util.Set<String> used = new java.util.HashSet<>();
                      for (Map.Entry<String, TaskState> slot : after.entrySet()) {
                        TaskState fresh = slot.getValue();
                        TaskState was = before.get(slot.getKey());
                        if (was != null && was.id().equals(fresh.id())) {
                          continue;
                        }
                        String old = was != null ? was.id() : gone.get(slot.getKey());
                        if (old == null) {
                          // the single engine numbers a new container after the highest: the
                          // replica it replaces ended in a slot that now has no replica
                          old = vanished(gone, after, fresh.service(), used);
                        }
                        if (old != null) {
                          used.add(old);
                          forget(gone, old);
                        }
                        events.onEvent(
                            new OrchestratorEvent(
                                clock.instant(),
                                stack,
                                fresh.service(),
                                "replica "
                                    + (old == null ? "" : old + " ")
                                    + "of "
                                    + fresh.service()
                                    + " (slot "
                                    + fresh.slot()
                                    + ") was replaced by "
                                    + fresh.id()
                                    + " to repair the stack",
                                new EventDetail.ReplicaReplaced(
                                    fresh.service(), old, fresh.id(), fresh.slot(), "repair")));
                      }
                      repaired.accept(true);
                      return JobOutcome.succeeded("repaired " + plan.changes().size() + " changes");
                    })));
  }

  // ------------------------------------------------------------------------------ remove

  public JobHandle remove(String stack, RemoveOptions options) {
    return jobs.submit(
        JobRequest.of(stack, JobKind.REMOVE, ctx -> removeAttempt(ctx, options))
            .withPayload(options.removeVolumes() ? "volumes" : ""));
  }

  private JobOutcome removeAttempt(JobContext ctx, RemoveOptions options) throws Exception {
    String stack = ctx.job().stack();
    return FencedPlatform.fenced(
        ctx,
        () -> {
          EventLog events = new EventLog(listeners);
          // Supervision first: an autoscaler gives its lease back, and keep brings nothing back.
          ctx.progress(1, 4, "stopping the stack's supervision");
          for (Consumer<String> hook : removedHooks) {
            try {
              hook.accept(stack);
            } catch (RuntimeException e) {
              LOG.warn("A hook on the removal of {} failed", stack, e);
            }
          }
          ctx.progress(2, 4, "removing the stack's resources");
          platform.remove(stack, options, events); // services, networks, secrets, configs, leases
          routing.withdraw(stack, events);
          ctx.progress(3, 4, "forgetting the stack's state");
          forgetState(stack);
          ctx.progress(4, 4, "removed");
          events.onEvent(
              new OrchestratorEvent(
                  clock.instant(),
                  stack,
                  null,
                  "stack " + stack + " was removed",
                  new EventDetail.StackRemoved(options.removeVolumes(), ctx.job().id())));
          return JobOutcome.succeeded("removed " + stack);
        });
  }

  /** The old replica of a reported replacement is not the old one of a later one. */
  private static void forget(Map<String, String> gone, String replica) {
    try {
      gone.values().remove(replica);
    } catch (UnsupportedOperationException e) {
      // an immutable map given by a caller that keeps no record of what ended
    }
  }

  /** A replica of {@code service} that ended in a slot no replica runs in now, not yet paired. */
  private static String vanished(
      Map<String, String> gone,
      Map<String, TaskState> after,
      String service,
      java.util.Set<String> used) {
    for (Map.Entry<String, String> entry : new java.util.TreeMap<>(gone).entrySet()) {
      if (entry.getKey().startsWith(service + "/")
          && !after.containsKey(entry.getKey())
          && !used.contains(entry.getValue())) {
        return entry.getValue();
      }
    }
    return null;
  }

  /**
   * The replica that runs (or last ran) in each slot, by {@code service/slot}: what a repair
   * compares to name the replicas it replaced.
   */
  private Map<String, TaskState> replicasBySlot(String stack) {
    Map<String, TaskState> bySlot = new java.util.TreeMap<>();
    try {
      for (ServiceState service : platform.status(stack).services()) {
        for (TaskState task : service.tasks()) {
          if (task.desiredStatus() == TaskStatus.RUNNING) {
            bySlot.put(task.service() + "/" + task.slot(), task);
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("Could not read the replicas of {}: {}", stack, e.toString());
    }
    return bySlot;
  }

  private Integer declaredReplicas(String stack, String service) {
    try {
      return platform
          .status(stack)
          .service(service)
          .map(ServiceState::desiredReplicas)
          .orElse(null);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Forgets everything the store and this process keep of the stack (its running job stays). */
  private void forgetState(String stack) {
    for (String namespace : STACK_NAMESPACES) {
      state.delete(namespace, stack); // a state store of the host's own, besides the store
    }
    rollouts.forget(stack);
    int rows = store.deleteStack(stack);
    specs.remove(stack);
    LOG.info("Forgot stack {}: {} rows of the store", stack, rows);
  }
}
