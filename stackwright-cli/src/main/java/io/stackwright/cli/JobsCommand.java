package io.stackwright.cli;

import io.stackwright.api.NotFoundException;
import io.stackwright.api.store.Job;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.jobs.JobHandle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stackwright jobs}: the jobs of the store every Stackwright process of this host shares
 * (deploys, scalings, removals, repairs): {@code list}, {@code show} (with progress) and {@code
 * cancel}.
 */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = "Lists, shows and cancels the jobs in the store.",
    subcommands = {
      JobsCommand.ListJobs.class,
      JobsCommand.ShowJob.class,
      JobsCommand.CancelJob.class
    })
public final class JobsCommand implements Runnable {

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "say list, show ID or cancel ID");
  }

  static Map<String, Object> json(Job job) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", job.id());
    out.put("stack", job.stack());
    out.put("kind", job.kind().id());
    out.put("state", job.state().id());
    out.put("attempts", job.attempts());
    out.put("revision", job.revision());
    out.put("step", job.progress().step());
    out.put("total", job.progress().total());
    out.put("progress", job.progress().message());
    out.put("created", job.createdResources());
    out.put("result", job.result());
    out.put("error", job.error());
    out.put("cancelRequested", job.cancelRequested());
    out.put("submittedAt", String.valueOf(job.createdAt()));
    out.put("startedAt", String.valueOf(job.startedAt()));
    out.put("finishedAt", String.valueOf(job.finishedAt()));
    out.put("claimedBy", job.claimedBy());
    return out;
  }

  static String line(Job job) {
    String progress =
        job.progress().total() == 0
            ? job.progress().message()
            : job.progress().step() + "/" + job.progress().total() + " " + job.progress().message();
    String outcome = job.error() != null ? job.error() : job.result() != null ? job.result() : "";
    return String.format(
        "%-6d %-12s %-10s %-11s %-3d %s%s",
        job.id(),
        job.stack(),
        job.kind().id(),
        job.state().id(),
        job.attempts(),
        progress,
        outcome.isEmpty() || outcome.equals(progress) ? "" : " - " + outcome);
  }

  @Command(name = "list", description = "Lists the newest jobs, of one stack with -p.")
  static final class ListJobs implements Callable<Integer> {
    @Mixin StackwrightCli.Common common;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (newest).")
    int limit;

    @Override
    public Integer call() {
      try (Orchestrator orchestrator = common.orchestrator()) {
        List<Job> jobs =
            common.name != null
                ? orchestrator.jobs().list(common.name, limit)
                : orchestrator.jobs().list(limit);
        List<Object> machine = new ArrayList<>();
        StringBuilder human =
            new StringBuilder("ID     STACK        KIND       STATE       TRY PROGRESS");
        for (Job job : jobs) {
          machine.add(json(job));
          human.append('\n').append(line(job));
        }
        common.print(machine, human.toString());
        return StackwrightCli.OK;
      }
    }
  }

  @Command(name = "show", description = "Shows one job: its state, progress and result.")
  static final class ShowJob implements Callable<Integer> {
    @Mixin StackwrightCli.Common common;

    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    public Integer call() {
      try (Orchestrator orchestrator = common.orchestrator()) {
        Job job = orchestrator.jobs().get(id).map(JobHandle::job).orElseThrow(() -> notFound(id));
        StringBuilder human = new StringBuilder(line(job));
        json(job).forEach((k, v) -> human.append("\n  ").append(k).append(": ").append(v));
        common.print(json(job), human.toString());
        return StackwrightCli.OK;
      }
    }
  }

  @Command(
      name = "cancel",
      description = "Cancels a job: a queued one never runs, a running one is asked to stop.")
  static final class CancelJob implements Callable<Integer> {
    @Mixin StackwrightCli.Common common;

    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    public Integer call() {
      try (Orchestrator orchestrator = common.orchestrator()) {
        JobHandle job = orchestrator.jobs().get(id).orElseThrow(() -> notFound(id));
        job.cancel();
        Job now = job.job();
        common.print(
            json(now),
            "job "
                + id
                + ": "
                + now.state().id()
                + (now.cancelRequested() ? " (asked to stop)" : ""));
        return StackwrightCli.OK;
      }
    }
  }

  private static NotFoundException notFound(long id) {
    return new NotFoundException("no job " + id + " in the store (finished jobs are kept a while)");
  }
}
