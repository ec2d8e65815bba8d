package dev.lumen.engine.model;

import dev.lumen.engine.safetensors.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The models transformers 5 wrote for these tests ({@code src/test/fixtures-gen/generate.py}, resources under
 * {@code reference-libs/models}), with the numbers transformers computed for them.
 */
final class ReferenceLibFixtures {

	private ReferenceLibFixtures() {
	}

	static Path fixture(String name) {
		try {
			return Path.of(ReferenceLibFixtures.class.getResource("/reference-libs/models/").toURI()).resolve(name).normalize();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A layout variant (e.g. the same model as transformers 4 wrote its config) holds only its config.json and names
	 * the fixture whose weights and reference numbers it shares.
	 */
	static Path weightsOf(String name) {
		Path shared = fixture(name).resolve("same-weights-as.txt");
		try {
			return Files.isRegularFile(shared) ? fixture(Files.readString(shared).strip()) : fixture(name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Copies a fixture model into {@code dir} with the fixtures' 512-word tokenizer.json, so that Lumen can open it. */
	static Path copy(String name, Path dir) {
		try {
			Path target = dir.resolve(name);
			Files.createDirectories(target);
			try (Stream<Path> files = Files.list(fixture(name))) {
				for (Path f : files.toList()) {
					String file = f.getFileName().toString();
					if (!file.endsWith("reference.safetensors") && !file.startsWith("tl_")
							&& !file.equals("same-weights-as.txt")) {
						Files.copy(f, target.resolve(f.getFileName()));
					}
				}
			}
			if (!Files.exists(target.resolve("model.safetensors"))) {
				Files.copy(weightsOf(name).resolve("model.safetensors"), target.resolve("model.safetensors"));
			}
			Files.copy(fixture("../tokenizer/tokenizer.json"), target.resolve("tokenizer.json"));
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** What transformers computed: the prompt, its logits and the hook activations (TransformerLens definitions). */
	record Reference(int[] tokens, float[] logits, Map<String, float[]> hooks) {

		static Reference of(String name) {
			return of(name, "reference.safetensors");
		}

		/**
		 * @param file {@code reference.safetensors} (transformers, hooks read with TransformerLens definitions),
		 * {@code tl_reference.safetensors} (TransformerLens' run_with_cache, from_pretrained_no_processing) or
		 * {@code tl_processed.safetensors} (from_pretrained's default weight processing)
		 */
		static Reference of(String name, String file) {
			try (SafetensorsFile f = SafetensorsFile.open(weightsOf(name).resolve(file))) {
				float[] t = f.floats("tokens");
				int[] tokens = new int[t.length];
				for (int i = 0; i < t.length; i++) {
					tokens[i] = (int) t[i];
				}
				Map<String, float[]> hooks = new LinkedHashMap<>();
				for (String tensor : f.tensors().keySet()) {
					if (tensor.startsWith("hook.")) {
						hooks.put(tensor.substring("hook.".length()), f.floats(tensor));
					}
				}
				return new Reference(tokens, f.floats("logits"), hooks);
			}
		}

		/** @return the logits of position {@code t}, [vocab] */
		float[] logitsAt(int t, int vocab) {
			return java.util.Arrays.copyOfRange(this.logits, t * vocab, (t + 1) * vocab);
		}
	}

	static float maxAbsDiff(float[] a, float[] b) {
		if (a.length != b.length) {
			throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
		}
		float max = 0;
		for (int i = 0; i < a.length; i++) {
			max = Math.max(max, Math.abs(a[i] - b[i]));
		}
		return max;
	}
}
