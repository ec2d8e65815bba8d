package dev.lumen.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lumen.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lumen demo} serves on the loopback interface unless {@code LUMEN_BIND} asks for another: the real
 * launcher script runs in a scratch copy of the repository where the database set-up, the build and {@code java}
 * are stand-ins that record their arguments.
 */
class DemoLauncherTest {

	@TempDir
	Path root;

	@Test
	void theDemoListensOnLoopbackByDefault() throws Exception {
		assertThat(serveArguments(null)).contains("serve").contains("--server.address=127.0.0.1").doesNotContain("0.0.0.0");
	}

	@Test
	void lumenBindShowsTheDemoToTheNetworkWhenAsked() throws Exception {
		assertThat(serveArguments("0.0.0.0")).contains("--server.address=0.0.0.0");
	}

	/** @return the arguments of the last {@code java} call the launcher made (the server) */
	private String serveArguments(String bind) throws IOException, InterruptedException {
		Files.copy(RepoFiles.root().resolve("lumen"), this.root.resolve("lumen"));
		executable("db/scripts/install-postgres.sh", "#!/usr/bin/env bash\n");
		executable("db/scripts/local-db.sh", "#!/usr/bin/env bash\n");
		executable("mvnw", "#!/usr/bin/env bash\n");
		Path sae = this.root.resolve("demo/sae/tinystories-1m-blocks.1.hook_resid_post-1024/sae_weights.safetensors");
		Files.createDirectories(sae.getParent());
		Files.createFile(sae);
		Path calls = this.root.resolve("java-calls.txt");
		executable("bin/java", "#!/usr/bin/env bash\necho \"$*\" >> '" + calls + "'\n");
		ProcessBuilder launcher = new ProcessBuilder("bash", "lumen", "demo").directory(this.root.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.root.resolve("launcher.log").toFile());
		launcher.environment().put("PATH", this.root.resolve("bin") + ":" + System.getenv("PATH"));
		launcher.environment().remove("LUMEN_BIND");
		if (bind != null) {
			launcher.environment().put("LUMEN_BIND", bind);
		}
		Process process = launcher.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(Files.readString(this.root.resolve("launcher.log"))).isZero();
		List<String> lines = Files.readAllLines(calls);
		return lines.get(lines.size() - 1);
	}

	private void executable(String path, String text) throws IOException {
		Path file = this.root.resolve(path);
		Files.createDirectories(file.getParent());
		Files.writeString(file, text);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
	}
}
