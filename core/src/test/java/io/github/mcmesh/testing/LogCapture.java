package io.github.mcmesh.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Collects every log event at DEBUG and above, of every logger (zt-exec's included), until closed;
 * as a registered extension, until the end of the test.
 *
 * <pre>{@code
 * try (LogCapture logs = new LogCapture()) {
 *     runner.run(command);
 *     assertThat(logs.lines()).contains("DEBUG [east] $ minikube status -p east -o json");
 * }
 * // or for every test of a class:
 * @RegisterExtension
 * final LogCapture logs = new LogCapture();
 * }</pre>
 */
public final class LogCapture implements AutoCloseable, AfterEachCallback {

    private final Logger logger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level previousLevel = logger.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    /** Every event so far. */
    public List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    /** Every message so far, formatted, as {@code LEVEL message}. */
    public List<String> lines() {
        return events().stream().map(event -> event.getLevel() + " " + event.getFormattedMessage()).toList();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
    }
}
