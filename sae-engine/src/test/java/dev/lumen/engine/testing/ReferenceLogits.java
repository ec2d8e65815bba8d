package dev.lumen.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/** One run.c reference file from test resources {@code reference/} (format in its README). */
public record ReferenceLogits(String prompt, int[] promptTokens, int[] greedyTokens, float[][] logits) {

	/** Loads test resource {@code reference/NAME}. */
	public static ReferenceLogits load(String name) {
		try (InputStream in = ReferenceLogits.class.getResourceAsStream("/reference/" + name)) {
			if (in == null) {
				throw new IllegalStateException("missing test resource reference/" + name);
			}
			JsonNode root = new ObjectMapper().readTree(in);
			JsonNode rows = root.get("logits");
			float[][] logits = new float[rows.size()][];
			for (int i = 0; i < rows.size(); i++) {
				logits[i] = new float[rows.get(i).size()];
				for (int j = 0; j < logits[i].length; j++) {
					logits[i][j] = (float) rows.get(i).get(j).asDouble();
				}
			}
			return new ReferenceLogits(root.get("prompt").asText(), ints(root.get("prompt_tokens")),
					ints(root.get("greedy_tokens")), logits);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int[] ints(JsonNode n) {
		int[] out = new int[n.size()];
		for (int i = 0; i < out.length; i++) {
			out[i] = n.get(i).asInt();
		}
		return out;
	}

	/** @return prompt + greedy tokens except the last: the sequence whose logits the file holds */
	public int[] teacherForced() {
		int[] seq = new int[this.logits.length];
		for (int i = 0; i < seq.length; i++) {
			seq[i] = i < this.promptTokens.length ? this.promptTokens[i] : this.greedyTokens[i - this.promptTokens.length];
		}
		return seq;
	}
}
