package io.github.mcmesh.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Collects every log event at DEBUG and above, of every logger (zt-exec's included), until closed;
 * as a registered extension, until the end of the test. The appenders already there (the console
 * of {@code logback-test.xml}) keep getting only what the configured levels let through, so
 * capturing does not flood the build log with DEBUG.
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

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    /** The levels set in the configuration, longest logger name first, to restore and to filter the other appenders by. */
    private final Map<Logger, Level> configuredLevels = new LinkedHashMap<>();
    private final Map<Appender<ILoggingEvent>, List<Filter<ILoggingEvent>>> previousFilters = new LinkedHashMap<>();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture() {
        LoggerContext context = root.getLoggerContext();
        // the most specific logger first, the root (which matches every event) last
        context.getLoggerList().stream().filter(logger -> logger != root && logger.getLevel() != null)
                .sorted(Comparator.comparingInt((Logger logger) -> logger.getName().length()).reversed())
                .forEach(logger -> configuredLevels.put(logger, logger.getLevel()));
        configuredLevels.put(root, root.getLevel());
        root.iteratorForAppenders().forEachRemaining(existing -> {
            previousFilters.put(existing, existing.getCopyOfAttachedFiltersList());
            existing.addFilter(new ConfiguredLevels());
        });
        appender.start();
        root.addAppender(appender);
        configuredLevels.keySet().forEach(logger -> logger.setLevel(Level.DEBUG));
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
        root.detachAppender(appender);
        configuredLevels.forEach(Logger::setLevel);
        previousFilters.forEach((existing, filters) -> {
            existing.clearAllFilters();
            new ArrayList<>(filters).forEach(existing::addFilter);
        });
    }

    /** Lets through to an existing appender only what the configured levels would have. */
    private final class ConfiguredLevels extends Filter<ILoggingEvent> {
        ConfiguredLevels() {
            start();
        }

        @Override
        public FilterReply decide(ILoggingEvent event) {
            String name = event.getLoggerName();
            Level configured = configuredLevels.entrySet().stream()
                    .filter(entry -> entry.getKey() == root || name.equals(entry.getKey().getName())
                            || name.startsWith(entry.getKey().getName() + "."))
                    .map(Map.Entry::getValue).findFirst().orElse(Level.DEBUG);
            return event.getLevel().isGreaterOrEqual(configured) ? FilterReply.NEUTRAL : FilterReply.DENY;
        }
    }
}
