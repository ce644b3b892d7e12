package io.stackwright.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;

/**
 * Draws a {@link ServiceProgress} on a terminal, redrawn in place (ANSI cursor movements) a few
 * times a second, like {@code docker compose up}: one line per service with its state and elapsed
 * time, a header line saying what is done. Colour only when {@link Output#colour()} allows.
 */
final class LiveView implements AutoCloseable {
  private static final String CLEAR_LINE = "\u001b[2K";

  private final PrintWriter out;
  private final ServiceProgress progress;
  private final Clock clock;
  private final boolean colour;
  private final String title;
  private final int width;
  private final Thread ticker;
  private int drawn;
  private volatile boolean closed;

  LiveView(PrintWriter out, ServiceProgress progress, Clock clock, boolean colour, String title) {
    this.out = out;
    this.progress = progress;
    this.clock = clock;
    this.colour = colour;
    this.title = title;
    this.width = columns();
    this.ticker = new Thread(this::tick, "stackwright-live-view");
    this.ticker.setDaemon(true);
  }

  LiveView start() {
    draw();
    ticker.start();
    return this;
  }

  private void tick() {
    while (!closed) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
      draw();
    }
  }

  synchronized void draw() {
    List<ServiceProgress.Rendered> lines = progress.render(clock.instant());
    StringBuilder text = new StringBuilder();
    if (drawn > 0) {
      text.append("\u001b[").append(drawn).append('F'); // to the start of the first line drawn
    }
    long done = lines.stream().filter(l -> l.state().isDone()).count();
    text.append(CLEAR_LINE)
        .append(fit(title + " (" + done + "/" + lines.size() + ")"))
        .append('\n');
    for (ServiceProgress.Rendered line : lines) {
      text.append(CLEAR_LINE).append(paint(line.state(), fit(line.text()))).append('\n');
    }
    drawn = lines.size() + 1;
    out.print(text);
    out.flush();
  }

  private String fit(String text) {
    return text.length() < width ? text : text.substring(0, Math.max(1, width - 1));
  }

  private String paint(ServiceProgress.State state, String text) {
    if (!colour) {
      return text;
    }
    String code =
        switch (state) {
          case HEALTHY, RUNNING -> "32"; // green
          case FAILED -> "31"; // red
          case UNCHANGED -> "2"; // dim
          default -> "33"; // yellow: in progress
        };
    return "\u001b[" + code + "m" + text + "\u001b[0m";
  }

  private static int columns() {
    try {
      String columns = System.getenv("COLUMNS");
      return columns == null ? 100 : Math.max(20, Integer.parseInt(columns.trim()));
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  @Override
  public void close() {
    closed = true;
    ticker.interrupt();
    try {
      ticker.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    draw();
  }
}
