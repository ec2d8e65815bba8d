package dev.lumen.engine.sae.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Training text: a plain text file, a JSONL file whose lines hold a {@code text} field, or a directory of such
 * files (read in sorted order, recursively). Plain text is split into documents at lines reading
 * {@code <|endoftext|>} (the TinyStories convention); each JSONL line is one document.
 */
public final class Corpus {

	/** Document separator line in plain text files. */
	public static final String END_OF_TEXT = "<|endoftext|>";

	private static final ObjectMapper JSON = new ObjectMapper();

	private Corpus() {
	}

	/**
	 * Reads every document under {@code path}.
	 * @throws IllegalArgumentException naming the file and line of a JSONL line without {@code text}, or when the
	 *     path holds no text
	 */
	public static List<String> documents(Path path) {
		if (!Files.exists(path)) {
			throw new IllegalArgumentException("corpus " + path + " does not exist");
		}
		List<Path> files = new ArrayList<>();
		if (Files.isDirectory(path)) {
			try (Stream<Path> s = Files.walk(path)) {
				s.filter(Files::isRegularFile).filter(p -> isText(p)).sorted().forEach(files::add);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot list corpus directory " + path, ex);
			}
		}
		else {
			files.add(path);
		}
		List<String> docs = new ArrayList<>();
		for (Path f : files) {
			if (f.getFileName().toString().endsWith(".jsonl")) {
				readJsonl(f, docs);
			}
			else {
				readPlain(f, docs);
			}
		}
		if (docs.isEmpty()) {
			throw new IllegalArgumentException("corpus " + path + " holds no text (expected .txt or .jsonl files)");
		}
		return docs;
	}

	private static boolean isText(Path p) {
		String n = p.getFileName().toString();
		return n.endsWith(".txt") || n.endsWith(".jsonl") || n.endsWith(".md");
	}

	private static void readPlain(Path f, List<String> docs) {
		StringBuilder doc = new StringBuilder();
		for (String line : lines(f)) {
			if (line.strip().equals(END_OF_TEXT)) {
				addIfText(docs, doc);
				doc.setLength(0);
			}
			else {
				doc.append(line).append('\n');
			}
		}
		addIfText(docs, doc);
	}

	private static void addIfText(List<String> docs, StringBuilder doc) {
		String text = doc.toString().strip();
		if (!text.isEmpty()) {
			docs.add(text);
		}
	}

	private static void readJsonl(Path f, List<String> docs) {
		List<String> lines = lines(f);
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).isBlank()) {
				continue;
			}
			try {
				JsonNode node = JSON.readTree(lines.get(i));
				if (node == null || !node.path("text").isTextual()) {
					throw new IllegalArgumentException(f + " line " + (i + 1) + ": expected a JSON object with a \"text\" string");
				}
				docs.add(node.get("text").asText());
			}
			catch (IOException ex) {
				throw new IllegalArgumentException(f + " line " + (i + 1) + ": not JSON: " + ex.getMessage(), ex);
			}
		}
	}

	private static List<String> lines(Path f) {
		try {
			return Files.readAllLines(f, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read corpus file " + f, ex);
		}
	}
}
