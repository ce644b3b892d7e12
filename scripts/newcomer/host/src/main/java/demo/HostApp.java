package demo;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.StackSpec;
import io.stackwright.core.Orchestrator;
import io.stackwright.loader.ComposeLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** The README's quickstart as a newcomer's host application: deploy, call it, remove it. */
public final class HostApp {
  public static void main(String[] args) throws Exception {
    String stackName = "newcomer";
    try (Orchestrator orchestrator = Orchestrator.builder().platform("swarm").build()) {
      StackSpec stack = ComposeLoader.load(Path.of(args[0]), stackName);
      try {
        Deployment deployment =
            orchestrator.deploy(stack, DeployOptions.waitingUpTo(Duration.ofMinutes(3)));
        deployment.onEvent(event -> System.out.println(event));
        DeploymentResult result = deployment.await(Duration.ofMinutes(4));
        if (!result.succeeded()) {
          throw new IllegalStateException("the deploy did not succeed: " + result);
        }
        HttpResponse<String> answer =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:18787/"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || !answer.body().contains("newcomer")) {
          throw new IllegalStateException("the service answered " + answer.statusCode());
        }
        System.out.println("deployed, and the service answered: " + answer.body().strip());
      } finally {
        orchestrator.remove(stackName, new RemoveOptions(false));
      }
      if (!orchestrator.status(stackName).services().isEmpty()) {
        throw new IllegalStateException("the stack is still there after remove");
      }
      System.out.println("removed");
    }
  }
}
