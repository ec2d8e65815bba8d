package dev.lumen.playground;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Listens to {@link SteerEventStream}'s log while open, to see that the server noticed a client that went away: the
 * stream logs "cancelled by the client after N default and M steered tokens".
 */
final class CancellationLog implements AutoCloseable {

	private static final Pattern CANCELLED = Pattern.compile("cancelled by the client after (\\d+) default and (\\d+) steered tokens");

	private final Logger logger = (Logger) LoggerFactory.getLogger(SteerEventStream.class);

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	CancellationLog() {
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	/** Waits (up to 60 s) for the next cancellation and checks the generation stopped before its end. */
	void awaitCancellationBefore(int maxTokensPerSide) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		String message = null;
		while (message == null) {
			assertThat(System.nanoTime()).as("the server noticed the disconnect").isLessThan(deadline);
			Thread.sleep(50);
			synchronized (this.appender) {
				message = this.appender.list.stream().map(ILoggingEvent::getFormattedMessage)
					.filter(m -> CANCELLED.matcher(m).find()).findFirst().orElse(null);
				this.appender.list.clear();
			}
		}
		Matcher counts = CANCELLED.matcher(message);
		assertThat(counts.find()).isTrue();
		assertThat(Integer.parseInt(counts.group(1)) + Integer.parseInt(counts.group(2))).as("tokens generated before stopping")
			.isLessThan(2 * maxTokensPerSide);
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
	}
}
