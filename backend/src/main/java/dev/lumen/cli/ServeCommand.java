package dev.lumen.cli;

import dev.lumen.LumenApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code lumen serve}: runs the web app until it is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
		description = "Start the web app (default http://localhost:8080). Extra --spring.x=y arguments pass to Spring.")
public class ServeCommand implements Callable<Integer> {

	@Option(names = "--port", description = "HTTP port (default: ${DEFAULT-VALUE})", defaultValue = "8080")
	int port;

	/** Spring Boot arguments such as --spring.datasource.url=..., passed through unchanged. */
	@Unmatched
	List<String> springArgs = new ArrayList<>();

	@Override
	public Integer call() throws InterruptedException {
		List<String> args = new ArrayList<>(this.springArgs);
		args.add("--server.port=" + this.port);
		ConfigurableApplicationContext context;
		try {
			context = SpringApplication.run(LumenApplication.class, args.toArray(String[]::new));
		}
		catch (RuntimeException ex) {
			// Spring Boot has already printed the failure analysis (what went wrong and what to run).
			return 1;
		}
		CountDownLatch closed = new CountDownLatch(1);
		context.addApplicationListener(event -> {
			if (event instanceof ContextClosedEvent) {
				closed.countDown();
			}
		});
		if (context.isActive()) {
			closed.await();
		}
		return 0;
	}
}
